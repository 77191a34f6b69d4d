/**
 * The projector's set-based upsert with the rows sent by COPY: a drop-in for
 * projector/src/upsert.ts `upsertRows` (same TableSpec, same semantics, same
 * UpsertResult) for a caller that holds the pg client of its transaction.
 *
 *   CREATE TEMPORARY TABLE IF NOT EXISTS staging_t (…) ON COMMIT DELETE ROWS
 *   COPY staging_t (…) FROM STDIN (FORMAT text)
 *   INSERT INTO t (…) SELECT … FROM staging_t
 *   ON CONFLICT (key) DO UPDATE SET … WHERE (content) IS DISTINCT FROM (new content)
 *   RETURNING key…, (xmax = 0) AS inserted
 *
 * COPY's text format is the cheapest input Postgres parses (no jsonb document
 * to parse and shred, no array literals); the staging table is temporary (no
 * WAL), lives as long as the session and is emptied at every commit, so it
 * must be called inside a transaction. Rows are deduplicated by key first:
 * Postgres refuses to touch one row twice in a statement.
 */
import { dedupeByKey, emptyCounts, type TableSpec, type UpsertResult } from '../../../projector/src/upsert.ts';
import type { PgClient } from '../projectorDeps.ts';
import { upsertResultOf } from './changedRows.ts';
import { copyRows } from './copyRows.ts';
import { tableColumns } from './tableColumns.ts';
import { columnDefinitions, columnList, conflictClause, insertHead, quoteIdentifier } from './upsertSql.ts';

export async function upsertRowsByCopy<Row extends object>(
  client: PgClient,
  spec: TableSpec<Row>,
  rows: readonly Row[],
): Promise<UpsertResult<Row>> {
  const unique = dedupeByKey(rows, spec.key);
  if (unique.length === 0) return { ...emptyCounts(), changed: [] };

  const columns = tableColumns(spec);
  const staging = quoteIdentifier(`staging_${spec.table}`);
  await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${staging} (${columnDefinitions(columns)}) ON COMMIT DELETE ROWS`);
  await copyRows(client, `staging_${spec.table}`, columns, unique);
  const returned = await client.query<{ inserted: boolean }>(
    `${insertHead(columns)} SELECT ${columnList(columns.all)}, now(), now() FROM ${staging} ${conflictClause(columns)}`,
  );
  return upsertResultOf(unique, columns.key, returned.rows);
}
