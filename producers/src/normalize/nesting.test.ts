import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cutNesting, nestsDeeperThan } from './nesting.ts';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { k: value };
  return value;
};

test('depth counts arrays and objects alike; scalars are 0 deep', () => {
  assert.is(nestsDeeperThan(1, 0), false);
  assert.is(nestsDeeperThan([1], 0), true);
  assert.is(nestsDeeperThan(nested(12), 12), false);
  assert.is(nestsDeeperThan(nested(13), 12), true);
  assert.is(nestsDeeperThan({ a: [], b: { c: [{ d: 1 }] } }, 4), false);
  assert.is(nestsDeeperThan({ a: [], b: { c: [{ d: [] }] } }, 4), true);
});

test('a million levels are measured without overflowing the stack', () => {
  assert.is(nestsDeeperThan(nested(1_000_000), 256), true);
});

test('cutNesting keeps the top and marks what it cut', () => {
  assert.equal(cutNesting({ a: [[1, 2]], b: 'x' }, 2), { a: ['…'], b: 'x' });
  assert.equal(JSON.stringify(cutNesting(nested(1_000_000), 3)), '{"k":[{"k":"…"}]}');
});

test.run();
