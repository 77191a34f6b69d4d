import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { storableString, storableStrings, type TextRepair } from './storableText.ts';

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
const EMOJI = '🙂'; // a well-formed pair: \ud83d\ude42

test('NUL characters go from every string and key, each cleaned place named by its pointer', () => {
  const raw = { 'a\u0000b': 'x\u0000y', list: ['ok', 'n\u0000'], nested: { 'k/~': 'v\u0000\u0000' }, n: 1, t: true, z: null };
  const { value, repaired } = storableStrings(raw, '/targets/p');
  assert.equal(value, { ab: 'xy', list: ['ok', 'n'], nested: { 'k/~': 'v' }, n: 1, t: true, z: null });
  assert.ok(repaired.every((place) => place.reason === 'nul_removed'));
  assert.equal(repaired.map((place) => place.pointer).sort(), ['/targets/p/ab', '/targets/p/ab', '/targets/p/list/1', '/targets/p/nested/k~1~0'].sort());
});

test('an unpaired surrogate, high or low, in a value or a key, becomes U+FFFD and is named', () => {
  const raw = { canvas: { text: `a${LONE_HIGH}b`, [`k${LONE_LOW}`]: [`${LONE_LOW}${LONE_HIGH}`, EMOJI] }, end: `z${LONE_HIGH}` };
  const { value, repaired } = storableStrings(raw, '/targets/p');
  assert.equal(value, { canvas: { text: 'a\ufffdb', 'k\ufffd': ['\ufffd\ufffd', EMOJI] }, end: 'z\ufffd' });
  assert.equal(repaired, [
    { reason: 'unpaired_surrogate_replaced', pointer: '/targets/p/canvas/text' },
    { reason: 'unpaired_surrogate_replaced', pointer: '/targets/p/canvas/k\ufffd' },
    { reason: 'unpaired_surrogate_replaced', pointer: '/targets/p/canvas/k\ufffd/0' },
    { reason: 'unpaired_surrogate_replaced', pointer: '/targets/p/end' },
  ]);
  assert.ok(JSON.stringify(value).isWellFormed());
});

test('a string with both is repaired once and counted once per reason; NUL goes first, so a split pair is whole again', () => {
  const repairs: TextRepair[] = [];
  assert.is(storableString(`\u0000${LONE_HIGH}`, repairs), '\ufffd');
  assert.equal(repairs, ['nul_removed', 'unpaired_surrogate_replaced']);
  const rejoined: TextRepair[] = [];
  assert.is(storableString('\ud83d\u0000\ude42', rejoined), EMOJI);
  assert.equal(rejoined, ['nul_removed']);
});

test('what needs no repair is returned as it is: the same strings, arrays and objects, nothing copied', () => {
  const text = `plain ${EMOJI} café`;
  const repairs: TextRepair[] = [];
  assert.is(storableString(text, repairs), text);
  assert.equal(repairs, []);
  const raw = { a: ['b', { c: 'd' }], [EMOJI]: EMOJI };
  const { value, repaired } = storableStrings(raw, '');
  assert.is(value, raw);
  assert.equal(repaired, []);
});

test('a repair copies only the path to it: untouched siblings are shared, the input is not changed', () => {
  const untouched = { deep: ['x'] };
  const raw = { untouched, list: ['ok', `bad${LONE_HIGH}`, 'after'], last: 1 };
  const { value } = storableStrings(raw, '') as { value: typeof raw };
  assert.is(value.untouched, untouched);
  assert.equal(value.list, ['ok', 'bad\ufffd', 'after']);
  assert.equal(Object.keys(value), ['untouched', 'list', 'last'], 'key order kept');
  assert.is(raw.list[1], `bad${LONE_HIGH}`);
});

test('a "__proto__" key stays an own key when its object is copied', () => {
  const raw = JSON.parse(`{"__proto__":{"polluted":true},"x":"\\u0000"}`) as Record<string, unknown>;
  const { value } = storableStrings(raw, '');
  assert.equal(Object.keys(value as object), ['__proto__', 'x']);
  assert.is(Object.getPrototypeOf(value), Object.prototype);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test.run();
