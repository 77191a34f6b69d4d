import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsonCodec, validateEvent } from '@medly/shared/codec';
import { AppError } from '@medly/shared/errors';
import { decodeMessage, positionOf } from './decode.ts';
import { lesson } from './testing/fixtures.ts';

const position = { topic: 'p.curriculum.lessons', partition: 0, offset: 9 };

test('a valid message decodes to an envelope with its position', async () => {
  const codec = createJsonCodec();
  const encoded = await codec.encode('lessons', validateEvent('lessons', lesson()));
  const decoded = await decodeMessage(codec, 'lessons', { key: Buffer.from(encoded.key), value: encoded.value, headers: encoded.headers, timestamp: '1767225600000' }, position);
  assert.is(decoded.kind, 'event');
  assert.equal(decoded.kind === 'event' ? decoded.envelope.event : undefined, lesson());
  assert.equal(positionOf(decoded), position);
});

test('an undecodable or invalid message becomes a dead letter, not an error', async () => {
  const codec = createJsonCodec();
  const notJson = await decodeMessage(codec, 'lessons', { key: Buffer.from('l1'), value: Buffer.from('not json'), headers: {}, timestamp: '1767225600000' }, position);
  assert.equal(notJson.kind === 'deadLetter' ? [notJson.deadLetter.reason, notJson.deadLetter.excerpt] : undefined, ['undecodable_event', 'not json']);
  const invalid = await decodeMessage(codec, 'lessons', { key: Buffer.from('l1'), value: Buffer.from('{"lessonId":1}'), headers: {}, timestamp: '1767225600000' }, position);
  assert.is(invalid.kind === 'deadLetter' ? invalid.deadLetter.reason : undefined, 'invalid_event');
});

test('a tombstone names its key', async () => {
  const decoded = await decodeMessage(createJsonCodec(), 'lessons', { key: Buffer.from('l1'), value: null, headers: {}, timestamp: '1767225600000' }, position);
  assert.equal(decoded.kind === 'tombstone' ? [decoded.tombstone.topicId, decoded.tombstone.key, decoded.tombstone.position] : undefined, ['lessons', 'l1', position]);
});

test('the seen times come from the headers, else from when the message was written', async () => {
  const codec = createJsonCodec();
  const encoded = await codec.encode('lessons', validateEvent('lessons', lesson()));
  const headers = { ...encoded.headers, 'imported-at': '2026-02-01T00:00:00.000Z', 'first-seen-at': '2026-01-01T00:00:00.000Z' };
  const stamped = await decodeMessage(codec, 'lessons', { key: Buffer.from(encoded.key), value: encoded.value, headers, timestamp: '0' }, position);
  assert.equal(stamped.kind === 'event' ? stamped.envelope.seen : undefined, {
    importedAt: '2026-02-01T00:00:00.000Z',
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    entityFirstSeenAt: '2026-01-01T00:00:00.000Z',
  });
  const bare = await decodeMessage(codec, 'lessons', { key: Buffer.from(encoded.key), value: encoded.value, headers: encoded.headers, timestamp: '1767225600000' }, position);
  const written = '2026-01-01T00:00:00.000Z';
  assert.equal(bare.kind === 'event' ? bare.envelope.seen : undefined, { importedAt: written, firstSeenAt: written, entityFirstSeenAt: written });
});

test('an error retrying can cure is thrown, not dead-lettered', async () => {
  const codec = {
    encode: () => Promise.reject(new Error('unused')),
    decode: () => Promise.reject(new AppError('registry_unavailable', 'registry away', { retryable: true })),
  };
  try {
    await decodeMessage(codec, 'lessons', { key: null, value: Buffer.from('{}'), headers: {}, timestamp: '0' }, position);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.match(String(error), /registry away/);
  }
});

test.run();
