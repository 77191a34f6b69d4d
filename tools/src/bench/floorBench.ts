/**
 * The write floor of one import (issue 16, item 1): the imported database's
 * final rows, dumped table by table with `COPY … TO STDOUT` into files in the
 * run directory, then timed as they load with `COPY … FROM STDIN` into a
 * freshly migrated database (the same migrations: the same indexes and
 * constraints), sequentially on one connection, referenced tables first: what
 * a data-only pg_restore would do. Nothing can write those rows faster on this
 * machine, so the import and a replay are priced against it; the load's CPU
 * seconds (Postgres's and the bench's own, cpuSampler.ts) beside. The dumps are
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
import type { CpuBreakdown } from './cpuFigures.ts';
import { describeCpu, startCpuSampler } from './cpuSampler.ts';
import { orderByForeignKeys, type ForeignKey } from './foreignKeyOrder.ts';
import { quoteIdentifier } from './strategies/benchSql.ts';

export interface WriteFloor {
  seconds: number;
  rows: number;
  bytes: number;
  /** Over the load only: Postgres and the bench process doing the COPY (absent before issue 16's CPU table). */
  cpu?: CpuBreakdown;
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

/** `beforeClose` runs on the open connection after the last table (the CPU sampler reads its backend: a short load may end between samples). */
async function loadTables(databaseUrl: string, dir: string, beforeClose: () => Promise<void>): Promise<TableLoad[]> {
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
    await beforeClose();
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
    const sampler = await startCpuSampler(context, { database: target.name, benchLabel: 'bench', broker: false });
    let cpu: CpuBreakdown;
    let loads: TableLoad[];
    try {
      loads = await loadTables(target.url, dir, () => sampler.sampleNow());
    } finally {
      ({ cpu } = await sampler.stop());
    }
    const sum = (pick: (load: TableLoad) => number) => loads.reduce((total, load) => total + pick(load), 0);
    const floor = { seconds: sum((load) => load.seconds), rows: sum((load) => load.rows), bytes: sum((load) => load.bytes), cpu };
    await writeFile(join(context.runDir, `floor-${String(scale)}.json`), JSON.stringify({ ...floor, tables: loads }, null, 2));
    context.log(`floor ${String(scale)}×: ${String(floor.rows)} rows, ${String(floor.bytes)} bytes in ${floor.seconds.toFixed(2)} s; ${describeCpu(cpu)}`);
    return floor;
  } finally {
    await target.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
