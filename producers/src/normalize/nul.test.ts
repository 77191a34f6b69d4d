import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeNul, removeNulFromString } from './nul.ts';

test('NUL characters go from every string and key, each cleaned place named by its pointer', () => {
  const raw = { 'a\u0000b': 'x\u0000y', list: ['ok', 'n\u0000'], nested: { 'k/~': 'v\u0000\u0000' }, n: 1, t: true, z: null };
  const { value, cleaned } = removeNul(raw, '/targets/p');
  assert.equal(value, { ab: 'xy', list: ['ok', 'n'], nested: { 'k/~': 'v' }, n: 1, t: true, z: null });
  assert.equal(cleaned.sort(), ['/targets/p/ab', '/targets/p/ab', '/targets/p/list/1', '/targets/p/nested/k~1~0'].sort());
});

test('a value without NUL is returned as it is', () => {
  const raw = { a: ['b', { c: 'd' }] };
  const { value, cleaned } = removeNul(raw, '');
  assert.is(value, raw);
  assert.equal(cleaned, []);
  assert.is(removeNulFromString('plain'), 'plain');
  assert.is(removeNulFromString('\u0000a\u0000'), 'a');
});

test.run();
