/**
 * The one write path every projection table takes: rows in, two statements out.
 *
 *   COPY staging_t (…) FROM STDIN (FORMAT text)
 *   INSERT INTO t (…) SELECT … FROM staging_t
 *   ON CONFLICT (key) DO UPDATE SET …
 *   WHERE (content) IS DISTINCT FROM (EXCLUDED content)
 *   RETURNING key…, (xmax = 0) AS inserted, (first_seen_at = ANY (<run times>)) AS new_in_run
 *
 * A row whose content did not change is not written at all (no dead tuple, no
 * provenance bump), so the counts tell inserted / updated / unchanged (a
 * rewrite of a row the same run inserted counts once, as inserted:
 * upsertCounts.ts), and the returned keys tell which rows changed (the
 * derived tables recompute only those). Content is every column except the
 * key and the kafka_* provenance; first_seen_at comes with the rows, from the
 * events. Rows are deduplicated by key first, the last one winning.
 *
 * While the keys are new (a first import), the rows go straight in: one COPY
 * into the table under a savepoint, counted as inserted, with no staging and
 * no merge (about half the database's work per row). A key that already
 * exists makes that COPY fail (unique violation): the writer rolls back to
 * the savepoint and merges, and keeps merging until a merge finds every key
 * new again, so a re-import loses at most one COPY per table.
 *
 * Why COPY into a staging table: it was the fastest upsert `pnpm bench`
 * measured on the same rows (docs/BENCHMARKS.md). COPY's text format is the
 * cheapest input Postgres parses; the staging table is temporary (no WAL),
 * one per table and session, emptied at every commit. COPY needs the pg
 * client, so this runs on a BatchConnection (batchWriter.ts).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pgCopyStreams from 'pg-copy-streams';
import type { BatchConnection } from './batchWriter.ts';
import { DatabaseError, toDatabaseError } from '@medly/shared/dbErrors';
import { copyText, type ColumnType, type CopyColumn } from './copyText.ts';
import { dedupeByKey } from './dedupeByKey.ts';
import { countsOf, emptyCounts, type UpsertCounts, type WrittenFlags } from './upsertCounts.ts';

export type { ColumnType };

/** A projection table as the writer sees it: its name, key and typed columns (every column is written). */
export interface TableSpec<Row extends object> {
  table: string;
  key: readonly (keyof Row & string)[];
  columns: { readonly [Column in keyof Row & string]: ColumnType };
}

export interface UpsertResult<Row> extends UpsertCounts {
  /** The deduplicated rows that were inserted or updated. */
  changed: Row[];
}

export interface TableWriter<Row extends object> {
  /** Upserts the rows in the connection's transaction; `runTimes` are the times of the imports whose events they come from. */
  upsert(connection: BatchConnection, rows: readonly Row[], runTimes: readonly string[]): Promise<UpsertResult<Row>>;
}

const UNIQUE_VIOLATION = '23505';

/** Provenance of the event last applied to a row; volatile, so never compared. */
const KAFKA_COLUMNS = new Set(['kafka_topic', 'kafka_partition', 'kafka_offset']);

/** The statements are built once per table: identifiers come from the spec; values are only ever streamed. */
export function createTableWriter<Row extends object>(spec: TableSpec<Row>): TableWriter<Row> {
  const types: Readonly<Record<string, ColumnType>> = spec.columns;
  const columns: CopyColumn[] = Object.entries(types).map(([name, type]) => ({ name, type }));
  const all = columns.map((column) => column.name);
  const key: string[] = [...spec.key];
  const content = all.filter((column) => !key.includes(column) && !KAFKA_COLUMNS.has(column));
  const updatable = all.filter((column) => !key.includes(column));

  const table = quoteIdentifier(spec.table);
  const staging = quoteIdentifier(`staging_${spec.table}`);
  // One round trip: the table lives as long as the session (IF NOT EXISTS), and a second
  // upsert into the same table in one transaction must not see the first one's rows (DELETE).
  const prepareStaging =
    `CREATE TEMPORARY TABLE IF NOT EXISTS ${staging} (${columns.map(({ name, type }) => `${quoteIdentifier(name)} ${type}`).join(', ')}) ` +
    `ON COMMIT DELETE ROWS; DELETE FROM ${staging}`;
  const copy = `COPY ${staging} (${columnList(all)}) FROM STDIN (FORMAT text)`;
  const copyDirect = `COPY ${table} (${columnList(all)}) FROM STDIN (FORMAT text)`;
  const merge =
    `INSERT INTO ${table} (${columnList(all)}) ` +
    `SELECT ${columnList(all)} FROM ${staging} ` +
    `ON CONFLICT (${columnList(key)}) DO UPDATE SET ` +
    `${updatable.map((column) => `${quoteIdentifier(column)} = EXCLUDED.${quoteIdentifier(column)}`).join(', ')} ` +
    `WHERE (${columnList(content, table)}) IS DISTINCT FROM (${columnList(content, 'EXCLUDED')}) ` +
    `RETURNING ${columnList(key, table)}, (xmax = 0) AS inserted, (${table}.first_seen_at = ANY ($1::timestamptz[])) AS new_in_run`;

  /** Whether the last write found every key new: then the next one tries the direct COPY. */
  let keysNew = true;

  return {
    async upsert(connection, rows, runTimes) {
      const unique = dedupeByKey(rows, spec.key);
      if (unique.length === 0) return { ...emptyCounts(), changed: [] };
      const { client } = connection;
      if (keysNew) {
        await client.query('SAVEPOINT direct_copy');
        try {
          await pipeline(Readable.from(copyText(unique, columns)), client.query(pgCopyStreams.from(copyDirect)));
          await client.query('RELEASE SAVEPOINT direct_copy');
          return { ...emptyCounts(), inserted: unique.length, changed: unique };
        } catch (error) {
          const failure = toDatabaseError(error);
          if (!(failure instanceof DatabaseError) || failure.sqlState !== UNIQUE_VIOLATION) throw error;
          await client.query('ROLLBACK TO SAVEPOINT direct_copy');
        }
      }
      await client.query(prepareStaging);
      await pipeline(Readable.from(copyText(unique, columns)), client.query(pgCopyStreams.from(copy)));
      const returned = await client.query<WrittenFlags>(merge, [runTimes]);
      keysNew = returned.rows.length === unique.length && returned.rows.every((row) => row.inserted);
      return resultOf(unique, key, returned.rows);
    },
  };
}

/**
 * The result from the key columns the merge returned: a row it inserted or
 * updated comes back, an unchanged one does not. Key columns are text or
 * integers, so returned and sent keys compare as the same JSON text.
 */
function resultOf<Row extends object>(unique: readonly Row[], key: readonly string[], returned: readonly WrittenFlags[]): UpsertResult<Row> {
  const keyText = (row: object) => JSON.stringify(key.map((column) => (row as Readonly<Record<string, unknown>>)[column]));
  const changedKeys = new Set(returned.map(keyText));
  return { ...countsOf(returned, unique.length), changed: unique.filter((row) => changedKeys.has(keyText(row))) };
}

/** A quoted SQL identifier (what pg's escapeIdentifier does, without needing a client). */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function columnList(names: readonly string[], qualifier?: string): string {
  return names.map((name) => (qualifier ? `${qualifier}.${quoteIdentifier(name)}` : quoteIdentifier(name))).join(', ');
}
