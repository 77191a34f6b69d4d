/**
 * (d) jsonb_to_recordset: the projector's own upsert (projector/src/upsert.ts
 * `upsertRows`), called as the projector calls it, in a slonik transaction:
 * the batch goes to Postgres as one jsonb parameter and comes back as a record set.
 */
import { createDatabasePool } from '../../../shared/src/db.ts';
import { upsertRows, type TableSpec, type UpsertCounts } from '../../../projector/src/upsert.ts';
import { counts } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

export const jsonbRecordsetStrategy: WriteStrategy = {
  id: 'jsonbRecordset',
  description: "INSERT … SELECT … FROM jsonb_to_recordset($1) ON CONFLICT DO UPDATE WHERE IS DISTINCT FROM (the projector's upsertRows)",
  async open(databaseUrl) {
    const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 1, statementTimeoutMs: 600_000 });
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        return counts(await pool.transaction((transaction) => upsertRows(transaction, spec, rows)));
      },
      close: () => pool.end(),
    };
  },
};
