/** Reads the tests make of a projected database (for test files outside this package, which cannot import slonik). */
import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import type { ProjectionTable } from '../checksums.ts';

export function countRows(connection: CommonQueryMethods, table: ProjectionTable | 'checkpoints' | 'import_runs'): Promise<number> {
  return connection.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM ${sql.identifier([table])}`);
}

export async function appearancesByKind(connection: CommonQueryMethods): Promise<Record<string, number>> {
  const rows = await connection.any(sql.type(z.object({ kind: z.string(), n: z.number() }))`
    SELECT kind, count(*)::int AS n FROM item_appearances GROUP BY kind ORDER BY kind`);
  return Object.fromEntries(rows.map((row) => [row.kind, row.n]));
}

/** Lesson ids linked from items or banks that name no lesson. */
export async function unresolvedLessonIds(connection: CommonQueryMethods): Promise<string[]> {
  const ids = await connection.anyFirst(sql.type(z.object({ lesson_id: z.string() }))`
    SELECT lesson_id FROM item_lesson_links WHERE NOT resolved
    UNION SELECT lesson_id FROM practice_banks b WHERE NOT EXISTS (SELECT 1 FROM lessons l WHERE l.lesson_id = b.lesson_id)
    ORDER BY lesson_id`);
  return [...ids];
}

export function importRun(connection: CommonQueryMethods, id: number): Promise<{ status: string; hasReport: boolean }> {
  return connection.one(sql.type(z.object({ status: z.string(), hasReport: z.boolean() }))`
    SELECT status, report IS NOT NULL AS "hasReport" FROM import_runs WHERE id = ${id}`);
}

/** Sum of the stored next offsets of a group: how far it has got, all partitions together. */
export function appliedOffsets(connection: CommonQueryMethods, group: string): Promise<number> {
  return connection.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT coalesce(sum(next_offset), 0)::float8 AS n FROM checkpoints WHERE consumer_group = ${group}`);
}
