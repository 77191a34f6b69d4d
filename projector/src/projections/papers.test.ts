import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envelope, paper } from '../testing/fixtures.ts';
import { paperRows, papersTable } from './papers.ts';

test('a paper event becomes one row; missing optional fields stay null', () => {
  const [row] = paperRows([envelope('papers', paper({ tier: null, series: null }), 3)]);
  assert.is(row?.paper_id, 'paper1');
  assert.is(row?.tier, null);
  assert.is(row?.series, null);
  assert.is(row?.question_count, 1);
  assert.is(row?.kafka_offset, 3);
  assert.equal(Object.keys(row ?? {}).sort(), Object.keys(papersTable.columns).sort());
});

test.run();
