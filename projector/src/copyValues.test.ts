import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { arrayLiteral, copyField, parameterValue } from './copyValues.ts';

test('array literals quote every member and escape quotes and backslashes', () => {
  assert.is(arrayLiteral(['a', 'b"c', 'd\\e', null]), '{"a","b\\"c","d\\\\e",NULL}');
  assert.is(arrayLiteral([]), '{}');
});

test('parameters: jsonb as JSON text, text[] as a literal, null and undefined as SQL NULL', () => {
  assert.is(parameterValue('jsonb', { a: [1, 'x'] }), '{"a":[1,"x"]}');
  assert.is(parameterValue('jsonb', null), null);
  assert.is(parameterValue('text', undefined), null);
  assert.is(parameterValue('text[]', ['x', 'y']), '{"x","y"}');
  assert.is(parameterValue('integer', 3), 3);
});

test('COPY text fields escape backslash, tab, newline and carriage return; NULL is \\N', () => {
  assert.is(copyField('text', 'a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
  assert.is(copyField('text', null), '\\N');
  assert.is(copyField('boolean', false), 'f');
  assert.is(copyField('double precision', 1.5), '1.5');
  assert.is(copyField('jsonb', { text: 'line\none' }), '{"text":"line\\\\none"}');
  assert.is(copyField('text[]', ['a b', 'c"d']), '{"a b","c\\\\"d"}');
});

test.run();
