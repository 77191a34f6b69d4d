/**
 * (f) Raw COPY: the same rows, in the same batches and transactions, COPYed
 * into a plain table with the same columns and no key, index, constraint or
 * conflict handling (logged, like the real table). No upsert can write faster
 * on this machine: it is the physical limit the others are measured against.
 */
import type { TableSpec, UpsertCounts } from '../../../projector/src/upsert.ts';
import { copyRows } from '../../../projector/src/copyRows.ts';
import { tableColumns } from '../../../projector/src/tableSpec.ts';
import { columnDefinitions, quoteIdentifier } from '../../../projector/src/upsertSql.ts';
import { openPgSession } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

/** The unindexed twin of a projection table. */
export function rawTableOf(table: string): string {
  return `raw_${table}`;
}

export const rawCopyStrategy: WriteStrategy = {
  id: 'rawCopy',
  description: 'COPY into an unindexed, constraint-free table (no upsert: the physical limit)',
  async open(databaseUrl) {
    const session = await openPgSession(databaseUrl);
    const created = new Set<string>();
    return {
      async write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts> {
        const columns = tableColumns(spec);
        const raw = rawTableOf(spec.table);
        if (!created.has(raw)) {
          await session.client.query(
            `CREATE TABLE ${quoteIdentifier(raw)} (${columnDefinitions(columns)}, ` +
              'first_seen_at timestamptz DEFAULT now(), last_seen_at timestamptz DEFAULT now())',
          );
          created.add(raw);
        }
        await session.transaction((client) => copyRows(client, raw, columns, rows));
        return { inserted: rows.length, updated: 0, unchanged: 0 };
      },
      close: () => session.close(),
    };
  },
};
