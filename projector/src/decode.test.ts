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
  const decoded = await decodeMessage(codec, 'lessons', { value: encoded.value, headers: encoded.headers }, position);
  assert.is(decoded.kind, 'event');
  assert.equal(decoded.kind === 'event' ? decoded.envelope.event : undefined, lesson());
  assert.equal(positionOf(decoded), position);
});

test('an undecodable or invalid message becomes a dead letter, not an error', async () => {
  const codec = createJsonCodec();
  const notJson = await decodeMessage(codec, 'lessons', { value: Buffer.from('not json'), headers: {} }, position);
  assert.equal(notJson.kind === 'deadLetter' ? [notJson.deadLetter.reason, notJson.deadLetter.excerpt] : undefined, ['undecodable_event', 'not json']);
  const invalid = await decodeMessage(codec, 'lessons', { value: Buffer.from('{"lessonId":1}'), headers: {} }, position);
  assert.is(invalid.kind === 'deadLetter' ? invalid.deadLetter.reason : undefined, 'invalid_event');
});

test('a tombstone carries no event', async () => {
  const decoded = await decodeMessage(createJsonCodec(), 'lessons', { value: null, headers: {} }, position);
  assert.equal(decoded, { kind: 'tombstone', position });
});

test('an error retrying can cure is thrown, not dead-lettered', async () => {
  const codec = {
    encode: () => Promise.reject(new Error('unused')),
    decode: () => Promise.reject(new AppError('registry_unavailable', 'registry away', { retryable: true })),
  };
  try {
    await decodeMessage(codec, 'lessons', { value: Buffer.from('{}'), headers: {} }, position);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.match(String(error), /registry away/);
  }
});

test.run();
