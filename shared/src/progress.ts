/**
 * How far the projector has got, read from its own tables (the projector
 * writes them; producers' `--wait`, the import report, the API's /health and
 * the projector itself read them here). Pure reads; nothing here writes.
 *
 * - `checkpoints`: per consumer group, topic and partition, the NEXT offset to
 *   apply (Kafka's convention: last applied offset + 1). It moves in the same
 *   transaction as the rows it covers.
 * - `projection_stats`: per table, cumulative inserted / updated / unchanged
 *   row counts, also moved in each batch's transaction. A report is the
 *   difference of two readings.
 * - warnings are computed from the projected rows, so they are true whatever
 *   order the events arrived in.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from './db.ts';
import { partitionKey, type PartitionOffset } from './partitionOffset.ts';

/** The projector's consumer group under a topic prefix: isolated runs get their own group. */
export function projectorGroupId(topicPrefix: string): string {
  return `${topicPrefix}projector`;
}

const checkpointRow = z.object({ topic: z.string(), partition: z.number(), offset: z.number() });

/**
 * Every stored checkpoint of a consumer group (each offset the next one to
 * apply).
 */
export async function readCheckpoints(
  connection: Pick<CommonQueryMethods, 'any'>,
  group: string,
): Promise<PartitionOffset[]> {
  const rows = await connection.any(sql.type(checkpointRow)`
    SELECT topic, partition, next_offset::float8 AS "offset"
    FROM checkpoints
    WHERE consumer_group = ${group}
    ORDER BY topic, partition`);
  return rows.map((row) => ({ ...row }));
}

export interface PartitionLag extends PartitionOffset {
  /** The stored checkpoint (0 when the group has none for this partition). */
  applied: number;
  lag: number;
}

/** Lag of each target (an end offset) behind the stored checkpoints; pure. */
export function lagBehind(checkpoints: readonly PartitionOffset[], targets: readonly PartitionOffset[]): PartitionLag[] {
  const applied = new Map(checkpoints.map((c) => [partitionKey(c.topic, c.partition), c.offset]));
  return targets.map((target) => {
    const done = applied.get(partitionKey(target.topic, target.partition)) ?? 0;
    return { ...target, applied: done, lag: Math.max(0, target.offset - done) };
  });
}

export interface WaitResult {
  caughtUp: boolean;
  /** Targets not reached yet (empty when caught up). */
  lagging: PartitionLag[];
  waitedMs: number;
}

/**
 * Polls the checkpoints until every target's next offset is reached, or the
 * timeout passes. Never throws on timeout: the caller decides what that means.
 */
export async function waitForCheckpoints(
  pool: DatabasePool,
  group: string,
  targets: readonly PartitionOffset[],
  { timeoutMs = 60_000, pollMs = 250 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<WaitResult> {
  const started = Date.now();
  for (;;) {
    const lagging = lagBehind(await readCheckpoints(pool, group), targets).filter((t) => t.lag > 0);
    const waitedMs = Date.now() - started;
    if (lagging.length === 0) return { caughtUp: true, lagging, waitedMs };
    if (waitedMs >= timeoutMs) return { caughtUp: false, lagging, waitedMs };
    await sleep(Math.min(pollMs, Math.max(1, timeoutMs - waitedMs)));
  }
}

export interface TableCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

const statsRow = z.object({ table: z.string(), inserted: z.number(), updated: z.number(), unchanged: z.number(), deleted: z.number() });

/** Cumulative per-table counters since the database was created (or last replayed). */
export async function readTableStats(pool: DatabasePool): Promise<Record<string, TableCounts>> {
  const rows = await pool.any(sql.type(statsRow)`
    SELECT table_name AS "table", inserted::float8 AS inserted, updated::float8 AS updated, unchanged::float8 AS unchanged,
           deleted::float8 AS deleted
    FROM projection_stats
    ORDER BY table_name`);
  return Object.fromEntries(rows.map(({ table, ...counts }) => [table, counts]));
}

/** `after − before` per table: what one run applied. Tables missing from `before` count from zero. */
export function diffTableStats(
  before: Record<string, TableCounts>,
  after: Record<string, TableCounts>,
): Record<string, TableCounts> {
  return Object.fromEntries(
    Object.entries(after).map(([table, counts]) => {
      const base = before[table] ?? { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
      return [
        table,
        {
          inserted: counts.inserted - base.inserted,
          updated: counts.updated - base.updated,
          unchanged: counts.unchanged - base.unchanged,
          deleted: counts.deleted - base.deleted,
        },
      ];
    }),
  );
}

export interface ProjectionWarnings {
  /** Items whose appearances carry more than one distinct content. */
  conflicting_item_content: number;
  /** Distinct lesson ids linked from items, banks or attempts that name no lesson. */
  unknown_lesson: number;
  /** Attempts whose questionID matches no item. */
  unresolved_question: number;
}

const warningsRow = z.object({
  conflicting_item_content: z.number(),
  unknown_lesson: z.number(),
  unresolved_question: z.number(),
});

/** Warnings that only the projected state can tell (they depend on what else has arrived). */
export async function readProjectionWarnings(pool: DatabasePool): Promise<ProjectionWarnings> {
  return pool.one(sql.type(warningsRow)`
    SELECT
      (SELECT count(*) FROM (
         SELECT question_id FROM item_appearances GROUP BY question_id HAVING count(DISTINCT content_hash) > 1
       ) conflicts)::int AS conflicting_item_content,
      (SELECT count(*) FROM (
         SELECT lesson_id FROM item_lessons
         UNION SELECT lesson_id FROM practice_banks
         UNION SELECT lesson_id FROM attempts WHERE lesson_id IS NOT NULL
       ) linked WHERE NOT EXISTS (SELECT 1 FROM lessons l WHERE l.lesson_id = linked.lesson_id))::int AS unknown_lesson,
      (SELECT count(*) FROM attempts a
       WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.question_id = a.question_id))::int AS unresolved_question`);
}
