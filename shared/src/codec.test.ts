import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsonCodec, SCHEMA_VERSION_HEADER, validateEvent, validEvent } from './codec.ts';
import type { LessonDefined } from './events/lessonDefined.ts';
import { rejects } from './testing/rejects.ts';
import { sampleLesson } from './testing/sampleEvents.ts';
import { topicIdOf, topicName } from './topics.ts';

const lesson = sampleLesson;

test('encoding is keyed by natural identity and byte-identical whatever the input key order', async () => {
  const codec = createJsonCodec();
  const reordered = Object.fromEntries(Object.entries(lesson).reverse()) as LessonDefined;
  const [a, b] = await Promise.all([codec.encode('lessons', lesson), codec.encode('lessons', reordered)]);
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

test('encode refuses an event its schema rejects', async () => {
  const codec = createJsonCodec();
  await rejects(codec.encode('lessons', { ...lesson, lessonId: 'bad\u0000id' }), /control characters/);
});

test('an event validateEvent returned is not parsed again for its topic; anything else is', () => {
  const parsed = validateEvent('lessons', lesson);
  assert.is(validEvent('lessons', parsed), parsed, 'trusted: the same object back');
  const copy = { ...parsed };
  assert.is.not(validEvent('lessons', copy), copy, 'a copy is parsed again');
  assert.equal(validEvent('lessons', copy), lesson);
  assert.throws(() => validEvent('papers', parsed as never), /does not match its schema/, 'validated for another topic is not trusted');
});

test('topic names carry the prefix and map back to their id', () => {
  assert.is(topicName('medly.', 'attempts'), 'medly.users.attempts');
  assert.is(topicIdOf('medly.', 'medly.users.attempts'), 'attempts');
  assert.is(topicIdOf('other.', 'medly.users.attempts'), undefined);
});

test.run();
