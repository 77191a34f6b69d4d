/**
 * The projector's merge with the rows sent as one array per column
 * (`unnest($1::text[], $2::int4[], …)`) instead of COPY: a drop-in for
 * projector/src/upsert.ts `upsertRows` (same TableSpec, same semantics, same
 * UpsertResult) that runs on any slonik connection.
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
import type { ColumnType, TableSpec, UpsertResult } from '../../../projector/src/upsert.ts';
import { sql, type CommonQueryMethods } from '../projectorDeps.ts';
import { parameterValue } from '../../../projector/src/copyValues.ts';
import { columnValue } from '../../../projector/src/tableSpec.ts';
import { identifier, listOf, upsertFromRecordSet } from './slonikUpsert.ts';

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

export function upsertRowsUnnest<Row extends object>(
  connection: CommonQueryMethods,
  spec: TableSpec<Row>,
  rows: readonly Row[],
): Promise<UpsertResult<Row>> {
  return upsertFromRecordSet(connection, spec, rows, (unique, columns) => {
    const tuples = unique.map((row) => columns.all.map((column) => parameterValue(columns.typeOf(column), columnValue(row, column))));
    const arrays = sql.unnest(
      tuples,
      columns.all.map((column) => ELEMENT_TYPE[columns.typeOf(column)]),
    );
    return {
      input: sql.fragment`${arrays} AS input(${listOf(columns.all, identifier)})`,
      selected: listOf(columns.all, (column) =>
        columns.typeOf(column) === 'text[]' ? sql.fragment`${identifier(column)}::text[]` : sql.fragment`${identifier(column)}`,
      ),
    };
  });
}
