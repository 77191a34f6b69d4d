import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsonCodec, SCHEMA_VERSION_HEADER, validateEvent } from './codec.ts';
import type { LessonDefined } from './events/lessonDefined.ts';
import { rejects } from './testing/rejects.ts';
import { sampleLesson } from './testing/sampleEvents.ts';
import { topicIdOf, topicName } from './topics.ts';

const lesson = validateEvent('lessons', sampleLesson);

test('encoding is keyed by natural identity and byte-identical whatever the input key order', async () => {
  const codec = createJsonCodec();
  const reordered = Object.fromEntries(Object.entries(sampleLesson).reverse()) as LessonDefined;
  const [a, b] = await Promise.all([codec.encode('lessons', lesson), codec.encode('lessons', validateEvent('lessons', reordered))]);
  assert.is(a.key, 'aqaGCSEBio0.0.0');
  assert.ok(a.value.equals(b.value));
  assert.is(a.headers[SCHEMA_VERSION_HEADER], '1');
});

test('decode returns the event and rejects what does not match', async () => {
  const codec = createJsonCodec();
  const encoded = await codec.encode('lessons', lesson);
  assert.equal(await codec.decode('lessons', { value: encoded.value, headers: encoded.headers }), lesson);
  await rejects(
    codec.decode('lessons', { value: Buffer.from('{"lessonId":1}'), headers: {} }),
    /does not match its schema: subjectId: Required/,
  );
  await rejects(codec.decode('lessons', { value: Buffer.from('not json'), headers: {} }), /not JSON/);
});

test('validateEvent refuses an event its schema rejects, so no such event reaches encode', () => {
  assert.throws(() => validateEvent('lessons', { ...sampleLesson, lessonId: 'bad\u0000id' }), /control characters/);
  assert.throws(() => validateEvent('papers', sampleLesson), /does not match its schema/, 'an event of another topic');
});

test('validateEvent returns the schema\'s own output: its key order, not the input\'s', () => {
  const reordered = Object.fromEntries(Object.entries(sampleLesson).reverse());
  assert.equal(Object.keys(validateEvent('lessons', reordered)), Object.keys(sampleLesson));
});

test('topic names carry the prefix and map back to their id', () => {
  assert.is(topicName('medly.', 'attempts'), 'medly.users.attempts');
  assert.is(topicIdOf('medly.', 'medly.users.attempts'), 'attempts');
  assert.is(topicIdOf('other.', 'medly.users.attempts'), undefined);
});

test.run();
