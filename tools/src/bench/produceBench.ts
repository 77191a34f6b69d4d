/**
 * Part 1: `pnpm produce` on the generated data of one scale, run as the real
 * CLI in a child process with its own TOPIC_PREFIX: wall time, events/s,
 * input MiB/s, peak RSS. Then the projector alone (`pnpm projector
 * --until-caught-up`, another child) folds those topics into a fresh
 * database: the two halves of an import as separate processes, each with its
 * own peak RSS, with a sampled profile of its database sessions
 * (activitySampler.ts).
 */
import { join } from 'node:path';
import { createTestDatabase } from '@medly/shared/testing/database';
import { startActivitySampler, type ActivityProfile } from './activitySampler.ts';
import { childEnv, type BenchContext } from './benchContext.ts';
import { readReportCounts } from './childReport.ts';
import { ensureGeneratedData, inputBytes } from './dataFiles.ts';
import { runScriptMeasured, type MeasuredRun } from './measuredProcess.ts';
import pg from 'pg';
import { benchTopicPrefix, deleteTopics } from './topics.ts';

export interface ProduceResult {
  scale: number;
  inputBytes: number;
  events: number;
  read: number;
  produce: MeasuredRun;
  /** produce()'s own elapsed time (without Node start-up), from its report. */
  produceReportMs: number;
  projector: MeasuredRun;
  /** Rows the projector inserted or updated, from projection_stats. */
  projectorRows: number;
  /** What the projector's database sessions were doing while it ran (sampled). */
  projectorActivity: ActivityProfile;
}

export async function runProduceBench(context: BenchContext, scale: number): Promise<ProduceResult> {
  const dataDir = await ensureGeneratedData(context, scale);
  const topicPrefix = benchTopicPrefix(`produce${String(scale)}`);
  const reportFile = join(context.runDir, `produce-${String(scale)}.json`);
  try {
    context.log(`produce ${String(scale)}×: pnpm produce --data-dir ${dataDir} (TOPIC_PREFIX=${topicPrefix})`);
    const produce = await runScriptMeasured('produce', ['--data-dir', dataDir, '--report-file', reportFile], {
      env: childEnv(context, { TOPIC_PREFIX: topicPrefix }),
      logFile: join(context.runDir, `produce-${String(scale)}.log`),
    });
    if (produce.exitCode !== 0) throw new Error(`pnpm produce exited with ${String(produce.exitCode)}; see ${produce.logFile}`);
    const counts = await readReportCounts(reportFile);

    const database = await createTestDatabase(context.adminUrl, `bench_projector${String(scale)}`);
    let projectorActivity: ActivityProfile;
    try {
      const env = childEnv(context, { TOPIC_PREFIX: topicPrefix, DATABASE_URL: database.url });
      const migrate = await runScriptMeasured('migrate', [], {
        env,
        logFile: join(context.runDir, `projector-${String(scale)}-migrate.log`),
      });
      if (migrate.exitCode !== 0) throw new Error(`pnpm migrate failed; see ${migrate.logFile}`);
      context.log(`projector ${String(scale)}×: pnpm projector --until-caught-up`);
      const sampler = await startActivitySampler(context.adminUrl, database.name);
      let projector: MeasuredRun;
      try {
        projector = await runScriptMeasured('projector', ['--until-caught-up'], {
          env,
          logFile: join(context.runDir, `projector-${String(scale)}.log`),
        });
      } finally {
        projectorActivity = await sampler.stop();
      }
      if (projector.exitCode !== 0) throw new Error(`pnpm projector exited with ${String(projector.exitCode)}; see ${projector.logFile}`);
      return {
        scale,
        inputBytes: await inputBytes(dataDir),
        events: counts.events,
        read: counts.read,
        produce,
        produceReportMs: counts.elapsedMs,
        projector,
        projectorRows: await rowsWritten(database.url),
        projectorActivity,
      };
    } finally {
      await database.drop();
    }
  } finally {
    await deleteTopics(context.kafkaBrokers, topicPrefix);
  }
}

/** Inserted + updated rows over every projection table (projection_stats). */
export async function rowsWritten(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ rows: string | null }>('SELECT sum(inserted + updated)::text AS rows FROM projection_stats');
    return Number(result.rows[0]?.rows ?? 0);
  } finally {
    await client.end();
  }
}
