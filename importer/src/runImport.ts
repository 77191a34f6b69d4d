/**
 * The whole migration, as `pnpm run import` (and compose's `import` service)
 * runs it: apply the migrations, create the topics, produce the data folder's
 * sources as events, project until everything produced is applied, and make
 * the one report (the sources half from the producers, the tables half from
 * what the projector applied during the run), kept in `import_runs` and
 * written as JSON.
 *
 * The projection is either the import's own (a projector process it starts
 * and stops) or, with `projector: 'running'`, a projector that already runs
 * on the prefix's group (compose's long-running service), which it waits for.
 */
import { createJsonCodec, type EventCodec } from '@medly/shared/codec';
import { createDatabasePool, type DatabasePool } from '@medly/shared/db';
import { ensureTopics } from '@medly/shared/ensureTopics';
import { createKafka } from '@medly/shared/kafka';
import type { Logger } from '@medly/shared/logger';
import { diffTableStats, projectorGroupId, readCheckpoints, readProjectionWarnings, readTableStats, waitForCheckpoints } from '@medly/shared/progress';
import type { SourceName } from '@medly/shared/reasons';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { produce } from '@medly/producers/produce';
import { createLogProgress } from '@medly/producers/progressDisplay';
import { defaultReportFile, writeReport } from '@medly/producers/report';
import { catchUp, startCatchUp, type CatchUpOptions, type RunningCatchUp } from '@medly/projector/catchUp';
import { PROJECTION_TABLES } from '@medly/projector/checksums';
import { migrate } from '@medly/projector/migrate';
import { finishImportRun, startImportRun } from './importRuns.ts';
import { migrationReport, type MigrationReport } from './report.ts';

export interface ImportOptions {
  dataDir: string;
  reportFile?: string;
  /** Defaults to all four. */
  sources?: readonly SourceName[];
  databaseUrl: string;
  kafkaBrokers: readonly string[];
  topicPrefix: string;
  topicPartitions: number;
  maxRecordBytes: number;
  logger: Logger;
  codec?: EventCodec;
  /** 'own' (default): the import projects; 'running': a projector on the prefix's group already does. */
  projector?: 'own' | 'running';
  /** How long to wait for a running projector to apply the run (default 10 minutes). */
  waitTimeoutMs?: number;
  /** Apply snapshots that remove more than half of a source's keys, or hold an empty file. */
  allowRemovals?: boolean;
}

export interface ImportResult {
  report: MigrationReport;
  reportFile: string;
  /** A source file could not be read or parsed (the other sources were imported). */
  failed: boolean;
  importRunId: number;
}

export async function runImport(options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const { logger } = options;
  await migrate(options.databaseUrl, logger);
  const pool = await createDatabasePool(options.databaseUrl);
  try {
    const id = await startImportRun(pool, options.dataDir, options.topicPrefix);
    try {
      const before = await readTableStats(pool);
      const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: 'medly-import', logger });
      await createTopics(kafka.admin(), options);
      const projection = await startProjection(pool, options);
      let produced: Awaited<ReturnType<typeof produce>>;
      try {
        produced = await produce(
          { kafka, codec: options.codec ?? createJsonCodec(), logger, progress: createLogProgress(logger) },
          {
            dataDir: options.dataDir,
            sources: options.sources,
            topicPrefix: options.topicPrefix,
            partitions: options.topicPartitions,
            maxRecordBytes: options.maxRecordBytes,
            importedAt: new Date(started),
            allowRemovals: options.allowRemovals,
          },
        );
      } catch (error) {
        await projection.abort();
        throw error;
      }
      await projection.finish(produced.endOffsets);
      // Every projection table appears, a table this run did not touch with zeros.
      const tables = {
        ...Object.fromEntries(PROJECTION_TABLES.map((table) => [table, { inserted: 0, updated: 0, unchanged: 0, deleted: 0 }])),
        ...diffTableStats(before, await readTableStats(pool)),
      };
      const report = migrationReport({
        produced: produced.report,
        tables,
        projectionWarnings: await readProjectionWarnings(pool),
        elapsedMs: Date.now() - started,
      });
      const reportFile = options.reportFile ?? defaultReportFile('import', new Date(started));
      await writeReport(report, reportFile);
      await finishImportRun(pool, id, { status: produced.failed ? 'failed' : 'succeeded', report });
      return { report, reportFile, failed: produced.failed, importRunId: id };
    } catch (error) {
      await finishImportRun(pool, id, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  } finally {
    await pool.end();
  }
}

async function createTopics(admin: ReturnType<ReturnType<typeof createKafka>['admin']>, options: ImportOptions): Promise<void> {
  await admin.connect();
  try {
    await ensureTopics(admin, { topicPrefix: options.topicPrefix, partitions: options.topicPartitions });
  } finally {
    await admin.disconnect();
  }
}

interface Projection {
  /** Resolves once everything up to the end offsets the run produced is applied. */
  finish(endOffsets: readonly PartitionOffset[]): Promise<void>;
  /** Stops without waiting (the produce failed); never throws. */
  abort(): Promise<void>;
}

/**
 * A first import (the group has no checkpoints) projects while it produces,
 * in a child process, so producing and projecting use both cores. A re-import
 * produces first, then projects: applied as it arrives, a key a source holds
 * twice with different content (a bank listed twice, last wins) would be
 * updated to the first version and back, where whole batches fold it away.
 */
async function startProjection(pool: DatabasePool, options: ImportOptions): Promise<Projection> {
  const group = projectorGroupId(options.topicPrefix);
  if (options.projector === 'running') return awaitRunningProjector(pool, group, options);
  const catchUpOptions: CatchUpOptions = {
    databaseUrl: options.databaseUrl,
    kafkaBrokers: options.kafkaBrokers,
    topicPrefix: options.topicPrefix,
    topicPartitions: options.topicPartitions,
    logger: options.logger,
    codec: options.codec,
  };
  const firstImport = (await readCheckpoints(pool, group)).length === 0;
  const child: RunningCatchUp | undefined = firstImport ? await startCatchUp(catchUpOptions) : undefined;
  return {
    finish: async () => {
      await (child ? child.finish() : catchUp(catchUpOptions));
    },
    abort: async () => {
      await child?.abort();
    },
  };
}

function awaitRunningProjector(pool: DatabasePool, group: string, options: ImportOptions): Projection {
  const timeoutMs = options.waitTimeoutMs ?? 10 * 60_000;
  return {
    finish: async (endOffsets) => {
      options.logger.info({ group }, 'waiting for the running projector to apply the import');
      const outcome = await waitForCheckpoints(pool, group, endOffsets, { timeoutMs, pollMs: 250 });
      if (!outcome.caughtUp) {
        const behind = outcome.lagging.map((partition) => `${partition.topic}[${String(partition.partition)}] ${String(partition.lag)}`);
        throw new Error(`the projector (group ${group}) did not apply the import within ${String(timeoutMs / 1000)} s; behind: ${behind.join(', ')}`);
      }
    },
    abort: () => Promise.resolve(),
  };
}
