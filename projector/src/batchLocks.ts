/**
 * What a batch transaction locks, so that several projectors of one group
 * apply their own partitions side by side (DECISIONS record 20):
 *
 * - each partition it applies (a transaction-scoped advisory lock per
 *   partition, taken in one sorted statement): two members never apply one
 *   partition at once, even while a rebalance moves it, and rows a partition
 *   owns (base rows keyed as its events are) are written by one transaction
 *   at a time;
 * - the group's derived stage, taken after the base rows are written and held
 *   to the commit: items, users, units, topics and subjects are functions of
 *   rows on many partitions, so their recomputes run one transaction at a
 *   time, each reading everything committed before it.
 *
 * Both are two-key advisory locks under the group's hash; the derived stage
 * is key 0 of a second space, so it never meets a partition's key.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { partitionKey } from '@medly/shared/partitionOffset';
import type { Queryable } from './batchWriter.ts';

const locked = z.object({ locked: z.string() });

export async function lockPartitions(connection: Queryable, group: string, partitions: readonly { topic: string; partition: number }[]): Promise<void> {
  const keys = [...new Set(partitions.map(({ topic, partition }) => partitionKey(topic, partition)))].sort();
  if (keys.length === 0) return;
  await connection.any(sql.type(locked)`
    SELECT pg_advisory_xact_lock(hashtext(${group}), hashtext(key))::text AS locked
    FROM unnest(${sql.array(keys, 'text')}) WITH ORDINALITY AS partition(key, n)
    ORDER BY n`);
}

export async function lockDerivedStage(connection: Queryable, group: string): Promise<void> {
  await connection.one(sql.type(locked)`SELECT pg_advisory_xact_lock(hashtext(${`${group}:derived`}), 0)::text AS locked`);
}
