/** Adds one batch's per-table counts to projection_stats, in the batch's transaction. */
import { sql } from 'slonik';
import type { Queryable } from './batchWriter.ts';
import { noRows } from './noRows.ts';
import { jsonRows } from './jsonRows.ts';
import type { UpsertCounts } from './upsertCounts.ts';

export type TableCounts = Record<string, UpsertCounts>;

export function addCounts(into: TableCounts, table: string, counts: UpsertCounts): void {
  const current = into[table] ?? { inserted: 0, updated: 0, unchanged: 0 };
  into[table] = {
    inserted: current.inserted + counts.inserted,
    updated: current.updated + counts.updated,
    unchanged: current.unchanged + counts.unchanged,
  };
}

export async function saveStats(connection: Queryable, counts: TableCounts): Promise<void> {
  const rows = Object.entries(counts)
    .filter(([, c]) => c.inserted + c.updated + c.unchanged > 0)
    .map(([table_name, c]) => ({ table_name, ...c }));
  if (rows.length === 0) return;
  await connection.query(sql.type(noRows)`
    INSERT INTO projection_stats AS s (table_name, inserted, updated, unchanged, updated_at)
    SELECT table_name, inserted, updated, unchanged, now()
    FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS input(table_name text, inserted bigint, updated bigint, unchanged bigint)
    ON CONFLICT (table_name) DO UPDATE SET
      inserted = s.inserted + EXCLUDED.inserted,
      updated = s.updated + EXCLUDED.updated,
      unchanged = s.unchanged + EXCLUDED.unchanged,
      updated_at = now()`);
}
