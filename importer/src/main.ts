/**
 * pnpm run import [--data-dir D] [--report-file F] [--allow-removals] [--projector own|running [--wait-timeout SECONDS]]
 * (`pnpm import` is pnpm's own lockfile command, hence `run`.)
 *
 * The composition root of the migration: reads the importer's settings,
 * runs it (runImport.ts), prints the report and says where the JSON went.
 * Exit 1 when a source failed (the others are still imported), 2 on bad
 * arguments or configuration.
 */
import { parseArgs } from 'node:util';
import { createConfiguredCodec } from '@medly/shared/configuredCodec';
import { ConfigError, configOf, KAFKA_SETTINGS, loadConfig } from '@medly/shared/config';
import { createLogger } from '@medly/shared/logger';
import { formatMigrationReport } from './report.ts';
import { runImport } from './runImport.ts';

const USAGE = 'usage: pnpm run import [--data-dir D] [--report-file F] [--allow-removals] [--projector own|running [--wait-timeout SECONDS]]';

const importerConfig = configOf('DATABASE_URL', ...KAFKA_SETTINGS, 'MAX_RECORD_BYTES', 'DATA_DIR', 'LOG_LEVEL');

class UsageError extends Error {}

function parseArguments(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      'report-file': { type: 'string' },
      'allow-removals': { type: 'boolean', default: false },
      projector: { type: 'string', default: 'own' },
      'wait-timeout': { type: 'string', default: '600' },
    },
  });
  const projector = values.projector;
  if (projector !== 'own' && projector !== 'running') throw new UsageError(`--projector is "own" or "running", not "${projector}"`);
  const waitTimeoutSeconds = Number(values['wait-timeout']);
  if (!Number.isFinite(waitTimeoutSeconds) || waitTimeoutSeconds <= 0) throw new UsageError('--wait-timeout takes a number of seconds');
  return {
    dataDir: values['data-dir'],
    reportFile: values['report-file'],
    allowRemovals: values['allow-removals'],
    projector,
    waitTimeoutMs: waitTimeoutSeconds * 1000,
  } as const;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArguments>;
  let config: ReturnType<typeof loadConfig<typeof importerConfig>>;
  try {
    args = parseArguments(process.argv.slice(2));
    config = loadConfig(importerConfig);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'import' });
  const result = await runImport({
    dataDir: args.dataDir ?? config.DATA_DIR,
    reportFile: args.reportFile,
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    topicPrefix: config.TOPIC_PREFIX,
    topicPartitions: config.TOPIC_PARTITIONS,
    maxRecordBytes: config.MAX_RECORD_BYTES,
    logger,
    codec: await createConfiguredCodec(config),
    allowRemovals: args.allowRemovals,
    projector: args.projector,
    waitTimeoutMs: args.waitTimeoutMs,
  });
  console.log(`\n${formatMigrationReport(result.report)}\nreport written to ${result.reportFile}`);
  return result.failed ? 1 : 0;
}

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
