import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sr from '@confluentinc/schemaregistry';
import { createJsonCodec, decode, SCHEMA_VERSION_HEADER, validateEvent } from './codec.ts';
import type { AttemptRecorded } from './events/attemptRecorded.ts';
import { createSchemaRegistryCodec, JSON_VALUE_SCHEMA, jsonSchemaOf, subjectOf } from './schemaRegistryCodec.ts';
import { rejects } from './testing/rejects.ts';
import { sampleLesson } from './testing/sampleEvents.ts';
import { topicIds } from './topics.ts';

const lesson = validateEvent('lessons', sampleLesson);

const attemptInput: AttemptRecorded = {
  path: 'users/u1/subjectsWeb/aqaGCSEBio/mocks/p1/questions/q1',
  uid: 'u1',
  subjectId: 'aqaGCSEBio',
  context: 'mock',
  paperId: 'p1',
  lessonId: null,
  questionId: 'q1',
  bodyQuestionId: 'q1',
  createdAt: '2025-09-15T07:53:09.441000Z',
  createdAtRaw: '2025-09-15T07:53:09.441000+00:00',
  updatedAt: null,
  updatedAtRaw: null,
  isMarked: false,
  userMark: null,
  userAnswer: null,
  annotatedAnswer: null,
  markingTable: null,
  options: ['A', 'B'],
  canvas: { maths: [], paths: [], textboxes: [{ text: 'x', x: 1.5, isMath: false }] },
  extra: { something: { nested: [1, null, 'two'] } },
  source: { file: 'user_data/user_data.json', pointer: '/targets/users~1u1' },
};
const attempt = validateEvent('attempts', attemptInput);

test('values are registry-framed (magic byte 0, schema id) JSON, one BACKWARD subject per topic', async () => {
  const client = new sr.MockClient();
  const codec = createSchemaRegistryCodec({ client, topicPrefix: 'test.' });
  const encoded = await codec.encode('lessons', lesson);
  assert.is(encoded.key, 'aqaGCSEBio0.0.0');
  assert.is(encoded.value[0], 0);
  assert.is(encoded.value.readUInt32BE(1), await codec.register('lessons'), 'the schema id follows the magic byte');
  assert.is(encoded.headers[SCHEMA_VERSION_HEADER], '1');
  assert.equal(JSON.parse(encoded.value.subarray(5).toString('utf8')), lesson);

  const subject = subjectOf('test.', 'lessons');
  assert.is(subject, 'test.curriculum.lessons-value');
  assert.equal(await client.getAllSubjects(), [subject]);
  assert.is(await client.getCompatibility(subject), 'BACKWARD');
  const registered = await client.getLatestSchemaMetadata(subject);
  assert.is(registered.schemaType, 'JSON');
  assert.equal(JSON.parse(registered.schema), jsonSchemaOf('lessons'));
});

test('the same event gives the same bytes, whatever its key order', async () => {
  const codec = createSchemaRegistryCodec({ client: new sr.MockClient(), topicPrefix: 'test.' });
  const reordered = Object.fromEntries(Object.entries(attemptInput).reverse());
  const [a, b] = await Promise.all([codec.encode('attempts', attempt), codec.encode('attempts', validateEvent('attempts', reordered))]);
  assert.ok(a.value.equals(b.value));
});

test('the registry codec, the shared decode and the JSON codec all read both forms', async () => {
  const registry = createSchemaRegistryCodec({ client: new sr.MockClient(), topicPrefix: 'test.', validate: true });
  const plain = createJsonCodec();
  const framed = await registry.encode('attempts', attempt);
  const json = await plain.encode('attempts', attempt);
  assert.equal(await registry.decode('attempts', framed), attempt);
  assert.equal(await registry.decode('attempts', json), attempt);
  assert.equal(decode('attempts', framed), attempt);
  assert.equal(decode('attempts', json), attempt);
  assert.equal(await plain.decode('attempts', framed), attempt);
});

test('every topic has a JSON Schema the serializer validates real events against', async () => {
  const registry = createSchemaRegistryCodec({ client: new sr.MockClient(), topicPrefix: 'test.', validate: true });
  for (const topic of topicIds) {
    const schema = jsonSchemaOf(topic);
    assert.is(schema.$schema, 'http://json-schema.org/draft-07/schema#', topic);
    assert.is(schema.type, 'object', topic);
  }
  // With validate on, the library checks each value against the registered schema (ajv) before framing it.
  await registry.encode('lessons', lesson);
  await registry.encode('attempts', attempt);
  const rejection = { source: 'users', file: 'f', pointer: '/x', reason: 'invalid_body', message: 'm', excerpt: '"x"' };
  await registry.encode('rejections', validateEvent('rejections', rejection));
});

test('JSON values are one recursive definition, the same whatever checks them in code', () => {
  const schema = jsonSchemaOf('attempts') as { definitions: Record<string, unknown>; properties: Record<string, unknown> };
  assert.equal(schema.definitions, { json: JSON_VALUE_SCHEMA });
  assert.equal(schema.properties.canvas, { $ref: '#/definitions/json' });
  assert.equal(schema.properties.extra, { type: 'object', additionalProperties: { $ref: '#/definitions/json' } });
});

test('events the zod schema refuses are refused before the registry is asked', async () => {
  const client = new sr.MockClient();
  const codec = createSchemaRegistryCodec({ client, topicPrefix: 'test.' });
  await rejects(
    Promise.resolve().then(() => codec.encode('lessons', validateEvent('lessons', { ...sampleLesson, lessonId: '' }))),
    /does not match its schema: lessonId/,
  );
  assert.equal(await client.getAllSubjects(), []);
});

test('a registration that fails (registry away) is retried by the next encode', async () => {
  const client = new sr.MockClient();
  const register = client.register.bind(client);
  let calls = 0;
  client.register = async (...args: Parameters<typeof register>) => {
    calls += 1;
    if (calls === 1) throw Object.assign(new Error('connect ECONNREFUSED'), { status: undefined });
    return register(...args);
  };
  const codec = createSchemaRegistryCodec({ client, topicPrefix: 'test.' });
  const error = await rejects(codec.encode('lessons', lesson), /cannot register the schema of test\.curriculum\.lessons-value/);
  assert.is((error as { retryable?: boolean }).retryable, true);
  const encoded = await codec.encode('lessons', lesson);
  assert.is(encoded.value[0], 0);
});

test('frames without a payload and tombstones are refused clearly', async () => {
  await rejects(Promise.resolve().then(() => decode('lessons', { value: Buffer.from([0, 0, 0, 0, 1]), headers: {} })), /registry frame without a payload/);
  await rejects(Promise.resolve().then(() => decode('lessons', { value: null, headers: {} })), /tombstone/);
});

test.run();
