/**
 * The one module that imports kafkajs (unmaintained upstream): everything else
 * uses these factories and re-exported types, so the client can be swapped here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type { Logger } from './logger.ts';
import type { PartitionOffset } from './partitionOffset.ts';

// kafkajs is CommonJS; Node cannot see all of its named exports statically.
const { CompressionTypes, ConfigResourceTypes, Kafka, logLevel: KafkaLogLevel } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

export { CompressionTypes, ConfigResourceTypes };
export type { Admin, Consumer, EachBatchPayload, IHeaders, KafkaMessage, Producer };

const toPinoLevel: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
}

/** A kafkajs client that logs through pino. Nothing connects until a client's `connect()`. */
export function createKafka({ brokers, clientId, logger }: KafkaClientOptions): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        kafkaLogger[toPinoLevel[level] ?? 'info'](extra, message);
      },
  });
}

/** Copies of each partition kept on a cluster with enough brokers (Kafka's usual production choice). */
const MAX_REPLICATION_FACTOR = 3;

/**
 * Creates the topics that are missing, compacted and kept forever (replay
 * needs every key's last value), each partition replicated on
 * min(3, brokers) brokers: 1 on a single-node broker (tests, compose), 3 on a
 * real cluster. Existing topics are left as they are.
 */
export async function ensureCompactedTopics(
  admin: Admin,
  topics: readonly string[],
  numPartitions: number,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length === 0) return [];
  const { brokers } = await admin.describeCluster();
  await admin.createTopics({
    // Leaders are awaited below, for these topics and for any another process created first.
    waitForLeaders: false,
    topics: missing.map((topic) => ({
      topic,
      numPartitions,
      replicationFactor: Math.max(1, Math.min(MAX_REPLICATION_FACTOR, brokers.length)),
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'retention.ms', value: '-1' },
      ],
    })),
  });
  // Another process may have created some of them a moment before (the projector and the
  // producers start together), and createTopics only waits for the ones it created.
  await waitForLeaders(admin, missing);
  return missing;
}

const LEADER_WAIT_MS = 30_000;

async function waitForLeaders(admin: Admin, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => undefined);
    const led = metadata?.topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0));
    if (led) return;
    if (Date.now() > deadline) throw new Error(`topics without a leader after ${String(LEADER_WAIT_MS)} ms: ${topics.join(', ')}`);
    await sleep(100);
  }
}

/** The end offset (high watermark: the next offset to be written) of every partition of the topics. */
export async function fetchEndOffsets(admin: Admin, topics: readonly string[]): Promise<PartitionOffset[]> {
  const perTopic = await Promise.all(
    topics.map(async (topic) =>
      (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ topic, partition, offset: Number(high) })),
    ),
  );
  return perTopic.flat();
}
