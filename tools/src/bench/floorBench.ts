/**
 * The write floor of one import (issue 16, item 1): the imported database's
 * final rows, dumped table by table with `COPY … TO STDOUT` into files in the
 * run directory, then timed as they load with `COPY … FROM STDIN` into a
 * freshly migrated database (the same migrations: the same indexes and
 * constraints), sequentially on one connection, referenced tables first: what
 * a data-only pg_restore would do. Nothing can write those rows faster on this
 * machine, so the import and a replay are priced against it. The dumps are
 * removed afterwards; the per-table figures stay in floor-K.json.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import pgCopyStreams from 'pg-copy-streams';
import { REPLAYED_TABLES } from '@medly/projector/checksums';
import type { BenchContext } from './benchContext.ts';
import { checkpoint, createBenchDatabase } from './benchDatabase.ts';
import { orderByForeignKeys, type ForeignKey } from './foreignKeyOrder.ts';
import { quoteIdentifier } from './strategies/benchSql.ts';

export interface WriteFloor {
  seconds: number;
  rows: number;
  bytes: number;
}

interface TableLoad {
  table: string;
  rows: number;
  bytes: number;
  seconds: number;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function dumpTables(databaseUrl: string, dir: string): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    for (const table of REPLAYED_TABLES) {
      await pipeline(client.query(pgCopyStreams.to(`COPY ${quoteIdentifier(table)} TO STDOUT`)), createWriteStream(join(dir, `${table}.copy`)));
    }
  });
}

async function foreignKeys(client: pg.Client): Promise<ForeignKey[]> {
  const { rows } = await client.query<ForeignKey>(`
    SELECT conrelid::regclass::text AS table, confrelid::regclass::text AS references
    FROM pg_constraint WHERE contype = 'f'`);
  return rows;
}

async function loadTables(databaseUrl: string, dir: string): Promise<TableLoad[]> {
  return withClient(databaseUrl, async (client) => {
    const order = orderByForeignKeys(REPLAYED_TABLES, await foreignKeys(client));
    const loads: TableLoad[] = [];
    for (const table of order) {
      const file = join(dir, `${table}.copy`);
      const started = performance.now();
      const copy = client.query(pgCopyStreams.from(`COPY ${quoteIdentifier(table)} FROM STDIN`));
      await pipeline(createReadStream(file), copy);
      loads.push({ table, rows: copy.rowCount, bytes: (await stat(file)).size, seconds: (performance.now() - started) / 1000 });
    }
    return loads;
  });
}

export async function measureWriteFloor(context: BenchContext, scale: number, importedUrl: string): Promise<WriteFloor> {
  const dir = join(context.runDir, `floor-${String(scale)}`);
  await mkdir(dir, { recursive: true });
  const target = await createBenchDatabase(context.adminUrl, `floor${String(scale)}`);
  try {
    context.log(`floor ${String(scale)}×: COPY TO of ${String(REPLAYED_TABLES.length)} tables, then COPY FROM into ${target.name}`);
    await dumpTables(importedUrl, dir);
    // The load should not pay for flushing the dump's (or anyone's) dirty buffers.
    await checkpoint(context.adminUrl);
    const loads = await loadTables(target.url, dir);
    const sum = (pick: (load: TableLoad) => number) => loads.reduce((total, load) => total + pick(load), 0);
    const floor = { seconds: sum((load) => load.seconds), rows: sum((load) => load.rows), bytes: sum((load) => load.bytes) };
    await writeFile(join(context.runDir, `floor-${String(scale)}.json`), JSON.stringify({ ...floor, tables: loads }, null, 2));
    context.log(`floor ${String(scale)}×: ${String(floor.rows)} rows, ${String(floor.bytes)} bytes in ${floor.seconds.toFixed(2)} s`);
    return floor;
  } finally {
    await target.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
