/** Adds one batch's per-table counts to projection_stats, in the batch's transaction. */
import { sql } from 'slonik';
import type { Queryable } from './batchWriter.ts';
import { noRows } from './noRows.ts';
import { jsonRows } from './jsonRows.ts';
import { addTo, emptyCounts, type UpsertCounts } from './upsertCounts.ts';

export type TableCounts = Record<string, UpsertCounts>;

export function addCounts(into: TableCounts, table: string, counts: UpsertCounts): void {
  into[table] = addTo(into[table] ?? emptyCounts(), counts);
}

export async function saveStats(connection: Queryable, counts: TableCounts): Promise<void> {
  // In table order: concurrent projectors lock these rows in one order, so they never deadlock on them.
  const rows = Object.entries(counts)
    .filter(([, c]) => c.inserted + c.updated + c.unchanged + c.deleted > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([table_name, c]) => ({ table_name, ...c }));
  if (rows.length === 0) return;
  await connection.query(sql.type(noRows)`
    INSERT INTO projection_stats AS s (table_name, inserted, updated, unchanged, deleted, updated_at)
    SELECT table_name, inserted, updated, unchanged, deleted, now()
    FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS input(table_name text, inserted bigint, updated bigint, unchanged bigint, deleted bigint)
    ON CONFLICT (table_name) DO UPDATE SET
      inserted = s.inserted + EXCLUDED.inserted,
      updated = s.updated + EXCLUDED.updated,
      unchanged = s.unchanged + EXCLUDED.unchanged,
      deleted = s.deleted + EXCLUDED.deleted,
      updated_at = now()`);
}
