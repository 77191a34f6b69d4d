/**
 * The one set-based write every projection uses: rows in, one statement out.
 *
 *   INSERT INTO t (…) SELECT … FROM jsonb_to_recordset($1) AS input(…)
 *   ON CONFLICT (key) DO UPDATE SET … WHERE (content) IS DISTINCT FROM (new content)
 *   RETURNING key, (xmax = 0) AS inserted
 *
 * A row whose content did not change is not written at all (no dead tuple, no
 * provenance bump), so the counts tell inserted / updated / unchanged.
 * Content is every column except the key and the kafka_* provenance; the
 * seen_at timestamps are set here (first on insert, last on change).
 * Rows are deduplicated by key first, the last one winning: Postgres refuses
 * to touch one row twice in a statement.
 *
 * Why jsonb_to_recordset and not a staging table: measured on the same 10×
 * rows, interleaved, in slonik transactions, staging through a temporary
 * table filled from jsonb_to_recordset then merging was 10–20% slower (one
 * more write of every row), json_to_recordset was within noise, and the same
 * SQL on a bare pg client as fast as through slonik: the time is Postgres
 * maintaining three indexes under ON CONFLICT, not the input. Only a real
 * COPY (the bench's copyMerge) is faster, and slonik 49 keeps its pg client
 * private (no COPY FROM STDIN).
 */
import { sql, type CommonQueryMethods, type FragmentSqlToken, type ValueExpression } from 'slonik';
import { z } from 'zod';

export type ColumnType = 'text' | 'integer' | 'bigint' | 'boolean' | 'double precision' | 'jsonb' | 'timestamptz' | 'text[]';

function typeFragment(type: ColumnType): FragmentSqlToken {
  switch (type) {
    case 'text':
      return sql.fragment`text`;
    case 'integer':
      return sql.fragment`integer`;
    case 'bigint':
      return sql.fragment`bigint`;
    case 'boolean':
      return sql.fragment`boolean`;
    case 'double precision':
      return sql.fragment`double precision`;
    case 'jsonb':
      return sql.fragment`jsonb`;
    case 'timestamptz':
      return sql.fragment`timestamptz`;
    case 'text[]':
      return sql.fragment`text[]`;
  }
}

/** Provenance of the event last applied to a row; volatile, so never compared. */
export const KAFKA_COLUMNS = ['kafka_topic', 'kafka_partition', 'kafka_offset'] as const;

export interface TableSpec<Row extends object> {
  table: string;
  key: readonly (keyof Row & string)[];
  columns: { readonly [Column in keyof Row & string]: ColumnType };
}

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

const returnedRow = z.object({ key: z.string(), inserted: z.boolean() });

/** Rows per statement: bounds the size of one parameter and of one statement's work. */
export const UPSERT_CHUNK_ROWS = 5_000;

/**
 * The rows as one JSON text parameter, cast to jsonb in SQL. (sql.jsonb would
 * do the same through a slower stable stringify; a NUL that slipped through
 * is refused by Postgres as a data error, which the flusher isolates.)
 */
export function jsonRows(rows: readonly object[]): ValueExpression {
  return JSON.stringify(rows);
}

export async function upsertRows<Row extends object>(
  connection: CommonQueryMethods,
  spec: TableSpec<Row>,
  rows: readonly Row[],
): Promise<UpsertResult<Row>> {
  const unique = dedupeByKey(rows, spec.key);
  const result: UpsertResult<Row> = { ...emptyCounts(), changed: [] };
  for (let start = 0; start < unique.length; start += UPSERT_CHUNK_ROWS) {
    const chunk = await upsertChunk(connection, spec, unique.slice(start, start + UPSERT_CHUNK_ROWS));
    result.inserted += chunk.inserted;
    result.updated += chunk.updated;
    result.unchanged += chunk.unchanged;
    result.changed.push(...chunk.changed);
  }
  return result;
}

async function upsertChunk<Row extends object>(
  connection: CommonQueryMethods,
  spec: TableSpec<Row>,
  unique: readonly Row[],
): Promise<UpsertResult<Row>> {
  const columns = Object.keys(spec.columns) as (keyof Row & string)[];
  const keySet = new Set<string>(spec.key);
  const kafkaSet = new Set<string>(KAFKA_COLUMNS);
  const content = columns.filter((column) => !keySet.has(column) && !kafkaSet.has(column));
  const updatable = columns.filter((column) => !keySet.has(column));
  const id = (column: string) => sql.identifier([column]);
  const list = (names: readonly string[], map: (name: string) => FragmentSqlToken | ReturnType<typeof id>) =>
    sql.join(names.map(map), sql.fragment`, `);

  const recordDefinition = sql.join(
    columns.map((column) => {
      const type = (spec.columns as Readonly<Record<string, ColumnType>>)[column] ?? 'text';
      return sql.fragment`${id(column)} ${typeFragment(type)}`;
    }),
    sql.fragment`, `,
  );
  const table = sql.identifier([spec.table]);
  // The key comes back as the same JSON text keyOf() builds, to find the changed rows.
  const returnedKey = sql.fragment`json_build_array(${list(spec.key, (column) => sql.fragment`${table}.${id(column)}`)})::text`;

  const returned = await connection.any(sql.type(returnedRow)`
    INSERT INTO ${table} (${list(columns, id)}, first_seen_at, last_seen_at)
    SELECT ${list(columns, id)}, now(), now()
    FROM jsonb_to_recordset(${jsonRows(unique)}::jsonb) AS input(${recordDefinition})
    ON CONFLICT (${list(spec.key, id)}) DO UPDATE SET
      ${list(updatable, (column) => sql.fragment`${id(column)} = EXCLUDED.${id(column)}`)},
      last_seen_at = now()
    WHERE (${list(content, (column) => sql.fragment`${table}.${id(column)}`)})
      IS DISTINCT FROM (${list(content, (column) => sql.fragment`EXCLUDED.${id(column)}`)})
    RETURNING ${returnedKey} AS key, (xmax = 0) AS inserted`);

  const changedKeys = new Set(returned.map((row) => normalizeKeyText(row.key)));
  return {
    ...countsOf(returned, unique.length),
    changed: unique.filter((row) => changedKeys.has(keyOf(row, spec.key))),
  };
}

/** json_build_array(...)::text puts spaces after commas; JSON.stringify does not. */
function normalizeKeyText(text: string): string {
  return JSON.stringify(JSON.parse(text));
}
