/**
 * (c) unnest: one array parameter per column,
 * `INSERT … SELECT … FROM unnest($1::text[], $2::int4[], …) ON CONFLICT DO UPDATE`,
 * one statement per batch. A text[] column travels as its array literal (a
 * parameter cannot hold ragged two-dimensional arrays) and is cast back.
 */
import type { ColumnType, TableSpec } from '@medly/projector/tableWriter';
import type { UpsertCounts } from '@medly/projector/upsertCounts';
import { benchColumns, columnList, conflictClause, countsOf, insertHead, parameterValue, quoteIdentifier } from './benchSql.ts';
import { openPgSession } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

/** The array element type each column travels as. */
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

export const unnestStrategy: WriteStrategy = {
  id: 'unnest',
  description: 'INSERT … SELECT … FROM unnest($1::text[], $2::int4[], …) ON CONFLICT DO UPDATE WHERE IS DISTINCT FROM',
  async open(databaseUrl) {
    const session = await openPgSession(databaseUrl);
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        const columns = benchColumns(spec);
        const arrays = columns.all.map((column) =>
          rows.map((row) => parameterValue(columns.typeOf(column), (row as Readonly<Record<string, unknown>>)[column])),
        );
        const input = columns.all.map((column, index) => `$${String(index + 1)}::${ELEMENT_TYPE[columns.typeOf(column)]}[]`).join(', ');
        const selected = columns.all
          .map((column) => (columns.typeOf(column) === 'text[]' ? `${quoteIdentifier(column)}::text[]` : quoteIdentifier(column)))
          .join(', ');
        const text =
          `${insertHead(columns)} SELECT ${selected} ` +
          `FROM unnest(${input}) AS input(${columnList(columns.all)}) ${conflictClause(columns)}`;
        const returned = await session.transaction((client) => client.query<{ inserted: boolean }>(text, arrays));
        return countsOf(returned.rows, rows.length);
      },
      close: () => session.close(),
    };
  },
};
