/**
 * (a) Naive: one `INSERT … VALUES (…) ON CONFLICT … DO UPDATE` per row,
 * autocommit (each row its own transaction and WAL flush), on the bare pg
 * driver: what row-at-a-time code does, without any ORM overhead.
 */
import type { TableSpec } from '@medly/projector/tableWriter';
import type { UpsertCounts } from '@medly/projector/upsertCounts';
import { benchColumns, conflictClause, countsOf, insertHead, valuesOf } from './benchSql.ts';
import { openPgSession } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

export const naiveStrategy: WriteStrategy = {
  id: 'naive',
  description: 'one INSERT … ON CONFLICT DO UPDATE per row, autocommit',
  async open(databaseUrl) {
    const session = await openPgSession(databaseUrl);
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        const columns = benchColumns(spec);
        const placeholders = columns.all.map((_, index) => `$${String(index + 1)}`).join(', ');
        const text = `${insertHead(columns)} VALUES (${placeholders}) ${conflictClause(columns)}`;
        const returned: { inserted: boolean }[] = [];
        for (const row of rows) {
          const result = await session.client.query<{ inserted: boolean }>(text, valuesOf(columns, row));
          returned.push(...result.rows);
        }
        return countsOf(returned, rows.length);
      },
      close: () => session.close(),
    };
  },
};
