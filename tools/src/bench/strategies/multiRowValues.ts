/**
 * (b) Multi-row VALUES: `INSERT … VALUES (…), (…), … ON CONFLICT … DO UPDATE`
 * with ROWS_PER_STATEMENT rows per statement (one bound parameter per value;
 * Postgres takes at most 65,535), the statements of a batch in one transaction.
 */
import type { TableSpec } from '@medly/projector/tableWriter';
import type { UpsertCounts } from '@medly/projector/upsertCounts';
import { chunks } from '../stats.ts';
import { benchColumns, conflictClause, countsOf, insertHead, valuesOf } from './benchSql.ts';
import { openPgSession } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

const ROWS_PER_STATEMENT = 1_000;
const MAX_PARAMETERS = 65_535;

export const multiRowValuesStrategy: WriteStrategy = {
  id: 'values',
  description: `multi-row INSERT … VALUES (${ROWS_PER_STATEMENT.toLocaleString('en-US')} rows a statement) ON CONFLICT DO UPDATE`,
  async open(databaseUrl) {
    const session = await openPgSession(databaseUrl);
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        const columns = benchColumns(spec);
        const width = columns.all.length;
        const perStatement = Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / width));
        return session.transaction(async (client) => {
          const returned: { inserted: boolean }[] = [];
          for (const slice of chunks(rows, perStatement)) {
            const tuples = slice.map((_, rowIndex) => {
              const placeholders = columns.all.map((_column, columnIndex) => `$${String(rowIndex * width + columnIndex + 1)}`);
              return `(${placeholders.join(', ')})`;
            });
            const values = slice.flatMap((row) => valuesOf(columns, row));
            const result = await client.query<{ inserted: boolean }>(`${insertHead(columns)} VALUES ${tuples.join(', ')} ${conflictClause(columns)}`, values);
            returned.push(...result.rows);
          }
          return countsOf(returned, rows.length);
        });
      },
      close: () => session.close(),
    };
  },
};
