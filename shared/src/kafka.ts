/**
 * The one module that imports kafkajs (unmaintained upstream): everything else
 * uses these factories and re-exported types, so the client can be swapped here.
 */
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';
import type { Logger } from './logger.ts';
import type { PartitionOffset } from './partitionOffset.ts';

// kafkajs is CommonJS; Node cannot see all of its named exports statically.
const { CompressionTypes, ConfigResourceTypes, Kafka, Partitioners, logLevel: KafkaLogLevel } = kafkajs;

export { CompressionTypes, ConfigResourceTypes };
export type { Admin, Consumer, EachBatchPayload, IHeaders, KafkaMessage, Producer };

/**
 * The partition a keyed message goes to among `partitions`: the producers' own partitioner
 * (below), so a reader can know where a key's next message will land before it is sent.
 */
export function partitionOfKey(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [], isr: [] }));
  return Partitioners.DefaultPartitioner()({ topic: '', partitionMetadata, message: { key, value: null } });
}

/** kafkajs' client with this project's producer settings, so that no caller can forget them. */
class KafkaClient extends Kafka {
  override producer(config: ProducerConfig = {}): Producer {
    return super.producer({
      // Java-compatible murmur2, kafkajs 2's default (keys land where Java clients put them), named
      // so kafkajs does not warn that its default changed in 2.0.
      createPartitioner: Partitioners.DefaultPartitioner,
      // An idempotent send retries until the broker answers, as kafkajs (and Java) default to: a retry
      // keeps its sequence numbers, so it cannot duplicate; fewer retries make kafkajs warn about EoS.
      ...(config.idempotent ? { retry: { retries: Number.MAX_SAFE_INTEGER } } : {}),
      ...config,
    });
  }
}

const toPinoLevel: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

// kafkajs' own table of broker error codes (not in its public API; kafkajs is frozen at 2.2.4).
const { errorCodes } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  errorCodes: { type: string; message: string; retriable: boolean }[];
};
// What a starting broker, a new topic or a moving leader or coordinator answers for a moment.
const TRANSIENT_ERRORS = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'REPLICA_NOT_AVAILABLE',
  'GROUP_LOAD_IN_PROGRESS',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'NOT_CONTROLLER',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
]);
const retriableErrors = errorCodes.filter((code) => code.retriable);
const TRANSIENT_RETRIES = 5;

/**
 * The pino level of a kafkajs log entry. kafkajs logs every failed attempt at
 * ERROR, even a retriable answer it is about to retry: the transient ones of
 * a broker's normal start are debug, other retriable ones warn. Anything else,
 * a crash or retries that ran out included, stays an error.
 */
function levelOf({ level, log }: LogEntry): 'error' | 'warn' | 'info' | 'debug' {
  const pinoLevel = toPinoLevel[level] ?? 'info';
  if (pinoLevel !== 'error') return pinoLevel;
  // A failed response (Connection) names the error apart; a failed send attempt (Producer) carries its retryCount.
  const attemptError = log.message.startsWith('Response ')
    ? typeof log.error === 'string' ? log.error : undefined
    : 'retryCount' in log
      ? log.message.replace(/^Failed to send messages: /, '')
      : undefined;
  const retriable = retriableErrors.find((code) => code.message === attemptError);
  if (!retriable) return 'error';
  // A transient answer that outlasts a few retries (a send that retries without end) is worth seeing.
  const lingering = typeof log.retryCount === 'number' && log.retryCount >= TRANSIENT_RETRIES;
  return TRANSIENT_ERRORS.has(retriable.type) && !lingering ? 'debug' : 'warn';
}

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
}

/** A kafkajs client that logs through pino. Nothing connects until a client's `connect()`. */
export function createKafka({ brokers, clientId, logger }: KafkaClientOptions): KafkaClient {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new KafkaClient({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      kafkaLogger[levelOf(entry)](extra, message);
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
  // A topic created a moment ago may answer "not the leader" for a while after its metadata names one, and
  // kafkajs' admin fails on stale metadata after a broker restart (an empty ListOffsets answer it cannot
  // read): both pass, and reading an end offset again is harmless.
  for (let attempt = 1; ; attempt += 1) {
    try {
      const perTopic = await Promise.all(
        topics.map(async (topic) =>
          (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ topic, partition, offset: Number(high) })),
        ),
      );
      return perTopic.flat();
    } catch (error) {
      if (attempt >= END_OFFSET_ATTEMPTS) throw error;
      await sleep(Math.min(1_000, 100 * attempt));
    }
  }
}

const END_OFFSET_ATTEMPTS = 20;
