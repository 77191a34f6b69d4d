import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attempt, envelope } from '../testing/fixtures.ts';
import { attemptRows, attemptsTable } from './attempts.ts';

test('an attempt keeps the path question id, the body one, and raw timestamps beside parsed ones', () => {
  const [row] = attemptRows([
    envelope('attempts', attempt({ bodyQuestionId: 'other', createdAt: null, createdAtRaw: 'yesterday', userMark: 1.5, extra: { device: 'ipad' } }), 0),
  ]);
  assert.is(row?.question_id, 'q1');
  assert.is(row?.body_question_id, 'other');
  assert.is(row?.created_at, null);
  assert.is(row?.created_at_raw, 'yesterday');
  assert.is(row?.user_mark, 1.5);
  assert.equal(row?.extra, { device: 'ipad' });
  assert.equal(row?.canvas, { maths: [], paths: [], textboxes: [] });
  assert.equal(Object.keys(row ?? {}).sort(), Object.keys(attemptsTable.columns).sort());
  assert.is(attemptsTable.columns.created_at, 'timestamptz');
  assert.is(attemptsTable.columns.canvas, 'jsonb');
});

test.run();
