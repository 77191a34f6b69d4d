import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { partOrderOf } from './partOrder.ts';

test('a numeric label keeps its number as the order, whatever the position; the label is its text', () => {
  assert.equal(partOrderOf(1, 1), { part: 1, label: '1', fromPosition: false, coerced: false });
  assert.equal(partOrderOf(4, 2), { part: 4, label: '4', fromPosition: false, coerced: false });
  assert.equal(partOrderOf('3', 1), { part: 3, label: '3', fromPosition: false, coerced: true });
  assert.equal(partOrderOf(' 2 ', 5), { part: 2, label: ' 2 ', fromPosition: false, coerced: true }, 'the label as given');
});

test('a label that is not a number is kept; the order is the part ordinal', () => {
  assert.equal(partOrderOf('1a', 1), { part: 1, label: '1a', fromPosition: true, coerced: false });
  assert.equal(partOrderOf('b', 2), { part: 2, label: 'b', fromPosition: true, coerced: false });
  assert.equal(partOrderOf('(ii)', 7), { part: 7, label: '(ii)', fromPosition: true, coerced: false });
  assert.equal(partOrderOf('1.5', 3), { part: 3, label: '1.5', fromPosition: true, coerced: false });
});

test('no label: null, ordered by position', () => {
  for (const raw of [undefined, null, '', '  ']) {
    assert.equal(partOrderOf(raw, 3), { part: 3, label: null, fromPosition: true, coerced: false }, JSON.stringify(raw));
  }
});

test('anything else is passed on for the event schema to refuse', () => {
  assert.equal(partOrderOf(1.5, 1), { part: 1.5, label: null, fromPosition: false, coerced: false });
  assert.equal(partOrderOf(Number.POSITIVE_INFINITY, 1).part, Number.POSITIVE_INFINITY);
  assert.equal(partOrderOf(true, 1).part, true);
  assert.equal(partOrderOf({ n: 1 }, 1).part, { n: 1 });
});

test.run();
