/**
 * The projector's consumer: a kafkajs group member on every topic under the
 * prefix, `eachBatch` with auto-commit and auto-resolve off.
 *
 * Offsets live in Postgres (checkpoints), not in Kafka. kafkajs has no
 * rebalance listener, so on every group join the assigned partitions are
 * marked not ready, their checkpoints read, and each is sought there;
 * batches of a partition that is not ready (or fetched before the seek) are
 * left for a later fetch. applyBatch skips anything at or below a stored
 * checkpoint anyway, so a redelivery applies nothing twice. Kafka offsets are
 * committed after the database commit, for lag tools only.
 */
import type { EventCodec } from '@medly/shared/codec';
import type { DatabasePool } from '@medly/shared/db';
import { ensureTopics } from '@medly/shared/ensureTopics';
import { fetchEndOffsets, type createKafka, type EachBatchPayload } from '@medly/shared/kafka';
import type { Logger } from '@medly/shared/logger';
import { partitionKey, type PartitionOffset } from '@medly/shared/partitionOffset';
import { allTopicNames, topicIdOf } from '@medly/shared/topics';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { readCheckpointMap } from './checkpoints.ts';
import { decodeMessage, type Decoded } from './decode.ts';
import type { PartitionRange } from './applyBatch.ts';
import type { BatchWriter } from './batchWriter.ts';
import { createFlusher, type FlushResult } from './flusher.ts';
import { waitUntilCaughtUp } from './caughtUp.ts';
import { createRunTotals, type RunSummary } from './runTotals.ts';

export interface ProjectorDeps {
  kafka: ReturnType<typeof createKafka>;
  /** Reads (checkpoints on a join). */
  pool: DatabasePool;
  /** Writes the batches. */
  writer: BatchWriter;
  codec: EventCodec;
  logger: Logger;
  topicPrefix: string;
  group: string;
  /** Partitions of the topics the projector creates when they are missing. */
  topicPartitions: number;
  maxBatchMessages?: number;
  lingerMs?: number;
  sessionTimeoutMs?: number;
  onCommitted?: (result: FlushResult) => void;
}

export interface RunOptions {
  /** Stop once every partition's checkpoint reaches the end offset it had when the run began. */
  untilCaughtUp?: boolean;
}

export function createProjector(deps: ProjectorDeps) {
  const { kafka, pool, writer, codec, logger, topicPrefix, group } = deps;
  const topicNames = allTopicNames(topicPrefix);
  const consumer = kafka.consumer({
    groupId: group,
    sessionTimeout: deps.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: 1024 * 1024,
    // Smaller fetches than kafkajs' 10 MiB (compressed: ~15 000 events) let decoding the next
    // one overlap writing this one.
    maxBytes: 1024 * 1024,
    // An idle fetch returns after this long: it bounds how late a seek issued during one
    // (after a join) takes effect, and how long a disconnect waits.
    maxWaitTimeInMs: 1_000,
    allowAutoTopicCreation: false,
  });
  /** Next offset per partition assigned to this member whose seek has been issued. */
  const ready = new Map<string, number>();
  const totals = createRunTotals(logger);
  let joins = 0;
  /** Bumped by every seek, so batches decoded before it are dropped. */
  let seekEpoch = 0;
  let failed: Error | undefined;
  let fail: (error: unknown) => void = () => undefined;
  let stopping: Promise<void> | undefined;
  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });

  const onCommitted = async (result: FlushResult) => {
    totals.add(result);
    deps.onCommitted?.(result);
    if (result.checkpoints.length > 0) {
      await consumer.commitOffsets(
        result.checkpoints.map(({ topic, partition, offset }) => ({ topic, partition, offset: String(offset) })),
      );
    }
  };
  const maxBatchMessages = deps.maxBatchMessages ?? 5_000;
  const flusher = createFlusher({
    writer,
    group,
    logger,
    maxMessages: maxBatchMessages,
    lingerMs: deps.lingerMs ?? 15,
    onCommitted,
  });

  /** Seeks every assigned partition to its checkpoint; retries while the database is away, until a newer join. */
  async function seekToCheckpoints(assignment: Record<string, number[]>, generation: number): Promise<void> {
    for (let attempt = 0; generation === joins && !stopping; attempt += 1) {
      try {
        // Batches handed over before the rebalance are written first, so the checkpoints read are current.
        await flusher.waitForRoom(0);
        const stored = await readCheckpointMap(pool, group);
        if (generation !== joins) return;
        for (const [topic, partitions] of Object.entries(assignment)) {
          for (const partition of partitions) {
            const next = stored.get(partitionKey(topic, partition)) ?? 0;
            consumer.seek({ topic, partition, offset: String(next) });
            ready.set(partitionKey(topic, partition), next);
          }
        }
        logger.info({ partitions: ready.size }, 'assigned partitions sought to their checkpoints');
        return;
      } catch (error) {
        const delay = Math.min(15_000, 200 * 2 ** attempt);
        logger.warn({ err: error, delayMs: delay }, 'could not read checkpoints after joining the group; retrying');
        await sleep(delay);
      }
    }
  }

  /**
   * Decodes a partition's batch and hands it to the flusher, then returns at
   * once (kafkajs fetches the next batches while this one is written) unless
   * too much is waiting. The kafkajs position moves on in memory only; Kafka
   * offsets are committed after the database commit, and a restart seeks to
   * the database's checkpoints anyway.
   */
  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    if (failed) throw failed;
    // Stopping: what is not handed over is read again from the checkpoints next time.
    if (stopping) return;
    const key = partitionKey(batch.topic, batch.partition);
    const from = ready.get(key);
    if (from === undefined || payload.isStale() || !payload.isRunning()) return;
    const topicId = topicIdOf(topicPrefix, batch.topic);
    const last = batch.messages.at(-1);
    if (topicId === undefined || last === undefined) return;
    const range = { topic: batch.topic, partition: batch.partition, from, next: Number(last.offset) + 1 };
    if (range.next <= from) {
      payload.resolveOffset(last.offset);
      return;
    }
    const epoch = seekEpoch;
    // Decoding is synchronous work: one batch per turn of the event loop, so the flusher
    // can start writing what is decoded while the fetch's other batches are decoded.
    await setImmediate();
    const decoded: Decoded[] = await Promise.all(
      batch.messages
        .filter((message) => Number(message.offset) >= from)
        .map((message) =>
          decodeMessage(codec, topicId, message, { topic: batch.topic, partition: batch.partition, offset: Number(message.offset) }),
        ),
    );
    // A seek (a join, or a partition sent back to its checkpoint) while decoding makes this batch stale.
    if (epoch !== seekEpoch || ready.get(key) !== from) return;
    flusher.add(decoded, range, heartbeat).then(
      (outcome) => {
        if (!outcome.applied) seekBack(range, outcome.storedOffset);
      },
      (error: unknown) => {
        // A batch handed over while stopping is refused; it was never applied, so nothing is lost.
        if (!stopping) fail(error);
      },
    );
    ready.set(key, range.next);
    payload.resolveOffset(last.offset);
    const room = flusher.waitForRoom(maxBatchMessages);
    for (let waited = false; !waited; ) {
      waited = await Promise.race([room.then(() => true), sleep(1_000).then(() => false)]);
      await heartbeat();
    }
  }

  /** The database's checkpoint is behind where this consumer stands (a replay emptied it): go back to it. */
  function seekBack(range: PartitionRange, storedOffset: number): void {
    const key = partitionKey(range.topic, range.partition);
    if (storedOffset >= (ready.get(key) ?? 0)) return;
    logger.warn({ ...range, storedOffset }, 'checkpoint behind the consumer; seeking back');
    seekEpoch += 1;
    consumer.seek({ topic: range.topic, partition: range.partition, offset: String(storedOffset) });
    ready.set(key, storedOffset);
  }

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      await flusher.stop();
      await consumer.disconnect();
      markStopped();
    })();
    return stopping;
  }

  return {
    /** Consumes until stopped (or, with `untilCaughtUp`, until the end offsets seen at the start are applied). */
    async run(options: RunOptions = {}): Promise<RunSummary> {
      const started = Date.now();
      const admin = kafka.admin();
      let targets: PartitionOffset[] = [];
      try {
        await admin.connect();
        const created = await ensureTopics(admin, { topicPrefix, partitions: deps.topicPartitions });
        if (created.length > 0) logger.info({ created }, 'created missing topics');
        if (options.untilCaughtUp) targets = await fetchEndOffsets(admin, topicNames);
      } finally {
        await admin.disconnect();
      }

      const failure = new Promise<never>((_, reject) => {
        fail = (error: unknown) => {
          failed ??= error instanceof Error ? error : new Error(String(error));
          reject(failed);
        };
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (payload.restart) logger.warn({ err: payload.error }, 'consumer crashed; kafkajs restarts it');
          else fail(payload.error);
        });
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        joins += 1;
        seekEpoch += 1;
        ready.clear();
        void seekToCheckpoints(payload.memberAssignment, joins);
      });
      await consumer.connect();
      await consumer.subscribe({ topics: topicNames, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(16, topicNames.length * deps.topicPartitions),
        eachBatch,
      });

      try {
        const caughtUp = () => waitUntilCaughtUp({ pool, group, logger, stopping: () => stopping !== undefined }, targets);
        await Promise.race([options.untilCaughtUp ? caughtUp() : stopped, failure]);
      } finally {
        await stop();
      }
      return totals.summary(started);
    },
    stop,
  };
}
