import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createKafka, partitionOfKey } from './kafka.ts';

/** A kafkajs client whose log lines (pino's JSON) are kept, level names and all. */
function recordingKafka() {
  const lines: { level: string; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as { level: string; msg: string });
      done();
    },
  });
  const logger = pino({ level: 'debug', formatters: { level: (label) => ({ level: label }) } }, stream);
  // Unreachable on purpose: nothing here connects.
  return { kafka: createKafka({ brokers: ['127.0.0.1:1'], clientId: 'log-test', logger }), lines };
}

test('creating producers warns about nothing: the partitioner is named, idempotent retries are not limited', () => {
  const { kafka, lines } = recordingKafka();
  kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  kafka.producer();
  assert.equal(lines, []);
});

test('partitionOfKey: Java-compatible murmur2, the same partition for the same key, spread over all of them', () => {
  assert.is(partitionOfKey('u1', 3), partitionOfKey('u1', 3));
  const seen = new Set(Array.from({ length: 60 }, (_, index) => partitionOfKey(`uid-${String(index)}`, 3)));
  assert.equal([...seen].sort(), [0, 1, 2]);
  assert.is(partitionOfKey('anything', 1), 0);
});

test('kafkajs errors a starting broker causes are debug, other retriable ones warn, real errors stay errors', () => {
  const { kafka, lines } = recordingKafka();
  const log = kafka.logger();
  log.error('Response GroupCoordinator(key: 10, version: 2)', { error: "The coordinator is loading and hence can't process requests for this group" });
  log.error('Response Metadata(key: 3, version: 6)', { error: 'There is no leader for this topic-partition as we are in the middle of a leadership election' });
  log.error('Failed to send messages: This server is not the leader for that topic-partition', { retryCount: 0, retryTime: 250 });
  log.error('Messages are rejected since there are fewer in-sync replicas than required', { retryCount: 1, retryTime: 500 });
  log.error('This server is not the leader for that topic-partition', { retryCount: 7, retryTime: 30_000 });
  log.error('Response CreateTopics(key: 19, version: 3)', { error: 'Topic with this name already exists' });
  log.error('Crash: KafkaJSNumberOfRetriesExceeded: The group coordinator is not available', { groupId: 'g' });
  log.error('Restarting the consumer in 300ms', { error: 'The group coordinator is not available', retryCount: 0, retryTime: 300 });
  assert.equal(
    lines.map((line) => line.level),
    ['debug', 'debug', 'debug', 'warn', 'warn', 'error', 'error', 'error'],
  );
});

test.run();
