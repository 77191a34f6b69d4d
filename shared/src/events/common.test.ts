import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isJsonValue, json } from './common.ts';

test('JSON values of every kind and depth pass through as they are', () => {
  const value = { a: [1, -0.5, 'two', true, null, { b: [[{}], []] }], 'c d': '\u0000', e: Number.MAX_VALUE };
  const parsed = json.parse(value);
  assert.is(parsed, value, 'the same object, not a copy');
  for (const scalar of ['', 0, false, null]) assert.ok(isJsonValue(scalar), String(scalar));
  assert.ok(isJsonValue(Object.create(null) as object));
});

test('numbers JSON cannot write, and what JSON.parse never makes, are refused wherever they are nested', () => {
  const refused = [Number.POSITIVE_INFINITY, [1, [Number.NaN]], { a: { b: [Number.NEGATIVE_INFINITY] } }, undefined, { a: undefined }, [() => 1], 1n, new Date(0), { d: new Map() }];
  refused.forEach((bad, index) => { assert.not.ok(isJsonValue(bad), `refused value #${String(index)}`); });
  const result = json.safeParse({ canvas: [Number.POSITIVE_INFINITY] });
  assert.not.ok(result.success);
  assert.match(result.error?.issues[0]?.message ?? '', /finite numbers/);
});

test.run();
