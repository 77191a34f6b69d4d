/**
 * (e) Raw COPY: the same rows, in the same batches and transactions, COPYed
 * into a plain table with the same columns and no key, index, constraint or
 * conflict handling (logged, like the real table). No upsert can write faster
 * on this machine: it is the physical limit the others are measured against.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pgCopyStreams from 'pg-copy-streams';
import type { TableSpec } from '@medly/projector/tableWriter';
import type { UpsertCounts } from '@medly/projector/upsertCounts';
import { benchColumns, columnDefinitions, columnList, copyLine, quoteIdentifier, type BenchColumns } from './benchSql.ts';
import { openPgSession } from './pgSession.ts';
import type { WriteStrategy } from './strategy.ts';

/** Lines go in chunks of about this many rows, as the projector sends them: few large writes. */
const ROWS_PER_CHUNK = 500;

function* copyChunks(columns: BenchColumns, rows: readonly object[]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    yield rows
      .slice(start, start + ROWS_PER_CHUNK)
      .map((row) => copyLine(columns, row))
      .join('');
  }
}

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
        const columns = benchColumns(spec);
        const raw = quoteIdentifier(rawTableOf(spec.table));
        if (!created.has(raw)) {
          await session.client.query(
            `CREATE TABLE ${raw} (${columnDefinitions(columns)})`,
          );
          created.add(raw);
        }
        await session.transaction(async (client) => {
          const copy = client.query(pgCopyStreams.from(`COPY ${raw} (${columnList(columns.all)}) FROM STDIN (FORMAT text)`));
          await pipeline(Readable.from(copyChunks(columns, rows)), copy);
        });
        return { inserted: rows.length, updated: 0, unchanged: 0, deleted: 0 };
      },
      close: () => session.close(),
    };
  },
};
