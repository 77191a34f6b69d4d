/**
 * The projector's offsets, stored in Postgres beside the rows they cover
 * (kafkajs' "store offsets in your database" pattern). `next_offset` is the
 * next offset to apply: last applied + 1. They are read through
 * @medly/shared/progress, like every other reader's.
 */
import { sql } from 'slonik';
import { partitionKey, type PartitionOffset } from '@medly/shared/partitionOffset';
import { readCheckpoints } from '@medly/shared/progress';
import type { Queryable } from './batchWriter.ts';
import { noRows } from './noRows.ts';

/** The next offset to apply, by partitionKey. */
export type CheckpointMap = Map<string, number>;

/** Every checkpoint of the group. */
export async function readCheckpointMap(connection: Queryable, group: string): Promise<CheckpointMap> {
  const checkpoints = await readCheckpoints(connection, group);
  return new Map(checkpoints.map(({ topic, partition, offset }) => [partitionKey(topic, partition), offset]));
}

/** Moves checkpoints forward (never back) in the caller's transaction. */
export async function saveCheckpoints(connection: Queryable, group: string, next: readonly PartitionOffset[]): Promise<void> {
  if (next.length === 0) return;
  await connection.query(sql.type(noRows)`
    INSERT INTO checkpoints AS c (consumer_group, topic, partition, next_offset, updated_at)
    SELECT ${group}, topic, partition, next_offset, now()
    FROM jsonb_to_recordset(${sql.jsonb(next.map(({ topic, partition, offset }) => ({ topic, partition, next_offset: offset })))})
      AS input(topic text, partition integer, next_offset bigint)
    ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET
      next_offset = GREATEST(c.next_offset, EXCLUDED.next_offset), updated_at = now()`);
}
