import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { entityTagOf, ifMatchHeader, ifMatchSatisfied, ifNoneMatchSatisfied } from './entityTag.ts';

const row = { uid: 'u1', displayName: 'Ada', metadata: { year: 10 }, total: 3 };

test('entityTagOf: a quoted digest, the same for the same state, another for any change', () => {
  const tag = entityTagOf(row);
  assert.match(tag, /^"[A-Za-z0-9_-]{32}"$/);
  assert.is(entityTagOf({ ...row }), tag);
  assert.is.not(entityTagOf({ ...row, total: 4 }), tag, 'attempt counts are part of the representation');
  assert.is.not(entityTagOf({ ...row, metadata: { year: 11 } }), tag);
});

test('If-Match: strong comparison, lists and *, weak tags never match', () => {
  const tag = entityTagOf(row);
  assert.ok(ifMatchSatisfied(tag, tag));
  assert.ok(ifMatchSatisfied(`"a", ${tag}`, tag));
  assert.ok(ifMatchSatisfied('*', tag));
  assert.not.ok(ifMatchSatisfied(`W/${tag}`, tag));
  assert.not.ok(ifMatchSatisfied('"other"', tag));
});

test('If-Match header: * or entity tags; anything else is refused', () => {
  for (const good of ['*', '"abc"', 'W/"abc"', '"a", "b"', ' "a" ,W/"b" ', '""']) assert.ok(ifMatchHeader.safeParse(good).success, good);
  for (const bad of ['abc', '"a', 'a"', '"a" "b"', '*, "a"', '"a,b', `"${'x'.repeat(5000)}"`]) assert.not.ok(ifMatchHeader.safeParse(bad).success, bad);
});

test('If-None-Match: weak comparison, lists and *', () => {
  const tag = entityTagOf(row);
  assert.ok(ifNoneMatchSatisfied(tag, tag));
  assert.ok(ifNoneMatchSatisfied(`W/${tag}`, tag));
  assert.ok(ifNoneMatchSatisfied(`"x", ${tag}`, tag));
  assert.ok(ifNoneMatchSatisfied('*', tag));
  assert.not.ok(ifNoneMatchSatisfied('"x"', tag));
  assert.not.ok(ifNoneMatchSatisfied('garbage', tag));
});

test.run();
