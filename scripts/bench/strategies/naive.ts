/**
 * (a) Naive: one `INSERT … VALUES (…) ON CONFLICT … DO UPDATE` per row,
 * autocommit (each row its own transaction and WAL flush), on the bare pg
 * driver: what row-at-a-time code does, without any ORM overhead.
 */
import type { TableSpec, UpsertCounts } from '../../../projector/src/upsert.ts';
import { upsertResultOf } from '../../../projector/src/changedRows.ts';
import { parameterValue } from '../../../projector/src/copyValues.ts';
import { columnValue, tableColumns } from '../../../projector/src/tableSpec.ts';
import { conflictClause, insertHead } from '../../../projector/src/upsertSql.ts';
import { counts, openPgSession } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

export const naiveStrategy: WriteStrategy = {
  id: 'naive',
  description: 'one INSERT … ON CONFLICT DO UPDATE per row, autocommit',
  async open(databaseUrl) {
    const session = await openPgSession(databaseUrl);
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        const columns = tableColumns(spec);
        const placeholders = columns.all.map((_, index) => `$${String(index + 1)}`).join(', ');
        const text = `${insertHead(columns)} VALUES (${placeholders}, now(), now()) ${conflictClause(columns)}`;
        const returned: { inserted: unknown }[] = [];
        for (const row of rows) {
          const values = columns.all.map((column) => parameterValue(columns.typeOf(column), columnValue(row, column)));
          const result = await session.client.query<{ inserted: boolean }>(text, values);
          returned.push(...result.rows);
        }
        return counts(upsertResultOf(rows, columns.key, returned));
      },
      close: () => session.close(),
    };
  },
};
