/**
 * (d) COPY + merge: the projector's own write path (its table writer,
 * `createTableWriter(spec).upsert`), called as the projector calls it, in a
 * transaction of its batch writer: the batch is COPYed into a session-local
 * staging table (temporary, so not WAL-logged; emptied at each commit), then
 * merged with one `INSERT … SELECT … FROM staging ON CONFLICT … DO UPDATE …
 * WHERE IS DISTINCT FROM`.
 */
import { createBatchWriter } from '@medly/projector/batchWriter';
import { createTableWriter, type TableSpec } from '@medly/projector/tableWriter';
import type { UpsertCounts } from '@medly/projector/upsertCounts';
import type { WriteStrategy } from './strategy.ts';

export const copyMergeStrategy: WriteStrategy = {
  id: 'copyMerge',
  description: "COPY into a temporary staging table, then INSERT … SELECT … ON CONFLICT DO UPDATE WHERE IS DISTINCT FROM (the projector's table writer)",
  open(databaseUrl) {
    const writer = createBatchWriter(databaseUrl, { maxConnections: 1, statementTimeoutMs: 600_000 });
    return Promise.resolve({
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        const tableWriter = createTableWriter(spec);
        const { inserted, updated, unchanged, deleted } = await writer.transaction((connection) => tableWriter.upsert(connection, rows, []));
        return { inserted, updated, unchanged, deleted };
      },
      close: () => writer.end(),
    });
  },
};
