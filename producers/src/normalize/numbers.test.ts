import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { coerceInteger, coerceIntegerOrList, coerceNumber } from './numbers.ts';

test('numeric strings become integers and say so; integers pass as they are', () => {
  assert.equal(coerceInteger('3'), { value: 3, coerced: true });
  assert.equal(coerceInteger(' -12 '), { value: -12, coerced: true });
  assert.equal(coerceInteger(3), { value: 3, coerced: false });
});

test('missing is null; other values pass unchanged for the schema to refuse', () => {
  assert.equal(coerceInteger(undefined), { value: null, coerced: false });
  assert.equal(coerceInteger(null), { value: null, coerced: false });
  for (const raw of ['3.5', 'three', '', true, [3], '99999999999999999999']) {
    assert.equal(coerceInteger(raw), { value: raw, coerced: false }, JSON.stringify(raw));
  }
});

test('lists are coerced element by element', () => {
  assert.equal(coerceIntegerOrList(['1', 2]), { value: [1, 2], coerced: true });
  assert.equal(coerceIntegerOrList([1, 2]), { value: [1, 2], coerced: false });
  assert.equal(coerceIntegerOrList('0'), { value: 0, coerced: true });
});

test('numbers (marks) accept decimal strings', () => {
  assert.equal(coerceNumber('1.5'), { value: 1.5, coerced: true });
  assert.equal(coerceNumber(2), { value: 2, coerced: false });
  assert.equal(coerceNumber('x'), { value: 'x', coerced: false });
});

test.run();
