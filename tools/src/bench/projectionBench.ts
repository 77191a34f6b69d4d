/**
 * Part 2: projection rows/s of each write strategy on the same rows. Every
 * strategy writes into its own freshly migrated database: a first pass (all
 * rows new) and a second pass over the same rows (all unchanged, as a
 * re-import sends them), batch by batch, one transaction per batch, the
 * strategies interleaved batch by batch. Rounds repeat the comparison in
 * fresh databases; the report takes medians.
 * Naive goes row by row and would take too long on every row: it writes the
 * first `naiveSample` rows of each table.
 */
import pg from 'pg';
import type { TableSpec } from '@medly/projector/tableWriter';
import { emptyCounts, type UpsertCounts } from '@medly/projector/upsertCounts';
import type { TestDatabase } from '@medly/shared/testing/database';
import { checkpoint, createBenchDatabase } from './benchDatabase.ts';
import { loadBenchRows, type BenchTable } from './rows.ts';
import { chunks } from './stats.ts';
import { benchColumns, columnList, quoteIdentifier } from './strategies/benchSql.ts';
import { rawTableOf } from './strategies/rawCopy.ts';
import type { StrategyId, StrategySession, WriteStrategy } from './strategies/strategy.ts';

export interface ProjectionOptions {
  adminUrl: string;
  dataDir: string;
  strategies: readonly WriteStrategy[];
  rounds: number;
  batchSize: number;
  naiveSample: number;
  log: (message: string) => void;
}

export interface PassResult {
  /** Wall time of the pass in each round, in milliseconds. */
  elapsedMs: number[];
  counts: UpsertCounts;
}

export interface StrategyResult {
  strategy: StrategyId;
  description: string;
  rows: number;
  sampled: boolean;
  passes: [PassResult, PassResult];
  /** Content checksum of the table after the first pass (first round); null for a sample. */
  checksum: string | null;
}

export interface ProjectionTableResult {
  table: string;
  rowsMapped: number;
  rowsUnique: number;
  strategies: StrategyResult[];
}

export interface ProjectionResult {
  dataDir: string;
  rounds: number;
  batchSize: number;
  naiveSample: number;
  loadMs: number;
  tables: ProjectionTableResult[];
}

export async function runProjectionBench(options: ProjectionOptions): Promise<ProjectionResult> {
  const { log } = options;
  const loadStarted = performance.now();
  const loaded = await loadBenchRows(options.dataDir);
  const loadMs = performance.now() - loadStarted;
  const tables: BenchTable<object>[] = [loaded.itemAppearances as BenchTable<object>, loaded.attempts as BenchTable<object>];
  log(`rows: ${tables.map((table) => `${table.spec.table} ${String(table.rows.length)}`).join(', ')} (loaded in ${(loadMs / 1000).toFixed(1)} s)`);

  const results = new Map<string, StrategyResult>();
  for (let round = 0; round < options.rounds; round += 1) {
    const opened: { strategy: WriteStrategy; session: StrategySession; databaseUrl: string }[] = [];
    const databases: TestDatabase[] = [];
    try {
      for (const strategy of options.strategies) {
        const database = await createBenchDatabase(options.adminUrl, strategy.id);
        databases.push(database);
        opened.push({ strategy, session: await strategy.open(database.url), databaseUrl: database.url });
      }
      for (const table of tables) {
        for (const pass of [0, 1] as const) {
          await checkpoint(options.adminUrl);
          const plans = opened.map(({ strategy, session }) => {
            const sampled = strategy.id === 'naive' && table.rows.length > options.naiveSample;
            const rows = sampled ? table.rows.slice(0, options.naiveSample) : table.rows;
            return { strategy, session, sampled, rows, batches: chunks(rows, options.batchSize) };
          });
          const timings = await interleavedPass(plans, table.spec, round);
          for (const [index, plan] of plans.entries()) {
            const timing = timings[index] ?? { elapsedMs: Number.NaN, counts: emptyCounts() };
            const key = `${table.spec.table}/${plan.strategy.id}`;
            const result = results.get(key) ?? {
              strategy: plan.strategy.id,
              description: plan.strategy.description,
              rows: plan.rows.length,
              sampled: plan.sampled,
              passes: [
                { elapsedMs: [], counts: emptyCounts() },
                { elapsedMs: [], counts: emptyCounts() },
              ],
              checksum: null,
            };
            result.passes[pass].elapsedMs.push(timing.elapsedMs);
            if (round === 0) result.passes[pass].counts = timing.counts;
            results.set(key, result);
          }
          if (pass === 0 && round === 0) {
            for (const [index, plan] of plans.entries()) {
              const result = results.get(`${table.spec.table}/${plan.strategy.id}`);
              const databaseUrl = opened[index]?.databaseUrl;
              if (result && databaseUrl && !plan.sampled) {
                result.checksum = await tableChecksum(databaseUrl, table.spec, plan.strategy.id === 'rawCopy');
              }
            }
          }
          log(
            `round ${String(round + 1)} ${table.spec.table} pass ${String(pass + 1)}: ` +
              plans.map((plan, index) => `${plan.strategy.id} ${((timings[index]?.elapsedMs ?? Number.NaN) / 1000).toFixed(2)} s`).join(', '),
          );
        }
      }
    } finally {
      for (const { session } of opened) await session.close().catch(() => undefined);
      for (const database of databases) await database.drop();
    }
  }
  return {
    dataDir: options.dataDir,
    rounds: options.rounds,
    batchSize: options.batchSize,
    naiveSample: options.naiveSample,
    loadMs,
    tables: tables.map((table) => ({
      table: table.spec.table,
      rowsMapped: table.mapped,
      rowsUnique: table.rows.length,
      strategies: options.strategies.flatMap((strategy) => results.get(`${table.spec.table}/${strategy.id}`) ?? []),
    })),
  };
}

interface PassPlan {
  strategy: WriteStrategy;
  session: StrategySession;
  batches: object[][];
}

/**
 * One pass of every strategy, interleaved batch by batch (batch i of each
 * strategy, in an order that rotates with i), so that a change in the load
 * of this shared machine falls on all strategies alike and the ratios hold.
 */
async function interleavedPass(
  plans: readonly PassPlan[],
  spec: TableSpec<object>,
  round: number,
): Promise<{ elapsedMs: number; counts: UpsertCounts }[]> {
  const timings = plans.map(() => ({ elapsedMs: 0, counts: emptyCounts() }));
  const batchCount = Math.max(0, ...plans.map((plan) => plan.batches.length));
  for (let batchIndex = 0; batchIndex < batchCount; batchIndex += 1) {
    for (const planIndex of rotate([...plans.keys()], batchIndex + round)) {
      const batch = plans[planIndex]?.batches[batchIndex];
      const timing = timings[planIndex];
      if (!batch || !timing) continue;
      const started = performance.now();
      const counts = await plans[planIndex]?.session.write(spec, batch);
      timing.elapsedMs += performance.now() - started;
      if (counts) {
        timing.counts.inserted += counts.inserted;
        timing.counts.updated += counts.updated;
        timing.counts.unchanged += counts.unchanged;
      }
    }
  }
  return timings;
}

/** md5 over every written column of every row in key order: equal content, equal checksum, whichever strategy wrote it. */
async function tableChecksum(databaseUrl: string, spec: TableSpec<object>, raw: boolean): Promise<string> {
  const columns = benchColumns(spec);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const table = quoteIdentifier(raw ? rawTableOf(spec.table) : spec.table);
    const result = await client.query<{ rows: number; checksum: string | null }>(
      `SELECT count(*)::int AS rows, md5(string_agg(md5(ROW(${columnList(columns.all)})::text), '' ORDER BY ${columnList(columns.key)})) AS checksum FROM ${table}`,
    );
    const row = result.rows[0];
    return `${String(row?.rows ?? 0)}:${row?.checksum ?? ''}`;
  } finally {
    await client.end();
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
