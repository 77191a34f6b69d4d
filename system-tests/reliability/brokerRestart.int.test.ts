/**
 * The broker stopped and restarted in the middle of a produce. A private
 * broker (never the shared one) is stopped while the third batch is on its
 * way and started again; the idempotent producer must retry through the
 * outage, and afterwards every event of the data folder must be on its topic
 * exactly as often as a clean run sends it (once per event): nothing lost,
 * nothing doubled by a retry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { createJsonCodec } from '@medly/shared/codec';
import { createKafka, type Producer } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { startPrivateKafka, type PrivateKafka } from '@medly/shared/testing/privateKafka';
import { uniqueTopicPrefix } from '@medly/shared/testing/services';
import { allTopicNames } from '@medly/shared/topics';
import type { KafkaClients } from '@medly/producers/kafkaClients';
import { produce } from '@medly/producers/produce';
import { expectedKeyCounts, keyCountDifferences } from './expectedKeys.ts';
import { reportedHook } from './reportedHook.ts';
import { readKeyCounts } from './topicContents.ts';

const DATA_DIR = resolve(import.meta.dirname, '../../data');
const logger = createLogger({ level: 'error', name: 'broker-restart' });
/** The batch during which the broker goes down (two are acknowledged before it). */
const FAULT_AT_BATCH = 3;

let broker: PrivateKafka;
const cleanups: (() => Promise<unknown>)[] = [];

test.before(
  reportedHook(async () => {
    broker = await startPrivateKafka('broker-restart');
    cleanups.push(() => broker.destroy());
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test('a produce survives the broker stopping and starting mid-flight; every event is on its topic exactly once', async () => {
  const prefix = uniqueTopicPrefix('broker-restart');
  const kafka = createKafka({ brokers: [broker.broker], clientId: 'broker-restart', logger });
  let batches = 0;
  let stopped: Promise<void> | undefined;
  let outage: Promise<void> | undefined;
  const timeline: string[] = [];
  const times = new Map<string, number>();
  const mark = (entry: string) => {
    timeline.push(entry);
    times.set(entry, Date.now());
  };

  // The real producer, with the fault injected around its sendBatch calls: the broker starts its controlled
  // shutdown as batch 3 goes out (which it may or may not answer), and batch 4 is not sent before the broker is
  // down; the broker starts again in the background. One batch is in flight at a time (maxInFlightRequests 1).
  const clients: KafkaClients = {
    admin: () => kafka.admin(),
    consumer: (config) => kafka.consumer(config),
    producer: (config) => {
      const producer = kafka.producer(config);
      const sendBatch: Producer['sendBatch'] = async (batch) => {
        batches += 1;
        const number = batches;
        if (number === FAULT_AT_BATCH) {
          stopped = broker.stop().then(() => {
            mark('broker stopped');
          });
          outage = stopped.then(async () => {
            await broker.start();
            mark('broker started');
          });
        }
        if (number === FAULT_AT_BATCH + 1) await stopped;
        mark(`batch ${number} sent`);
        const sent = await producer.sendBatch(batch);
        mark(`batch ${number} acknowledged`);
        return sent;
      };
      return { ...producer, sendBatch };
    },
  };

  const result = await produce(
    { kafka: clients, codec: createJsonCodec(), logger },
    { dataDir: DATA_DIR, topicPrefix: prefix, partitions: 3, maxRecordBytes: 1024 * 1024 },
  );
  await outage;

  assert.ok(batches > FAULT_AT_BATCH + 2, `the fault fell in the middle of the run (${batches} batches)`);
  // Some batch was on its way while the broker was down, and was acknowledged only after it came back.
  const at = (entry: string) => timeline.indexOf(entry);
  const spanning = [FAULT_AT_BATCH, FAULT_AT_BATCH + 1].filter(
    (number) => at(`batch ${number} sent`) < at('broker started') && at(`batch ${number} acknowledged`) > at('broker started'),
  );
  assert.ok(at('broker stopped') >= 0 && at('broker stopped') < at('broker started'), timeline.join(' → '));
  assert.ok(spanning.length > 0, `a batch waited through the outage: ${timeline.join(' → ')}`);
  const waited = spanning.map((number) => ((times.get(`batch ${number} acknowledged`) ?? 0) - (times.get(`batch ${number} sent`) ?? 0)) / 1000);
  const down = ((times.get('broker started') ?? 0) - (times.get('broker stopped') ?? 0)) / 1000;
  console.log(`broker down ${down.toFixed(1)} s (stopped → started); batch ${spanning.join(', ')} waited ${waited.map((s) => s.toFixed(1)).join(', ')} s; ${batches} batches`);
  assert.is(result.failed, false);
  const { users, course, exams, practices } = result.report.sources;
  assert.equal([users?.read, course?.read, exams?.read, practices?.read], [1061, 279, 64, 5183]);

  const topics = allTopicNames(prefix);
  const [expected, actual] = await Promise.all([expectedKeyCounts(DATA_DIR, prefix), readKeyCounts(kafka, topics)]);
  // Every event produced, and one snapshot marker per source read completely.
  const produced = Object.values(result.report.sources).reduce((sum, source) => sum + source.produced + (source.snapshot === 'taken' ? 1 : 0), 0);
  const messages = [...actual.values()].flatMap((perKey) => [...perKey.values()]).reduce((sum, count) => sum + count, 0);
  assert.is(messages, produced, 'as many messages on the topics as events produced');
  assert.equal(keyCountDifferences(expected, actual), [], 'every key as often as a clean run sends it');
});

test.run();
