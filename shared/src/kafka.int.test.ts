import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigResourceTypes, createKafka, ensureCompactedTopics, type KafkaMessage } from './kafka.ts';
import { createLogger } from './logger.ts';
import { testServices, uniqueTopicPrefix } from './testing/services.ts';

const logger = createLogger({ level: 'warn', name: 'test' });

test('a keyed message makes the round trip through a real, compacted topic', async () => {
  const { kafkaBrokers } = await testServices();
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'round-trip', logger });
  const topic = `${uniqueTopicPrefix('kafka')}round-trip`;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}.group` });
  try {
    await admin.connect();
    assert.equal(await ensureCompactedTopics(admin, [topic], 2), [topic]);
    assert.equal(await ensureCompactedTopics(admin, [topic], 2), [], 'a second call creates nothing');
    const [config] = (await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false })).resources;
    const entry = (name: string) => config?.configEntries.find((e) => e.configName === name)?.configValue;
    assert.is(entry('cleanup.policy'), 'compact');
    assert.is(entry('retention.ms'), '-1');
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    assert.equal(
      metadata?.partitions.map((partition) => partition.replicas.length),
      [1, 1],
      'one copy of each partition on a one-broker cluster (min(3, brokers))',
    );

    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'lesson-1', value: '{"title":"Cells"}', headers: { 'schema-version': '1' } }] });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<KafkaMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('no message within 30 s'));
      }, 30_000);
      void consumer.run({
        eachMessage: ({ message }) => {
          clearTimeout(timer);
          resolve(message);
          return Promise.resolve();
        },
      });
    });
    assert.is(received.key?.toString(), 'lesson-1');
    assert.is(received.value?.toString(), '{"title":"Cells"}');
    assert.is(received.headers?.['schema-version']?.toString(), '1');
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
});

test('keys land on the partitions a Java client picks: murmur2 of the key, as positive, modulo the partitions', async () => {
  const { kafkaBrokers } = await testServices();
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'partitions', logger });
  const topic = `${uniqueTopicPrefix('kafka')}partitions`;
  // Apache Kafka's own murmur2 vectors (UtilsTest.testMurmur2): key → the hash the Java client computes.
  const javaHashes: [string, number][] = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  const partitions = 7;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await admin.connect();
    await ensureCompactedTopics(admin, [topic], partitions);
    await producer.connect();
    for (const [key, hash] of javaHashes) {
      const [sent] = await producer.send({ topic, acks: -1, messages: [{ key, value: key }] });
      assert.is(sent?.partition, (hash & 0x7fffffff) % partitions, key);
    }
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
});

test.run();
