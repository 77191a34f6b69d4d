import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideSnapshot, type SnapshotInput } from './snapshotDecision.ts';

const keys = (count: number) => Array.from({ length: count }, (_, index) => ({ topic: 'attempts' as const, key: `k${String(index)}` }));
const base: SnapshotInput = { source: 'users', complete: true, limited: false, emptyFiles: [], live: 10, unproduced: keys(2), allowRemovals: false };

test('a complete read removes the keys it no longer holds', () => {
  assert.equal(decideSnapshot(base), { state: 'taken', removals: keys(2) });
  assert.equal(decideSnapshot({ ...base, unproduced: [] }), { state: 'taken', removals: [] });
});

test('half of the keys may go; more than half is refused with the counts named, unless allowed', () => {
  assert.is(decideSnapshot({ ...base, unproduced: keys(5) }).state, 'taken');
  const refused = decideSnapshot({ ...base, unproduced: keys(6) });
  assert.is(refused.state, 'refused');
  assert.match(refused.state === 'refused' ? refused.note : '', /would remove 6 of its 10 keys \(more than half of them\)/);
  assert.match(refused.state === 'refused' ? refused.note : '', /--allow-removals/);
  assert.equal(decideSnapshot({ ...base, unproduced: keys(6), allowRemovals: true }), { state: 'taken', removals: keys(6) });
});

test('an empty file that would remove anything is refused, unless allowed; an empty file that removes nothing is fine', () => {
  const refused = decideSnapshot({ ...base, emptyFiles: ['user_data/u.json'], unproduced: keys(1) });
  assert.is(refused.state, 'refused');
  assert.match(refused.state === 'refused' ? refused.note : '', /user_data\/u\.json holds no records/);
  assert.is(decideSnapshot({ ...base, emptyFiles: ['user_data/u.json'], unproduced: keys(1), allowRemovals: true }).state, 'taken');
  assert.is(decideSnapshot({ ...base, emptyFiles: ['user_data/u.json'], unproduced: [] }).state, 'taken');
});

test('a file not read completely, or a run limited with --source, removes nothing, even when allowed', () => {
  for (const input of [{ ...base, complete: false }, { ...base, limited: true }]) {
    const decision = decideSnapshot({ ...input, allowRemovals: true });
    assert.is(decision.state, 'partial');
  }
  assert.match(JSON.stringify(decideSnapshot({ ...base, limited: true })), /--source removes nothing/);
});

test.run();
