import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyField, copyText } from './copyText.ts';

test('text[] is an array literal with every member quoted, quotes and backslashes escaped (then escaped for COPY)', () => {
  // The literal {"a","b\"c","d\\e",NULL}, with each backslash doubled by COPY's own escaping.
  assert.is(copyField('text[]', ['a', 'b"c', 'd\\e', null]), '{"a","b\\\\"c","d\\\\\\\\e",NULL}');
  assert.is(copyField('text[]', []), '{}');
  assert.is(copyField('text[]', ['a b', 'c"d']), '{"a b","c\\\\"d"}');
});

test('null and undefined are \\N; jsonb is JSON text; numbers and booleans as Postgres reads them', () => {
  assert.is(copyField('text', null), '\\N');
  assert.is(copyField('jsonb', undefined), '\\N');
  assert.is(copyField('jsonb', { a: [1, 'x'] }), '{"a":[1,"x"]}');
  assert.is(copyField('jsonb', { text: 'line\none' }), '{"text":"line\\\\none"}');
  assert.is(copyField('integer', 3), '3');
  assert.is(copyField('double precision', 1.5), '1.5');
  assert.is(copyField('boolean', false), 'f');
});

test('text escapes backslash, tab, newline and carriage return', () => {
  assert.is(copyField('text', 'a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
});

test('rows become tab-separated lines, in chunks of 500 lines', () => {
  const columns = [
    { name: 'id', type: 'text' as const },
    { name: 'n', type: 'integer' as const },
  ];
  assert.equal([...copyText([{ id: 'a', n: 1 }, { id: 'b' }], columns)], ['a\t1\nb\t\\N\n']);
  const chunks = [...copyText(Array.from({ length: 1_001 }, (_, n) => ({ id: 'x', n })), columns)];
  assert.equal(
    chunks.map((chunk) => chunk.split('\n').length - 1),
    [500, 500, 1],
  );
});

test.run();
