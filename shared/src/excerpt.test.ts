import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXCERPT_MAX_CHARS } from './events/recordRejected.ts';
import { jsonExcerpt, messageExcerpt, textExcerpt } from './excerpt.ts';

test('a text excerpt is bounded, carries no NUL and never ends inside a surrogate pair', () => {
  assert.is(textExcerpt('a\u0000b'), 'ab');
  assert.is(textExcerpt('x'.repeat(5000)).length, EXCERPT_MAX_CHARS);
  const split = `${'x'.repeat(EXCERPT_MAX_CHARS - 1)}😀`;
  assert.is(textExcerpt(split), 'x'.repeat(EXCERPT_MAX_CHARS - 1));
});

test('a record excerpt is its JSON text; what JSON cannot say is its string', () => {
  assert.is(jsonExcerpt({ a: [1, 'two'] }), '{"a":[1,"two"]}');
  assert.is(jsonExcerpt('x'), '"x"');
  assert.is(jsonExcerpt(undefined), 'undefined');
  assert.is(jsonExcerpt({ n: 1n }), '[object Object]');
});

test('a message excerpt is the value as text, without a registry frame header', () => {
  assert.is(messageExcerpt(Buffer.from('not json')), 'not json');
  assert.is(messageExcerpt(Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), Buffer.from('{"a":1}')])), '{"a":1}');
  assert.is(messageExcerpt(Buffer.from('y'.repeat(5000))).length, EXCERPT_MAX_CHARS);
});

test.run();
