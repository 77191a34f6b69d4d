import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDuplicateKeys, cyrb53, duplicateWarningOf } from './duplicateKeys.ts';

test('container keys (lessons, papers, banks) are remembered for the run, per topic', () => {
  const keys = createDuplicateKeys();
  const first = keys.forRecord();
  assert.is(first('lessons', 'bio0.0.1'), false);
  assert.is(first('practiceBanks', 'bio0.0.1'), false, 'same key, other topic');
  const later = keys.forRecord();
  assert.is(later('lessons', 'bio0.0.1'), true);
  assert.is(later('practiceBanks', 'bio0.0.1'), true);
  assert.is(later('papers', 'mock1'), false);
  assert.is(keys.forRecord()('papers', 'mock1'), true);
  assert.is(keys.size, 3);
});

test('part, stem and attempt keys are compared within their record only (memory stays flat)', () => {
  const keys = createDuplicateKeys();
  const bank = keys.forRecord();
  assert.is(bank('itemAppearances', 'practice/bio0.0.1/q1'), false);
  assert.is(bank('itemAppearances', 'practice/bio0.0.1/q1'), true, 'a part twice in one bank');
  assert.is(bank('questions', 'practice/bio0.0.1/s1'), false);
  assert.is(keys.forRecord()('itemAppearances', 'practice/bio0.0.1/q1'), false, 'another record starts afresh');
  assert.is(keys.size, 0);
});

test('lessons and banks name their duplicate warning; other topics only count deduplicated', () => {
  assert.is(duplicateWarningOf('lessons'), 'duplicate_lesson_id');
  assert.is(duplicateWarningOf('practiceBanks'), 'duplicate_bank_lesson_id');
  assert.is(duplicateWarningOf('papers'), undefined);
  assert.is(duplicateWarningOf('itemAppearances'), undefined);
});

test('fingerprints are stable 53-bit integers that tell near keys apart', () => {
  assert.is(cyrb53('a'), cyrb53('a'));
  assert.ok(Number.isSafeInteger(cyrb53('practiceBanks\u0000bio0.0.1')));
  const seen = new Set<number>();
  for (let i = 0; i < 100_000; i += 1) seen.add(cyrb53(`lessons\u0000bio${i % 10}.${i % 300}.${i}`));
  assert.is(seen.size, 100_000);
});

test.run();
