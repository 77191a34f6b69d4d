/**
 * The projector's Prometheus metrics, in a registry of its own (main.ts
 * serves it on METRICS_PORT):
 *
 * - what this process committed: rows per table and outcome, messages,
 *   batches, the time of the last commit (from the consumer's onCommitted);
 * - how long each batch transaction took (the writer, timed: one-by-one
 *   isolation transactions and rolled-back ones included, by outcome);
 * - the consumer group's lag per topic-partition, sampled on each scrape:
 *   the end offset on Kafka minus the checkpoint in Postgres (what is really
 *   applied; Kafka's committed offsets trail it). Every instance of a group
 *   reports the whole group's lag: aggregate with max, not sum.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PartitionLag } from '@medly/shared/progress';
import type { BatchWriter } from './batchWriter.ts';
import type { FlushResult } from './flusher.ts';

/** From a few ms (a small batch) to a minute (the batch statement timeout). */
const BATCH_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface ProjectorMetricsOptions {
  /** Reads the group's lag now; a failure leaves the last sample in place. */
  sampleLag: () => Promise<readonly PartitionLag[]>;
  onSampleError?: (error: unknown) => void;
}

export function createProjectorMetrics({ sampleLag, onSampleError }: ProjectorMetricsOptions) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const rows = new Counter({
    name: 'medly_projector_rows_total',
    help: 'Rows this process committed, by table and outcome (inserted, updated, deleted, unchanged).',
    labelNames: ['table', 'outcome'] as const,
    registers,
  });
  const messages = new Counter({
    name: 'medly_projector_messages_total',
    help: 'Messages this process committed: applied (events, tombstones, dead letters) or skipped (already applied).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const batches = new Counter({ name: 'medly_projector_batches_committed_total', help: 'Batches this process committed.', registers });
  const lastCommit = new Gauge({ name: 'medly_projector_last_commit_timestamp_seconds', help: 'When this process last committed a batch (Unix time).', registers });
  const duration = new Histogram({
    name: 'medly_projector_batch_duration_seconds',
    help: 'Time of each batch transaction, BEGIN to COMMIT or ROLLBACK, by outcome (committed, rolled_back).',
    labelNames: ['outcome'] as const,
    buckets: BATCH_BUCKETS,
    registers,
  });
  new Gauge({
    name: 'medly_projector_lag_messages',
    help: 'Messages on a topic-partition the consumer group has not applied: Kafka end offset minus the Postgres checkpoint, sampled at each scrape.',
    labelNames: ['topic', 'partition'] as const,
    registers,
    async collect() {
      try {
        for (const { topic, partition, lag } of await sampleLag()) this.set({ topic, partition: String(partition) }, lag);
      } catch (error) {
        onSampleError?.(error);
      }
    },
  });

  return {
    registry,
    committed(result: FlushResult): void {
      for (const [table, counts] of Object.entries(result.tables)) {
        for (const outcome of ['inserted', 'updated', 'deleted', 'unchanged'] as const) {
          if (counts[outcome] > 0) rows.inc({ table, outcome }, counts[outcome]);
        }
      }
      messages.inc({ outcome: 'applied' }, result.applied);
      messages.inc({ outcome: 'skipped' }, result.skipped);
      batches.inc();
      lastCommit.setToCurrentTime();
    },
    /** The writer, each transaction timed. */
    timed(writer: BatchWriter): BatchWriter {
      return {
        async transaction(work) {
          const end = duration.startTimer();
          try {
            const result = await writer.transaction(work);
            end({ outcome: 'committed' });
            return result;
          } catch (error) {
            end({ outcome: 'rolled_back' });
            throw error;
          }
        },
        end: () => writer.end(),
      };
    },
  };
}

export type ProjectorMetrics = ReturnType<typeof createProjectorMetrics>;
