/**
 * The projector's set-based upsert with the rows sent as one array per column
 * (`unnest($1::text[], $2::int4[], …)`) instead of one jsonb document: a
 * drop-in for projector/src/upsert.ts `upsertRows` (same TableSpec, same
 * semantics, same UpsertResult), written with slonik's `sql` so the projector
 * can adopt it as it is.
 *
 *   INSERT INTO t (…) SELECT … FROM unnest($1::text[], …) AS input(…)
 *   ON CONFLICT (key) DO UPDATE SET … WHERE (content) IS DISTINCT FROM (new content)
 *   RETURNING key…, (xmax = 0) AS inserted
 *
 * Postgres parses typed arrays far faster than it parses and shreds jsonb,
 * and the driver sends them as text without building one large JSON string.
 * A text[] column travels as one array-literal string per row (unnest cannot
 * take ragged two-dimensional arrays) and is cast back in the SELECT.
 * Key columns must be text or integer (they come back as the same JSON the
 * dedupe key is made of).
 */
import { dedupeByKey, emptyCounts, type ColumnType, type TableSpec, type UpsertResult } from '../../../projector/src/upsert.ts';
import { sql, z, type CommonQueryMethods, type FragmentSqlToken } from '../projectorDeps.ts';
import { upsertResultOf } from './changedRows.ts';
import { columnValue, tableColumns } from './tableColumns.ts';
import { parameterValue } from './values.ts';

/** The array element type each column travels as (text[] as its literal text). */
const ELEMENT_TYPE: Readonly<Record<ColumnType, string>> = {
  text: 'text',
  integer: 'int4',
  bigint: 'int8',
  boolean: 'bool',
  'double precision': 'float8',
  jsonb: 'jsonb',
  timestamptz: 'timestamptz',
  'text[]': 'text',
};

const returnedRow = z.object({ inserted: z.boolean() }).catchall(z.unknown());

export async function upsertRowsUnnest<Row extends object>(
  connection: CommonQueryMethods,
  spec: TableSpec<Row>,
  rows: readonly Row[],
): Promise<UpsertResult<Row>> {
  const unique = dedupeByKey(rows, spec.key);
  if (unique.length === 0) return { ...emptyCounts(), changed: [] };

  const columns = tableColumns(spec);
  const id = (column: string) => sql.identifier([column]);
  const list = (names: readonly string[], map: (name: string) => FragmentSqlToken | ReturnType<typeof id>) =>
    sql.join(names.map(map), sql.fragment`, `);
  const table = sql.identifier([spec.table]);

  const tuples = unique.map((row) => columns.all.map((column) => parameterValue(columns.typeOf(column), columnValue(row, column))));
  const input = sql.unnest(
    tuples,
    columns.all.map((column) => ELEMENT_TYPE[columns.typeOf(column)]),
  );
  const selected = list(columns.all, (column) =>
    columns.typeOf(column) === 'text[]' ? sql.fragment`${id(column)}::text[]` : sql.fragment`${id(column)}`,
  );

  const returned = await connection.any(sql.type(returnedRow)`
    INSERT INTO ${table} (${list(columns.all, id)}, first_seen_at, last_seen_at)
    SELECT ${selected}, now(), now()
    FROM ${input} AS input(${list(columns.all, id)})
    ON CONFLICT (${list(columns.key, id)}) DO UPDATE SET
      ${list(columns.updatable, (column) => sql.fragment`${id(column)} = EXCLUDED.${id(column)}`)},
      last_seen_at = now()
    WHERE (${list(columns.content, (column) => sql.fragment`${table}.${id(column)}`)})
      IS DISTINCT FROM (${list(columns.content, (column) => sql.fragment`EXCLUDED.${id(column)}`)})
    RETURNING ${list(columns.key, (column) => sql.fragment`${table}.${id(column)}`)}, (xmax = 0) AS inserted`);

  return upsertResultOf(unique, columns.key, returned);
}
