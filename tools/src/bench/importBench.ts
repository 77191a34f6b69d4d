/**
 * Part 3: `pnpm import` (migrate + produce + project until caught up +
 * report) at one scale, as the real CLI in a child process, into its own
 * throwaway database and TOPIC_PREFIX: wall time and peak RSS (the larger
 * of the import's and its projector child's, and each one's on its own from
 * processPeaks.ts), the CPU seconds of every party (cpuSampler.ts), and the
 * rows in the final tables. `keep` leaves the
 * database and topics for the floor, replay and API parts; the caller then
 * calls `release()`.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase } from '@medly/shared/testing/database';
import { childEnv, type BenchContext } from './benchContext.ts';
import { readReportCounts, type ReportCounts } from './childReport.ts';
import { ensureGeneratedData, inputBytes } from './dataFiles.ts';
import { finalRows } from './finalRows.ts';
import type { WriteFloor } from './floorBench.ts';
import type { CpuBreakdown } from './cpuFigures.ts';
import { describeCpu, startCpuSampler } from './cpuSampler.ts';
import { runScriptMeasured, type MeasuredRun } from './measuredProcess.ts';
import type { ProcessPeak } from './processTree.ts';
import type { ReplayFigures } from './replayBench.ts';
import { benchTopicPrefix, deleteTopics } from './topics.ts';

export interface ImportResult {
  scale: number;
  inputBytes: number;
  run: MeasuredRun;
  report: ReportCounts;
  /** Rows in the final tables (every projection and source_snapshots); absent from runs before issue 16. */
  rows: number;
  /** Each process's own peak RSS (the importer, its projector child, pnpm), largest first. */
  processes?: ProcessPeak[];
  /** CPU seconds of the importer, its projector, pnpm, the broker and Postgres over the import (cpuSampler.ts; absent before issue 16's CPU table). */
  cpu?: CpuBreakdown;
  /** COPY of the same final rows into a freshly migrated database (floorBench.ts). */
  floor?: WriteFloor;
  /** `pnpm replay` on the same topics and database, after the floor (replayBench.ts). */
  replay?: ReplayFigures;
}

export interface ImportedDatabase {
  databaseUrl: string;
  topicPrefix: string;
  release(): Promise<void>;
}

export const IMPORT_SCRIPT = 'importer/src/main.ts';

/** Whether `pnpm import` exists yet in this checkout (another engineer writes it). */
export async function importAvailable(): Promise<boolean> {
  return access(IMPORT_SCRIPT).then(
    () => true,
    () => false,
  );
}

export async function runImportBench(
  context: BenchContext,
  scale: number,
  keep: boolean,
): Promise<{ result: ImportResult; imported: ImportedDatabase | undefined }> {
  const dataDir = await ensureGeneratedData(context, scale);
  const topicPrefix = benchTopicPrefix(`import${String(scale)}`);
  const database = await createTestDatabase(context.adminUrl, `bench_import${String(scale)}`);
  const release = async () => {
    await deleteTopics(context.kafkaBrokers, topicPrefix);
    await database.drop();
  };
  let kept = false;
  try {
    const reportFile = join(context.runDir, `import-${String(scale)}.json`);
    context.log(`import ${String(scale)}×: pnpm import --data-dir ${dataDir} (TOPIC_PREFIX=${topicPrefix})`);
    const sampler = await startCpuSampler(context, { database: database.url });
    let run: MeasuredRun;
    let sampled: Awaited<ReturnType<typeof sampler.stop>>;
    try {
      run = await runScriptMeasured('import', ['--data-dir', dataDir, '--report-file', reportFile], {
        env: childEnv(context, { TOPIC_PREFIX: topicPrefix, DATABASE_URL: database.url }),
        logFile: join(context.runDir, `import-${String(scale)}.log`),
      });
    } finally {
      sampled = await sampler.stop();
    }
    context.log(`import ${String(scale)}×: ${describeCpu(sampled.cpu)}; /usr/bin/time: ${(run.userSeconds + run.systemSeconds).toFixed(1)} s for pnpm's tree`);
    if (run.exitCode !== 0) throw new Error(`pnpm import exited with ${String(run.exitCode)}; see ${run.logFile}`);
    const report = await readReportCounts(reportFile);
    const result = { scale, inputBytes: await inputBytes(dataDir), run, report, rows: await finalRows(database.url), processes: sampled.peaks, cpu: sampled.cpu };
    kept = keep;
    return { result, imported: keep ? { databaseUrl: database.url, topicPrefix, release } : undefined };
  } finally {
    if (!kept) await release();
  }
}
