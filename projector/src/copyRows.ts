/** Streams rows into a table with `COPY … FROM STDIN (FORMAT text)` through pg-copy-streams. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import pgCopyStreams from 'pg-copy-streams';
import { copyField } from './copyValues.ts';
import { columnValue, type TableColumns } from './tableSpec.ts';
import { columnList, quoteIdentifier } from './upsertSql.ts';

/** Lines are sent in chunks of about this many rows: few large writes, bounded memory. */
const ROWS_PER_CHUNK = 500;

export async function copyRows(client: pg.ClientBase, intoTable: string, columns: TableColumns, rows: readonly object[]): Promise<void> {
  const types = columns.all.map((column) => columns.typeOf(column));
  function* lines(): Generator<string> {
    let chunk = '';
    let inChunk = 0;
    for (const row of rows) {
      chunk += columns.all.map((column, index) => copyField(types[index] ?? 'text', columnValue(row, column))).join('\t') + '\n';
      inChunk += 1;
      if (inChunk === ROWS_PER_CHUNK) {
        yield chunk;
        chunk = '';
        inChunk = 0;
      }
    }
    if (chunk !== '') yield chunk;
  }
  const copy = client.query(pgCopyStreams.from(`COPY ${quoteIdentifier(intoTable)} (${columnList(columns.all)}) FROM STDIN (FORMAT text)`));
  await pipeline(Readable.from(lines()), copy);
}
