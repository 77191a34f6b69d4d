/**
 * Part 5 (issue 17): one projector against two on the same topics, in one
 * run. The scale's exports are produced once into a topic prefix with six
 * partitions; then one `pnpm projector` folds them into a fresh database, and
 * two into another, each timed from start until the checkpoints reach the end
 * offsets. While the two run, pg_stat_activity is sampled every 50 ms: the
 * share of samples in which both projectors' connections are inside a
 * transaction at once shows whether they apply side by side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'slonik';
import { z } from 'zod';
import { createJsonCodec } from '@medly/shared/codec';
import { createDatabasePool } from '@medly/shared/db';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { lagBehind, projectorGroupId, readCheckpoints } from '@medly/shared/progress';
import { createTestDatabase } from '@medly/shared/testing/database';
import { produce } from '@medly/producers/produce';
import { migrate } from '@medly/projector/migrate';
import { childEnv, type BenchContext } from './benchContext.ts';
import { ensureGeneratedData } from './dataFiles.ts';
import { nodeFlagsOf } from './scriptFlags.ts';
import { benchTopicPrefix, deleteTopics } from './topics.ts';

export const PROJECTOR_PARTITIONS = 6;

export interface ProjectorsRun {
  projectors: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Samples in which two projector transactions were open at once, of all samples with one or more open. */
  overlappingSamples: number;
  busySamples: number;
}

export interface ProjectorsResult {
  scale: number;
  events: number;
  partitions: number;
  runs: ProjectorsRun[];
}

const openTransactions = z.object({ open: z.number() });

export async function runProjectorsBench(context: BenchContext, scale: number): Promise<ProjectorsResult> {
  const dataDir = await ensureGeneratedData(context, scale);
  const topicPrefix = benchTopicPrefix(`projectors${String(scale)}`);
  const logger = createLogger({ level: 'warn', name: 'bench-projectors' });
  try {
    context.log(`projectors ${String(scale)}×: producing ${dataDir} into ${String(PROJECTOR_PARTITIONS)} partitions (TOPIC_PREFIX=${topicPrefix})`);
    const kafka = createKafka({ brokers: context.kafkaBrokers, clientId: 'bench-projectors', logger });
    const produced = await produce(
      { kafka, codec: createJsonCodec(), logger },
      { dataDir, topicPrefix, partitions: PROJECTOR_PARTITIONS, maxRecordBytes: 1024 * 1024 },
    );
    const events = produced.endOffsets.reduce((sum, partition) => sum + partition.offset, 0);
    const runs: ProjectorsRun[] = [];
    for (const projectors of [1, 2]) runs.push(await project(context, { topicPrefix, scale, projectors, ends: produced.endOffsets, events, logger }));
    return { scale, events, partitions: PROJECTOR_PARTITIONS, runs };
  } finally {
    await deleteTopics(context.kafkaBrokers, topicPrefix);
  }
}

async function project(
  context: BenchContext,
  run: { topicPrefix: string; scale: number; projectors: number; ends: readonly PartitionOffset[]; events: number; logger: ReturnType<typeof createLogger> },
): Promise<ProjectorsRun> {
  const database = await createTestDatabase(context.adminUrl, `bench_projectors${String(run.projectors)}`);
  const pool = await createDatabasePool(database.url);
  const children: ChildProcess[] = [];
  try {
    await migrate(database.url, run.logger);
    const group = projectorGroupId(run.topicPrefix);
    const started = performance.now();
    for (let index = 0; index < run.projectors; index += 1) {
      const logFile = join(context.runDir, `projectors-${String(run.scale)}-${String(run.projectors)}-${String(index)}.log`);
      context.log(`projectors ${String(run.scale)}×: pnpm projector #${String(index + 1)} of ${String(run.projectors)} (log ${logFile})`);
      children.push(
        spawn('bash', ['-c', `exec node ${nodeFlagsOf('projector').join(' ')} projector/src/main.ts > "${logFile}" 2>&1`], {
          env: childEnv(context, { TOPIC_PREFIX: run.topicPrefix, DATABASE_URL: database.url, TOPIC_PARTITIONS: String(PROJECTOR_PARTITIONS) }),
          stdio: 'ignore',
        }),
      );
    }
    let busySamples = 0;
    let overlappingSamples = 0;
    for (;;) {
      const { open } = await pool.one(sql.type(openTransactions)`
        SELECT count(*)::int AS open FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND state <> 'idle'`);
      if (open > 0) busySamples += 1;
      if (open > 1) overlappingSamples += 1;
      if (lagBehind(await readCheckpoints(pool, group), run.ends).every((partition) => partition.lag === 0)) break;
      await sleep(50);
    }
    const elapsedMs = performance.now() - started;
    return { projectors: run.projectors, elapsedMs, eventsPerSecond: (run.events * 1000) / elapsedMs, overlappingSamples, busySamples };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    await pool.end();
    await database.drop();
  }
}

/** The part's section of BENCHMARKS.md. */
export function renderProjectors(results: readonly ProjectorsResult[]): string {
  if (results.length === 0) return '';
  const rows = results.flatMap((result) =>
    result.runs.map((run) => {
      const one = result.runs.find((candidate) => candidate.projectors === 1);
      const speedup = one ? (one.elapsedMs / run.elapsedMs).toFixed(2) : '';
      const overlap = run.busySamples > 0 ? `${((100 * run.overlappingSamples) / run.busySamples).toFixed(0)} % of ${String(run.busySamples)}` : '';
      return `| ${String(result.scale)}× | ${result.events.toLocaleString('en-US')} | ${String(run.projectors)} | ${(run.elapsedMs / 1000).toFixed(1)} s | ${Math.round(run.eventsPerSecond).toLocaleString('en-US')} | ×${speedup} | ${overlap} |`;
    }),
  );
  return [
    `### Projectors side by side (${String(PROJECTOR_PARTITIONS)} partitions)`,
    '',
    'The same topics folded by one `pnpm projector` and by two in one group, each from start until every checkpoint reaches the end offsets. *Overlap*: samples (every 50 ms) with two projector transactions open at once, of the samples with any open.',
    '',
    '| scale | events | projectors | wall | events/s | vs one | overlap |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
