import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envelope, rejection, SEEN } from '../testing/fixtures.ts';
import { deadLetterRows, rejectionRows } from './rejections.ts';

test('a producer rejection is keyed by file and pointer', () => {
  const [row] = rejectionRows([envelope('rejections', rejection(), 2)]);
  assert.equal([row?.file, row?.pointer, row?.origin, row?.source, row?.reason], ['user_data/user_data.json', '/targets/bad', 'producer', 'users', 'unparseable_key']);
});

test('a dead letter is kept under its topic and key, so a replay or a re-import finds the same row', () => {
  const position = { topic: 'p.users.attempts', partition: 1, offset: 42 };
  const [keyed, unkeyed] = deadLetterRows([
    { position, key: 'users/u1/x', seen: SEEN, reason: 'invalid_event', message: 'bad', excerpt: '{' },
    { position, key: null, seen: SEEN, reason: 'undecodable_event', message: 'bad', excerpt: '{' },
  ]);
  assert.equal([keyed?.file, keyed?.pointer, keyed?.origin, keyed?.source, keyed?.reason], ['kafka:p.users.attempts', 'users/u1/x', 'projector', null, 'invalid_event']);
  assert.equal([unkeyed?.file, unkeyed?.pointer], ['kafka:p.users.attempts', '/1/42'], 'a message without a key: where it sits');
});

test.run();
