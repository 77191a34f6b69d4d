import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dedupeByKey } from './dedupeByKey.ts';

test('dedupe keeps the last row of each key, in first-seen key order', () => {
  const rows = [
    { a: 1, b: 'x', v: 1 },
    { a: 2, b: 'x', v: 2 },
    { a: 1, b: 'x', v: 3 },
    { a: 1, b: 'y', v: 4 },
  ];
  assert.equal(dedupeByKey(rows, ['a', 'b']), [
    { a: 1, b: 'x', v: 3 },
    { a: 2, b: 'x', v: 2 },
    { a: 1, b: 'y', v: 4 },
  ]);
});

test('keys compare by value, not by how they print together', () => {
  const rows = [
    { a: 'x/y', b: 'z' },
    { a: 'x', b: 'y/z' },
  ];
  assert.is(dedupeByKey(rows, ['a', 'b']).length, 2);
});

test.run();
