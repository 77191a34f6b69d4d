import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envelope, rejection } from '../testing/fixtures.ts';
import { deadLetterRows, rejectionRows } from './rejections.ts';

test('a producer rejection is keyed by file and pointer', () => {
  const [row] = rejectionRows([envelope('rejections', rejection(), 2)]);
  assert.equal([row?.file, row?.pointer, row?.origin, row?.source, row?.reason], ['user_data/user_data.json', '/targets/bad', 'producer', 'users', 'unparseable_key']);
});

test('a dead letter is keyed by where it sits on Kafka, so a replay finds the same row', () => {
  const [row] = deadLetterRows([
    { position: { topic: 'p.users.attempts', partition: 1, offset: 42 }, reason: 'invalid_event', message: 'bad', excerpt: '{' },
  ]);
  assert.equal([row?.file, row?.pointer, row?.origin, row?.source, row?.reason], ['kafka:p.users.attempts', '/1/42', 'projector', null, 'invalid_event']);
});

test.run();
