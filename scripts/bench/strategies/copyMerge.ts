/**
 * (e) COPY + merge: the projector's own upsert (projector/src/upsert.ts
 * `upsertRows`), called as the projector calls it, in a transaction of its
 * batch writer: the batch is COPYed into a session-local staging table
 * (temporary, so not WAL-logged; emptied at each commit), then merged with one
 * `INSERT … SELECT … FROM staging ON CONFLICT … DO UPDATE … WHERE IS DISTINCT FROM`.
 */
import { createBatchWriter } from '../../../projector/src/batchWriter.ts';
import { upsertRows, type TableSpec, type UpsertCounts } from '../../../projector/src/upsert.ts';
import { counts } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

export const copyMergeStrategy: WriteStrategy = {
  id: 'copyMerge',
  description: "COPY into a temporary staging table, then INSERT … SELECT … ON CONFLICT DO UPDATE WHERE IS DISTINCT FROM (the projector's upsertRows)",
  open(databaseUrl) {
    const writer = createBatchWriter(databaseUrl, { maxConnections: 1, statementTimeoutMs: 600_000 });
    return Promise.resolve({
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        return counts(await writer.transaction((connection) => upsertRows(connection, spec, rows)));
      },
      close: () => writer.end(),
    });
  },
};
