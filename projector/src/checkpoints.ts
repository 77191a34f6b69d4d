/**
 * The projector's offsets, stored in Postgres beside the rows they cover
 * (kafkajs' "store offsets in your database" pattern). `next_offset` is the
 * next offset to apply: last applied + 1.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import type { Queryable } from './batchWriter.ts';
import { noRows } from './noRows.ts';
import type { Position } from './envelope.ts';

export type CheckpointMap = Map<string, number>;

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${String(partition)}`;
}

const checkpointRow = z.object({ topic: z.string(), partition: z.number(), next_offset: z.number() });

/** Every checkpoint of the group; `lock` holds them (FOR UPDATE) until the transaction ends. */
export async function readCheckpointMap(connection: Queryable, group: string, lock = false): Promise<CheckpointMap> {
  const rows = await connection.any(sql.type(checkpointRow)`
    SELECT topic, partition, next_offset::float8 AS next_offset
    FROM checkpoints WHERE consumer_group = ${group}
    ${lock ? sql.fragment`FOR UPDATE` : sql.fragment``}`);
  return new Map(rows.map((row) => [partitionKey(row.topic, row.partition), row.next_offset]));
}

/** Moves checkpoints forward (never back) in the caller's transaction. */
export async function saveCheckpoints(connection: Queryable, group: string, next: readonly Position[]): Promise<void> {
  if (next.length === 0) return;
  await connection.query(sql.type(noRows)`
    INSERT INTO checkpoints AS c (consumer_group, topic, partition, next_offset, updated_at)
    SELECT ${group}, topic, partition, next_offset, now()
    FROM jsonb_to_recordset(${sql.jsonb(next.map(({ topic, partition, offset }) => ({ topic, partition, next_offset: offset })))})
      AS input(topic text, partition integer, next_offset bigint)
    ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET
      next_offset = GREATEST(c.next_offset, EXCLUDED.next_offset), updated_at = now()`);
}
