/**
 * Applies one batch of decoded messages (from any topics and partitions) in
 * the caller's transaction: base projections, then the tables derived from
 * them, then projection_stats and the checkpoints, all or nothing.
 *
 * It is a pure function of the batch and the database state, so the
 * transaction may be retried: it locks the batch's partitions
 * (batchLocks.ts), reads their checkpoints, and skips any message at or below what is already applied
 * (a redelivery after a crash or a rebalance applies nothing twice). A
 * checkpoint only moves from where the batch says it started, so it never
 * jumps over offsets nobody applied (after a replay emptied the tables under
 * a running consumer, say).
 */
import { sql } from 'slonik';
import { partitionKey, type PartitionOffset } from '@medly/shared/partitionOffset';
import type { BatchConnection } from './batchWriter.ts';
import { lockDerivedStage, lockPartitions } from './batchLocks.ts';
import { readCheckpointMap, saveCheckpoints } from './checkpoints.ts';
import { positionOf, type Decoded } from './decode.ts';
import { batchContent } from './batchContent.ts';
import { projectBatch } from './projectBatch.ts';
import { noRows } from './noRows.ts';
import { saveStats, type TableCounts } from './stats.ts';

/** A run of one partition a batch covers: every offset in [from, next) was consumed. */
export interface PartitionRange {
  topic: string;
  partition: number;
  /** Where the consumer believed the partition stood (the checkpoint it sought to, or the end of its last batch). */
  from: number;
  /** Last consumed offset + 1. */
  next: number;
}

export interface Batch {
  items: readonly Decoded[];
  ranges: readonly PartitionRange[];
}

export interface BatchOutcome {
  tables: TableCounts;
  /** Messages applied (events and dead letters). */
  applied: number;
  /** Messages at or below a stored checkpoint, skipped. */
  skipped: number;
  /** The checkpoints after the batch (next offsets), for the partitions it applied. */
  checkpoints: PartitionOffset[];
  /**
   * Ranges that start past the stored checkpoint (the tables were emptied by
   * a replay, or another writer diverged): nothing of them was applied; the
   * consumer must seek back to `storedOffset`, the checkpoint after this batch.
   */
  diverged: DivergedRange[];
}

export interface DivergedRange {
  topic: string;
  partition: number;
  from: number;
  storedOffset: number;
}

export async function applyBatch(connection: BatchConnection, group: string, batch: Batch): Promise<BatchOutcome> {
  await lockPartitions(connection, group, batch.ranges);
  // Batches are many short statements: JIT compilation, triggered by the row
  // estimates of a table not yet analysed, cost more than it saved (656 ms of
  // one 1.7 s recompute at 100×).
  await connection.query(sql.type(noRows)`SET LOCAL jit = off`);
  const stored = await readCheckpointMap(connection, group);
  const storedOf = (topic: string, partition: number) => stored.get(partitionKey(topic, partition)) ?? 0;

  // A partition may bring several ranges (batches handed over one after another): taken in order,
  // each must start at or before where the previous left off, or it and the rest are refused.
  const diverged: DivergedRange[] = [];
  const checkpoints: PartitionOffset[] = [];
  const acceptedUntil = new Map<string, number>();
  const byPartition = Map.groupBy(batch.ranges, (range) => partitionKey(range.topic, range.partition));
  for (const [key, ranges] of byPartition) {
    const first = ranges[0];
    if (!first) continue;
    const stored = storedOf(first.topic, first.partition);
    let until = stored;
    for (const range of ranges.toSorted((a, b) => a.from - b.from)) {
      if (range.from > until) diverged.push({ topic: range.topic, partition: range.partition, from: range.from, storedOffset: -1 });
      else until = Math.max(until, range.next);
    }
    for (const refused of diverged) if (partitionKey(refused.topic, refused.partition) === key) refused.storedOffset = until;
    acceptedUntil.set(key, until);
    if (until > stored) checkpoints.push({ topic: first.topic, partition: first.partition, offset: until });
  }
  const isNew = ({ topic, partition, offset }: PartitionOffset) =>
    offset >= storedOf(topic, partition) && offset < (acceptedUntil.get(partitionKey(topic, partition)) ?? 0);
  const items = batch.items.filter((item) => isNew(positionOf(item)));
  const content = batchContent(items);
  const tables = await projectBatch(connection, content, () => lockDerivedStage(connection, group));

  await saveStats(connection, tables);
  await saveCheckpoints(connection, group, checkpoints);
  return {
    tables,
    applied: content.events.length + content.tombstones.length + content.deadLetters.length,
    skipped: batch.items.length - items.length,
    checkpoints,
    diverged,
  };
}
