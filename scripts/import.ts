/**
 * pnpm run import [--data-dir D] [--report-file F]   (`pnpm import` is pnpm's own lockfile command)
 *
 * The whole migration in one command: apply the migrations, produce the data
 * folder's sources as events, project until everything produced is applied,
 * and write the report (DESIGN §5): the sources half from the producers, the
 * tables half from projection_stats (the difference across this run, so it
 * shows what was applied, not what was sent), the projection's own warnings,
 * and the elapsed time. Printed as a table, written as JSON under reports/
 * (or F), and kept in import_runs.
 *
 * The producers and the projector never import each other; this script is
 * where they meet. Exit 1 when a source failed (the others are still
 * imported), 2 on bad arguments or configuration.
 */
import { parseArgs } from 'node:util';
import { createJsonCodec, type EventCodec } from '../shared/src/codec.ts';
import { createConfiguredCodec } from '../shared/src/configuredCodec.ts';
import { ConfigError, loadConfig, type Config } from '../shared/src/config.ts';
import { createDatabasePool } from '../shared/src/db.ts';
import { createKafka, ensureCompactedTopics, type Admin } from '../shared/src/kafka.ts';
import { createLogger, type Logger } from '../shared/src/logger.ts';
import { diffTableStats, projectorGroupId, readCheckpoints, readProjectionWarnings, readTableStats } from '../shared/src/progress.ts';
import type { SourceName } from '../shared/src/reasons.ts';
import { topicIds, topicName } from '../shared/src/topics.ts';
import { catchUp, startCatchUp } from '../projector/src/catchUp.ts';
import { PROJECTION_TABLES } from '../projector/src/checksums.ts';
import { finishImportRun, startImportRun } from '../projector/src/importRuns.ts';
import { migrate } from '../projector/src/migrate.ts';
import { produce } from '../producers/src/produce.ts';
import { createLogProgress } from '../producers/src/progressDisplay.ts';
import { defaultReportFile, formatReport, withTables, writeReport, type MigrationReport } from '../producers/src/report.ts';

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
      const catchUpOptions = {
        databaseUrl: options.databaseUrl,
        kafkaBrokers: options.kafkaBrokers,
        topicPrefix: options.topicPrefix,
        topicPartitions: options.topicPartitions,
        logger,
        codec: options.codec,
      };
      // A first import projects while it produces, in a child process (the topics exist first: the projector
      // subscribes to them, and the producer would race it creating them); finish() waits until
      // the checkpoints reach the end offsets. A re-import produces first, then projects: applied
      // as it arrives, a key a source holds twice with different content (a bank listed twice,
      // last wins) would be updated to the first version and back, where whole batches fold it away.
      const overlap = (await readCheckpoints(pool, projectorGroupId(options.topicPrefix))).length === 0;
      if (overlap) await ensureTopics(kafka.admin(), options.topicPrefix, options.topicPartitions);
      const projection = overlap ? await startCatchUp(catchUpOptions) : undefined;
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
          },
        );
      } catch (error) {
        await projection?.abort();
        throw error;
      }
      await (projection ? projection.finish() : catchUp(catchUpOptions));
      // Every projection table appears, a table this run did not touch with zeros.
      const tables = {
        ...Object.fromEntries(PROJECTION_TABLES.map((table) => [table, { inserted: 0, updated: 0, unchanged: 0 }])),
        ...diffTableStats(before, await readTableStats(pool)),
      };
      const report: MigrationReport = {
        ...withTables(produced.report, tables, Date.now() - started),
        projectionWarnings: { ...(await readProjectionWarnings(pool)) },
      };
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

async function ensureTopics(admin: Admin, topicPrefix: string, partitions: number): Promise<void> {
  await admin.connect();
  try {
    await ensureCompactedTopics(admin, topicIds.map((id) => topicName(topicPrefix, id)), partitions);
  } finally {
    await admin.disconnect();
  }
}

function parseArguments(argv: string[]): { dataDir: string | undefined; reportFile: string | undefined } {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, 'report-file': { type: 'string' } },
  });
  return { dataDir: values['data-dir'], reportFile: values['report-file'] };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArguments>;
  let config: Config;
  try {
    args = parseArguments(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\nusage: pnpm run import [--data-dir D] [--report-file F]`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'import' });
  const codec = await createConfiguredCodec(config);
  const result = await runImport({
    dataDir: args.dataDir ?? config.DATA_DIR,
    reportFile: args.reportFile,
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    topicPrefix: config.TOPIC_PREFIX,
    topicPartitions: config.TOPIC_PARTITIONS,
    maxRecordBytes: config.MAX_RECORD_BYTES,
    logger,
    codec,
  });
  console.log(`\n${formatReport(result.report)}\nreport written to ${result.reportFile}`);
  return result.failed ? 1 : 0;
}

if (import.meta.main) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`import failed: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof Error && error.cause !== undefined) console.error('cause:', error.cause);
      process.exitCode = 1;
    },
  );
}
