/**
 * Gathers the batches kafkajs hands over concurrently (one per partition of a
 * fetch) and writes them as one transaction once `maxMessages` are waiting
 * or no new batch came for `lingerMs`. Each caller's promise settles when the
 * transaction holding its messages has committed, so kafkajs offsets are
 * only touched after the database has the rows.
 *
 * Retryable database errors back off and try again (until stopped); a data
 * error isolates the batch message by message and dead-letters the one
 * Postgres refuses, so one bad event never stops the projector.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isRefusedData } from '@medly/shared/dbErrors';
import { isRetryable } from '@medly/shared/errors';
import { jsonExcerpt } from '@medly/shared/excerpt';
import type { Logger } from '@medly/shared/logger';
import { partitionKey, type PartitionOffset } from '@medly/shared/partitionOffset';
import type { BatchWriter } from './batchWriter.ts';
import { applyBatch, type Batch, type BatchOutcome, type DivergedRange, type PartitionRange } from './applyBatch.ts';
import { positionOf, type Decoded } from './decode.ts';
import { eventKey } from './envelope.ts';
import { addCounts, type TableCounts } from './stats.ts';

/** What one flush wrote: the outcomes of its batches, merged. */
export type FlushResult = BatchOutcome;

/** What became of one partition's batch: applied, or the stored checkpoint to seek back to. */
export type RangeOutcome = { applied: true } | { applied: false; storedOffset: number };

interface Pending {
  items: Decoded[];
  range: PartitionRange;
  heartbeat: () => Promise<void>;
  resolve: (outcome: RangeOutcome) => void;
  reject: (error: unknown) => void;
}

export interface FlusherOptions {
  writer: BatchWriter;
  group: string;
  logger: Logger;
  maxMessages: number;
  lingerMs: number;
  /** Called after each commit (Kafka offset commit, totals); its errors are logged, never thrown. */
  onCommitted: (result: FlushResult) => Promise<void>;
}

const BACKOFF_MIN_MS = 200;
const BACKOFF_MAX_MS = 15_000;

export function createFlusher(options: FlusherOptions) {
  const { writer, group, logger } = options;
  let pending: Pending[] = [];
  let pendingCount = 0;
  let inflightCount = 0;
  let roomWaiters: { limit: number; resolve: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const transact = (batch: Batch): Promise<BatchOutcome> => writer.transaction((connection) => applyBatch(connection, group, batch));

  async function withRetry<T>(work: () => Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (stopped || !isRetryable(error)) throw error;
        const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
        logger.warn({ err: error, attempt, delayMs: delay }, 'database unavailable; retrying the batch');
        await heartbeat().catch(() => undefined);
        await sleep(delay);
      }
    }
  }

  /** One message per transaction, partition by partition; a message Postgres refuses becomes a dead letter. */
  async function applyOneByOne(taken: readonly Pending[], heartbeat: () => Promise<void>): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = [];
    for (const { items, range } of taken) {
      let from = range.from;
      const sorted = items.toSorted((a, b) => positionOf(a).offset - positionOf(b).offset);
      const steps = [...sorted.map((item) => ({ item, next: positionOf(item).offset + 1 })), { item: undefined, next: range.next }];
      for (const { item, next } of steps) {
        if (next <= from) continue;
        const stepRange = { ...range, from, next };
        let outcome: BatchOutcome;
        try {
          outcome = await withRetry(() => transact({ items: item ? [item] : [], ranges: [stepRange] }), heartbeat);
        } catch (error) {
          if (!item || !isRefusedData(error)) throw error;
          logger.error({ err: error, ...positionOf(item) }, 'event refused by the database; kept as a dead letter');
          const deadLetter = asDeadLetter(item, error);
          outcome = await withRetry(() => transact({ items: [deadLetter], ranges: [stepRange] }), heartbeat);
        }
        outcomes.push(outcome);
        if (outcome.diverged.length > 0) break;
        from = next;
      }
    }
    return outcomes;
  }

  async function flush(): Promise<void> {
    const taken = pending;
    inflightCount = pendingCount;
    pending = [];
    pendingCount = 0;
    if (taken.length === 0) return;
    const heartbeat = async () => {
      await Promise.all(taken.map((entry) => entry.heartbeat().catch(() => undefined)));
    };
    const started = performance.now();
    try {
      let outcomes: BatchOutcome[];
      try {
        const batch = { items: taken.flatMap((entry) => entry.items), ranges: taken.map((entry) => entry.range) };
        outcomes = [await withRetry(() => transact(batch), heartbeat)];
      } catch (error) {
        if (!isRefusedData(error)) throw error;
        logger.warn({ err: error }, 'batch refused by the database; applying it message by message');
        outcomes = await applyOneByOne(taken, heartbeat);
      }
      const result = mergeOutcomes(outcomes);
      logger.debug({ messages: result.applied, skipped: result.skipped, ms: Math.round(performance.now() - started) }, 'batch committed');
      const refused = new Map(result.diverged.map((range) => [rangeKey(range), range.storedOffset]));
      for (const entry of taken) {
        const storedOffset = refused.get(rangeKey(entry.range));
        entry.resolve(storedOffset === undefined ? { applied: true } : { applied: false, storedOffset });
      }
      await options.onCommitted(result).catch((error: unknown) => {
        logger.warn({ err: error }, 'after-commit step failed (the database is ahead of Kafka; harmless)');
      });
    } catch (error) {
      for (const entry of taken) entry.reject(error);
    } finally {
      inflightCount = 0;
      const waiting = roomWaiters;
      roomWaiters = [];
      for (const waiter of waiting) {
        if (pendingCount <= waiter.limit) waiter.resolve();
        else roomWaiters.push(waiter);
      }
    }
  }

  function schedule(immediately: boolean): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const run = () => {
      timer = undefined;
      chain = chain.then(flush);
    };
    if (immediately) run();
    else timer = setTimeout(run, options.lingerMs);
  }

  return {
    /** Settles once the items of this partition's range are committed (or refused as diverged). */
    add(items: Decoded[], range: PartitionRange, heartbeat: () => Promise<void>): Promise<RangeOutcome> {
      if (stopped) return Promise.reject(new Error('projector is stopping'));
      return new Promise<RangeOutcome>((resolve, reject) => {
        pending.push({ items, range, heartbeat, resolve, reject });
        pendingCount += items.length;
        schedule(pendingCount >= options.maxMessages);
      });
    },
    /** Resolves once no more than `limit` messages wait or are being written (backpressure for the fetch loop). */
    waitForRoom(limit: number): Promise<void> {
      if (pendingCount + inflightCount <= limit) return Promise.resolve();
      return new Promise<void>((resolve) => roomWaiters.push({ limit, resolve }));
    },
    /** Writes what is waiting, then refuses more; a retry loop in progress gives up. */
    async stop(): Promise<void> {
      schedule(true);
      stopped = true;
      await chain;
      for (const waiter of roomWaiters) waiter.resolve();
      roomWaiters = [];
    },
  };
}

function rangeKey(range: { topic: string; partition: number; from: number }): string {
  return `${partitionKey(range.topic, range.partition)}\u0000${String(range.from)}`;
}

function asDeadLetter(item: Decoded, error: unknown): Decoded {
  return {
    kind: 'deadLetter',
    deadLetter: {
      position: positionOf(item),
      key: item.kind === 'event' ? eventKey(item.envelope) : item.kind === 'tombstone' ? item.tombstone.key : item.deadLetter.key,
      seen: item.kind === 'event' ? item.envelope.seen : item.kind === 'tombstone' ? item.tombstone.seen : item.deadLetter.seen,
      reason: 'unprojectable_event',
      message: error instanceof Error ? error.message : String(error),
      excerpt: item.kind === 'event' ? jsonExcerpt(item.envelope.event) : '',
    },
  };
}

function mergeOutcomes(outcomes: readonly BatchOutcome[]): FlushResult {
  const tables: TableCounts = {};
  const checkpoints = new Map<string, PartitionOffset>();
  const diverged: DivergedRange[] = [];
  let applied = 0;
  let skipped = 0;
  for (const outcome of outcomes) {
    for (const [table, counts] of Object.entries(outcome.tables)) addCounts(tables, table, counts);
    for (const position of outcome.checkpoints) {
      const key = partitionKey(position.topic, position.partition);
      const known = checkpoints.get(key);
      if (!known || known.offset < position.offset) checkpoints.set(key, position);
    }
    diverged.push(...outcome.diverged);
    applied += outcome.applied;
    skipped += outcome.skipped;
  }
  return { tables, applied, skipped, checkpoints: [...checkpoints.values()], diverged };
}
