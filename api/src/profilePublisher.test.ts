import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsonCodec } from '@medly/shared/codec';
import { AppError } from '@medly/shared/errors';
import type { UserProfileChanged } from '@medly/shared/events/userProfileChanged';
import { partitionOfKey, type Admin, type Producer } from '@medly/shared/kafka';
import { createProfilePublisher } from './profilePublisher.ts';

const event: UserProfileChanged = {
  uid: 'u1',
  displayName: 'Ada',
  metadata: { year: 10 },
  changedAt: '2025-01-01T00:00:00.000Z',
  requestId: 'r1',
};

interface Sent {
  topic: string;
  acks: number;
  messages: { key: string; value: Buffer; headers: Record<string, string> }[];
}

function fakes(send: (record: Sent) => Promise<unknown>) {
  const calls = { connect: 0, createTopics: 0, sent: [] as Sent[] };
  const producer = {
    connect: () => {
      calls.connect += 1;
      return Promise.resolve();
    },
    send: (record: Sent) => {
      calls.sent.push(record);
      return send(record);
    },
  } as unknown as Producer;
  const admin = {
    connect: () => Promise.resolve(),
    listTopics: () => Promise.resolve([]),
    describeCluster: () => Promise.resolve({ brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }], controller: 1, clusterId: 'test' }),
    fetchTopicMetadata: ({ topics }: { topics: string[] }) =>
      Promise.resolve({ topics: topics.map((name) => ({ name, partitions: [{ partitionId: 0, leader: 1 }] })) }),
    createTopics: () => {
      calls.createTopics += 1;
      return Promise.resolve(true);
    },
    fetchTopicOffsets: () =>
      Promise.resolve([0, 1, 2].map((partition) => ({ partition, offset: String(10 + partition), high: String(10 + partition), low: '0' }))),
  } as unknown as Admin;
  return { producer, admin, calls };
}

test('sends the encoded event keyed by uid to all replicas; resolves with the next offset', async () => {
  const { producer, admin, calls } = fakes(() => Promise.resolve([{ topicName: 't', partition: 2, errorCode: 0, baseOffset: '41' }]));
  const { publish } = createProfilePublisher({ producer, admin, codec: createJsonCodec(), topicPrefix: 't.', partitions: 3 });
  assert.equal(await publish(event), { topic: 't.users.profiles', partition: 2, offset: 42 });
  await publish(event);
  assert.is(calls.connect, 1, 'connects once, on first use');
  assert.is(calls.createTopics, 1, 'creates the missing compacted topic once');
  const [record] = calls.sent;
  assert.is(record?.acks, -1);
  assert.is(record?.messages[0]?.key, 'u1');
  assert.equal(JSON.parse(record?.messages[0]?.value.toString() ?? ''), event);
  assert.is(record?.messages[0]?.headers['schema-version'], '1');
});

test('a broker failure is a retryable AppError, and the next call connects again', async () => {
  let fail = true;
  const { producer, admin, calls } = fakes(() =>
    fail ? Promise.reject(new Error('broker away')) : Promise.resolve([{ partition: 0, baseOffset: '0' }]),
  );
  const { publish } = createProfilePublisher({ producer, admin, codec: createJsonCodec(), topicPrefix: 't.', partitions: 1 });
  const error = await publish(event).then(() => undefined, (caught: unknown) => caught);
  assert.instance(error, AppError);
  assert.ok((error as AppError).retryable);
  fail = false;
  assert.equal(await publish(event), { topic: 't.users.profiles', partition: 0, offset: 1 });
  assert.is(calls.connect, 2);
});

test('no acknowledgement within the timeout is a retryable AppError, not a hang; settled() waits for the send itself', async () => {
  let land: (value: unknown) => void = () => undefined;
  const { producer, admin } = fakes(() => new Promise((resolve) => (land = resolve)));
  const { publish, settled } = createProfilePublisher({ producer, admin, codec: createJsonCodec(), topicPrefix: 't.', partitions: 1, timeoutMs: 50 });
  const started = Date.now();
  const error = await publish(event).then(() => undefined, (caught: unknown) => caught);
  assert.instance(error, AppError);
  assert.ok((error as AppError).retryable);
  assert.ok(Date.now() - started < 1_000);
  let done = false;
  const waiting = settled().then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.not.ok(done, 'the send that timed out may still land: settled() waits for it');
  land([{ partition: 0, baseOffset: '7' }]);
  await waiting;
  assert.ok(done);
});

test('endOffsetOf: the end offset of the partition the uid\'s changes go to', async () => {
  const { producer, admin } = fakes(() => Promise.resolve([]));
  const { endOffsetOf } = createProfilePublisher({ producer, admin, codec: createJsonCodec(), topicPrefix: 't.', partitions: 3 });
  for (const uid of ['u1', 'u2', 'someone-else']) {
    const partition = partitionOfKey(uid, 3);
    assert.equal(await endOffsetOf(uid), { topic: 't.users.profiles', partition, offset: 10 + partition });
  }
});

test.run();
