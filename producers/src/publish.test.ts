import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from '@medly/shared/kafka';
import { rejects } from '@medly/shared/testing/rejects';
import { createPublisher, PRODUCED_AT_HEADER, type OutgoingMessage } from './publish.ts';

type Batch = Parameters<Producer['sendBatch']>[0];

function fakeProducer(options: { delayMs?: number; failOn?: number } = {}) {
  const batches: Batch[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    batches,
    maxInFlight: () => maxInFlight,
    producer: {
      async sendBatch(batch: Batch) {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(options.delayMs ?? 0);
        inFlight -= 1;
        if (options.failOn === batches.length) throw new Error('broker said no');
        batches.push(batch);
        return [];
      },
    },
  };
}

const message = (topic: string, key: string, bytes = 10): OutgoingMessage => ({
  topic,
  key,
  value: Buffer.alloc(bytes, 'x'),
  headers: { 'schema-version': '1' },
});

const sentKeys = (batches: Batch[]) =>
  batches.flatMap((batch) => (batch.topicMessages ?? []).flatMap((t) => t.messages.map((m) => `${t.topic}:${String(m.key)}`)));

test('messages go out in batches of at most maxBatchMessages, grouped by topic, in order, gzip, acks=-1', async () => {
  const fake = fakeProducer();
  const publisher = createPublisher({ producer: fake.producer, maxBatchMessages: 3, now: () => new Date('2025-01-01T00:00:00Z') });
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  for (const [index, key] of keys.entries()) await publisher.enqueue(message(index % 2 ? 't2' : 't1', key));
  await publisher.flush();
  assert.equal(fake.batches.map((b) => b.topicMessages?.reduce((n, t) => n + t.messages.length, 0)), [3, 3, 1]);
  assert.equal(sentKeys(fake.batches), ['t1:a', 't1:c', 't2:b', 't2:d', 't2:f', 't1:e', 't1:g']);
  const first = fake.batches[0];
  assert.is(first?.acks, -1);
  assert.is(first?.compression, 1, 'gzip');
  assert.equal(first?.topicMessages?.[0]?.messages[0]?.headers, { 'schema-version': '1', [PRODUCED_AT_HEADER]: '2025-01-01T00:00:00.000Z' });
  assert.equal(publisher.stats.messages, 7);
});

test('a batch is sealed before it would pass maxBatchBytes; a big message goes alone', async () => {
  const fake = fakeProducer();
  const publisher = createPublisher({ producer: fake.producer, maxBatchBytes: 1000 });
  await publisher.enqueue(message('t', 'a', 500));
  await publisher.enqueue(message('t', 'b', 500));
  await publisher.enqueue(message('t', 'big', 5000));
  await publisher.enqueue(message('t', 'c', 10));
  await publisher.flush();
  assert.equal(fake.batches.map((b) => b.topicMessages?.[0]?.messages.map((m) => m.key)), [['a'], ['b'], ['big'], ['c']]);
});

test('one batch in flight at a time; enqueue waits when maxPendingBatches are queued', async () => {
  const fake = fakeProducer({ delayMs: 20 });
  const publisher = createPublisher({ producer: fake.producer, maxBatchMessages: 1, maxPendingBatches: 2 });
  const started = Date.now();
  for (let i = 0; i < 6; i += 1) await publisher.enqueue(message('t', `k${i}`));
  const enqueueMs = Date.now() - started;
  await publisher.flush();
  assert.is(fake.maxInFlight(), 1);
  assert.ok(enqueueMs >= 40, `enqueue applied back-pressure (${enqueueMs} ms)`);
  assert.equal(sentKeys(fake.batches), ['t:k0', 't:k1', 't:k2', 't:k3', 't:k4', 't:k5']);
});

test('a failed send fails the next enqueue and the flush, not silently', async () => {
  const fake = fakeProducer({ failOn: 1 });
  const publisher = createPublisher({ producer: fake.producer, maxBatchMessages: 1, maxPendingBatches: 1 });
  await rejects(
    (async () => {
      for (let i = 0; i < 10; i += 1) await publisher.enqueue(message('t', `k${i}`));
    })(),
    /broker said no/,
  );
  await rejects(publisher.flush(), /broker said no/);
  assert.is(fake.batches.length, 1);
});

test('flush with nothing buffered resolves at once', async () => {
  const fake = fakeProducer();
  await createPublisher({ producer: fake.producer }).flush();
  assert.is(fake.batches.length, 0);
});

test.run();
