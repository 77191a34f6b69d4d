/**
 * The one set-based write every projection uses: rows in, two statements out.
 *
 *   COPY staging_t (…) FROM STDIN (FORMAT text)
 *   INSERT INTO t (…) SELECT … FROM staging_t
 *   ON CONFLICT (key) DO UPDATE SET … WHERE (content) IS DISTINCT FROM (new content)
 *   RETURNING key…, (xmax = 0) AS inserted
 *
 * A row whose content did not change is not written at all (no dead tuple, no
 * provenance bump), so the counts tell inserted / updated / unchanged.
 * Content is every column except the key and the kafka_* provenance; the
 * seen_at timestamps are set here (first on insert, last on change).
 * Rows are deduplicated by key first, the last one winning: Postgres refuses
 * to touch one row twice in a statement.
 *
 * Why COPY into a staging table: it was the fastest upsert `pnpm bench`
 * measured on the same rows (docs/BENCHMARKS.md; about 1.5× the same merge
 * fed by one jsonb_to_recordset parameter, which is kept as a bench strategy).
 * COPY's text format is the cheapest input Postgres parses; the staging table
 * is temporary (no WAL), one per table and session, emptied at every commit.
 * COPY needs the pg client, so this runs on a BatchConnection (batchWriter.ts).
 */
import type { ValueExpression } from 'slonik';
import { z } from 'zod';
import type { BatchConnection } from './batchWriter.ts';
import { upsertResultOf } from './changedRows.ts';
import { copyRows } from './copyRows.ts';
import { tableColumns, type TableSpec } from './tableSpec.ts';
import { columnDefinitions, columnList, conflictClause, insertHead, quoteIdentifier } from './upsertSql.ts';

export type { ColumnType, TableSpec } from './tableSpec.ts';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface UpsertResult<Row> extends UpsertCounts {
  /** The deduplicated rows that were inserted or updated. */
  changed: Row[];
}

export function emptyCounts(): UpsertCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

/** The row a recompute's `RETURNING (xmax = 0) AS inserted` gives back. */
export const insertedFlag = z.object({ inserted: z.boolean() });

/** Counts from the rows an upsert returned (inserted or changed) out of the rows it considered. */
export function countsOf(returned: readonly { inserted: boolean }[], considered: number): UpsertCounts {
  const inserted = returned.filter((row) => row.inserted).length;
  return { inserted, updated: returned.length - inserted, unchanged: considered - returned.length };
}

/** Last row per key wins; the result keeps first-seen key order. */
export function dedupeByKey<Row extends object>(rows: readonly Row[], key: readonly (keyof Row & string)[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) byKey.set(keyOf(row, key), row);
  return [...byKey.values()];
}

function keyOf<Row extends object>(row: Row, key: readonly (keyof Row & string)[]): string {
  return JSON.stringify(key.map((column) => row[column]));
}

/**
 * The rows as one JSON text parameter, cast to jsonb in SQL. (sql.jsonb would
 * do the same through a slower stable stringify; a NUL that slipped through
 * is refused by Postgres as a data error, which the flusher isolates.)
 */
export function jsonRows(rows: readonly object[]): ValueExpression {
  return JSON.stringify(rows);
}

export async function upsertRows<Row extends object>(
  connection: BatchConnection,
  spec: TableSpec<Row>,
  rows: readonly Row[],
): Promise<UpsertResult<Row>> {
  const unique = dedupeByKey(rows, spec.key);
  if (unique.length === 0) return { ...emptyCounts(), changed: [] };

  const { client } = connection;
  const columns = tableColumns(spec);
  const staging = `staging_${spec.table}`;
  // One round trip: the table lives as long as the session (IF NOT EXISTS), and a second
  // upsert into the same table in one transaction must not see the first one's rows (DELETE).
  await client.query(
    `CREATE TEMPORARY TABLE IF NOT EXISTS ${quoteIdentifier(staging)} (${columnDefinitions(columns)}) ON COMMIT DELETE ROWS; ` +
      `DELETE FROM ${quoteIdentifier(staging)}`,
  );
  await copyRows(client, staging, columns, unique);
  const returned = await client.query<{ inserted: boolean }>(
    `${insertHead(columns)} SELECT ${columnList(columns.all)}, now(), now() FROM ${quoteIdentifier(staging)} ${conflictClause(columns)}`,
  );
  return upsertResultOf(unique, columns.key, returned.rows);
}
