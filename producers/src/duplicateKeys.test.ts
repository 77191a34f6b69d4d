import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDuplicateKeys, cyrb53, duplicateWarningOf } from './duplicateKeys.ts';

test('a key is repeated only on the same topic', () => {
  const keys = createDuplicateKeys();
  assert.is(keys.repeated('lessons', 'bio0.0.1'), false);
  assert.is(keys.repeated('practiceBanks', 'bio0.0.1'), false);
  assert.is(keys.repeated('lessons', 'bio0.0.1'), true);
  assert.is(keys.size, 2);
});

test('lessons and banks name their duplicate warning; other topics only count deduplicated', () => {
  assert.is(duplicateWarningOf('lessons'), 'duplicate_lesson_id');
  assert.is(duplicateWarningOf('practiceBanks'), 'duplicate_bank_lesson_id');
  assert.is(duplicateWarningOf('itemAppearances'), undefined);
});

test('fingerprints are stable 53-bit integers that tell near keys apart', () => {
  assert.is(cyrb53('a'), cyrb53('a'));
  assert.ok(Number.isSafeInteger(cyrb53('practice/bio0.0.1/q1')));
  const seen = new Set<number>();
  for (let i = 0; i < 100_000; i += 1) seen.add(cyrb53(`itemAppearances\u0000practice/bio0.0.${i % 300}/q${i}`));
  assert.is(seen.size, 100_000);
});

test.run();
