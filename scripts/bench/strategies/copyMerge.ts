/**
 * (e) COPY + merge: the batch is COPYed into a session-local staging table
 * (temporary, so not WAL-logged; emptied at each commit), then merged with
 * one `INSERT … SELECT … FROM staging ON CONFLICT … DO UPDATE … WHERE IS
 * DISTINCT FROM`, in one transaction (upsertRowsByCopy). The pg driver is
 * needed for COPY.
 */
import type { TableSpec, UpsertCounts } from '../../../projector/src/upsert.ts';
import { counts, openPgSession } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';
import { upsertRowsByCopy } from './upsertRowsByCopy.ts';

export const copyMergeStrategy: WriteStrategy = {
  id: 'copyMerge',
  description: 'COPY into a temporary staging table, then INSERT … SELECT … ON CONFLICT DO UPDATE WHERE IS DISTINCT FROM (upsertRowsByCopy)',
  async open(databaseUrl) {
    const session = await openPgSession(databaseUrl);
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        return counts(await session.transaction((client) => upsertRowsByCopy(client, spec, rows)));
      },
      close: () => session.close(),
    };
  },
};
