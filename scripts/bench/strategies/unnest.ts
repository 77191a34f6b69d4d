/** (c) unnest: one array per column, `INSERT … SELECT … FROM unnest(…) ON CONFLICT DO UPDATE`, in a slonik transaction. */
import { createDatabasePool } from '../../../shared/src/db.ts';
import type { TableSpec, UpsertCounts } from '../../../projector/src/upsert.ts';
import { counts } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';
import { upsertRowsUnnest } from './upsertRowsUnnest.ts';

export const unnestStrategy: WriteStrategy = {
  id: 'unnest',
  description: 'INSERT … SELECT … FROM unnest($1::text[], $2::int4[], …) ON CONFLICT DO UPDATE WHERE IS DISTINCT FROM (upsertRowsUnnest)',
  async open(databaseUrl) {
    const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 1, statementTimeoutMs: 600_000 });
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        return counts(await pool.transaction((transaction) => upsertRowsUnnest(transaction, spec, rows)));
      },
      close: () => pool.end(),
    };
  },
};
