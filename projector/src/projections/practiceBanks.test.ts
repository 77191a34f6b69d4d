import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bank, envelope } from '../testing/fixtures.ts';
import { practiceBankRows, practiceBanksTable } from './practiceBanks.ts';

test('a bank keeps its original lesson id and its chunks as given', () => {
  const [row] = practiceBankRows([
    envelope('practiceBanks', bank({ lessonId: 'bio9.9.99', originalLessonId: 'legacy-9', chunks: [{ index: 2, title: 'b' }, { index: 1, title: 'a' }] }), 0),
  ]);
  assert.is(row?.lesson_id, 'bio9.9.99');
  assert.is(row?.original_lesson_id, 'legacy-9');
  assert.equal(row?.chunks, [{ index: 2, title: 'b' }, { index: 1, title: 'a' }]);
  assert.is(practiceBanksTable.columns.chunks, 'jsonb');
  assert.equal(Object.keys(row ?? {}).sort(), Object.keys(practiceBanksTable.columns).sort());
});

test.run();
