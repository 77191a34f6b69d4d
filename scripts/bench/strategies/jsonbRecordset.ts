/**
 * (d) jsonb_to_recordset: the same merge as the projector's, fed by one jsonb
 * parameter instead of COPY (upsertRowsJsonb; the projector's default until
 * COPY + merge measured faster), in a slonik transaction: the batch goes to
 * Postgres as one JSON document and comes back as a record set.
 */
import { createDatabasePool } from '../../../shared/src/db.ts';
import type { TableSpec, UpsertCounts } from '../../../projector/src/upsert.ts';
import { counts } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';
import { upsertRowsJsonb } from './upsertRowsJsonb.ts';

export const jsonbRecordsetStrategy: WriteStrategy = {
  id: 'jsonbRecordset',
  description: 'INSERT … SELECT … FROM jsonb_to_recordset($1) ON CONFLICT DO UPDATE WHERE IS DISTINCT FROM (upsertRowsJsonb)',
  async open(databaseUrl) {
    const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 1, statementTimeoutMs: 600_000 });
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        return counts(await pool.transaction((transaction) => upsertRowsJsonb(transaction, spec, rows)));
      },
      close: () => pool.end(),
    };
  },
};
