/**
 * The projector's merge (projector/src/upsertSql.ts) written with slonik's
 * `sql` tag, fed by a record set built in SQL from bound parameters instead
 * of a staging table: the shape the unnest and jsonb_to_recordset strategies
 * share. Each only says how its rows travel and are read back as columns.
 *
 *   INSERT INTO t (…) SELECT <selected> FROM <input>
 *   ON CONFLICT (key) DO UPDATE SET … WHERE (content) IS DISTINCT FROM (new content)
 *   RETURNING key…, (xmax = 0) AS inserted
 */
import { upsertResultOf } from '../../../projector/src/changedRows.ts';
import { tableColumns, type TableColumns } from '../../../projector/src/tableSpec.ts';
import { dedupeByKey, emptyCounts, type TableSpec, type UpsertResult } from '../../../projector/src/upsert.ts';
import { sql, z, type CommonQueryMethods, type FragmentSqlToken, type ListSqlToken } from '../projectorDeps.ts';

export interface RecordSet {
  /** The FROM item, aliased `input` with one column per spec column. */
  input: FragmentSqlToken;
  /** The select list, in the spec's column order (with any cast a column needs). */
  selected: FragmentSqlToken | ListSqlToken;
}

const returnedRow = z.object({ inserted: z.boolean() }).catchall(z.unknown());

export const identifier = (column: string) => sql.identifier([column]);

export function listOf(names: readonly string[], map: (name: string) => FragmentSqlToken | ReturnType<typeof identifier>): ListSqlToken {
  return sql.join(names.map(map), sql.fragment`, `);
}

export async function upsertFromRecordSet<Row extends object>(
  connection: CommonQueryMethods,
  spec: TableSpec<Row>,
  rows: readonly Row[],
  recordSetOf: (unique: readonly Row[], columns: TableColumns) => RecordSet,
): Promise<UpsertResult<Row>> {
  const unique = dedupeByKey(rows, spec.key);
  if (unique.length === 0) return { ...emptyCounts(), changed: [] };

  const columns = tableColumns(spec);
  const table = sql.identifier([spec.table]);
  const { input, selected } = recordSetOf(unique, columns);
  const returned = await connection.any(sql.type(returnedRow)`
    INSERT INTO ${table} (${listOf(columns.all, identifier)}, first_seen_at, last_seen_at)
    SELECT ${selected}, now(), now()
    FROM ${input}
    ON CONFLICT (${listOf(columns.key, identifier)}) DO UPDATE SET
      ${listOf(columns.updatable, (column) => sql.fragment`${identifier(column)} = EXCLUDED.${identifier(column)}`)},
      last_seen_at = now()
    WHERE (${listOf(columns.content, (column) => sql.fragment`${table}.${identifier(column)}`)})
      IS DISTINCT FROM (${listOf(columns.content, (column) => sql.fragment`EXCLUDED.${identifier(column)}`)})
    RETURNING ${listOf(columns.key, (column) => sql.fragment`${table}.${identifier(column)}`)}, (xmax = 0) AS inserted`);

  return upsertResultOf(unique, columns.key, returned);
}
