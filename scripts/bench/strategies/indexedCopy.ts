/**
 * (g) COPY straight into the projection table, with its key, indexes and
 * constraints but no conflict handling: what the table's indexes alone cost
 * over raw COPY. It cannot run a second pass (every key exists by then).
 */
import type { TableSpec, UpsertCounts } from '../../../projector/src/upsert.ts';
import { copyRows } from '../../../projector/src/copyRows.ts';
import { tableColumns } from '../../../projector/src/tableSpec.ts';
import { openPgSession } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

export const indexedCopyStrategy: WriteStrategy = {
  id: 'indexedCopy',
  description: 'COPY into the projection table itself (its key and indexes, no upsert; first pass only)',
  firstPassOnly: true,
  async open(databaseUrl) {
    const session = await openPgSession(databaseUrl);
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        await session.transaction((client) => copyRows(client, spec.table, tableColumns(spec), rows));
        return { inserted: rows.length, updated: 0, unchanged: 0 };
      },
      close: () => session.close(),
    };
  },
};
