/**
 * pnpm produce [--data-dir D] [--source S …] [--report-file F] [--wait [--wait-timeout SECONDS]]
 *
 * Produces the exports of a data folder (default DATA_DIR) as events, prints
 * the report and writes it as JSON (default reports/produce-<time>.json).
 * With --wait it then waits until the projector has applied everything
 * produced and adds the per-table half of the report.
 * Exits 1 when a source file could not be read or parsed (the other sources
 * are still produced) or the projector did not catch up in time, 2 on bad
 * arguments or configuration.
 */
import { parseArgs } from 'node:util';
import type { EventCodec } from '@medly/shared/codec';
import { createConfiguredCodec } from '@medly/shared/configuredCodec';
import { ConfigError, loadConfig, type Config } from '@medly/shared/config';
import { createDatabasePool } from '@medly/shared/db';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { sourceName, type SourceName } from '@medly/shared/reasons';
import { produce } from './produce.ts';
import { createLogProgress, createTerminalProgress } from './progressDisplay.ts';
import { defaultReportFile, formatReport, withTables, writeReport } from './report.ts';
import { watchProjection, type ProjectionWatch } from './waitForProjection.ts';

const USAGE =
  'usage: pnpm produce [--data-dir D] [--source users|course|practices|exams …] [--report-file F] [--wait [--wait-timeout SECONDS]]';

interface Arguments {
  dataDir: string | undefined;
  sources: SourceName[] | undefined;
  reportFile: string | undefined;
  wait: boolean;
  waitTimeoutMs: number;
}

function parseArguments(argv: string[]): Arguments {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      source: { type: 'string', multiple: true },
      'report-file': { type: 'string' },
      wait: { type: 'boolean', default: false },
      'wait-timeout': { type: 'string', default: '600' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  // `--source users course` and `--source users,course` both work, as does a repeated `--source`.
  const requested = [...(values.source ?? []), ...(values.source ? positionals : [])].flatMap((value) => value.split(','));
  if (!values.source && positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals.join(' ')}`);
  const sources = requested.map((value) => {
    const parsed = sourceName.safeParse(value.trim());
    if (!parsed.success) throw new UsageError(`unknown source "${value}" (one of ${sourceName.options.join(', ')})`);
    return parsed.data;
  });
  const waitTimeoutSeconds = Number(values['wait-timeout']);
  if (!Number.isFinite(waitTimeoutSeconds) || waitTimeoutSeconds <= 0) throw new UsageError('--wait-timeout takes a number of seconds');
  return {
    dataDir: values['data-dir'],
    sources: sources.length > 0 ? sources : undefined,
    reportFile: values['report-file'],
    wait: values.wait,
    waitTimeoutMs: waitTimeoutSeconds * 1000,
  };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: Arguments;
  let config: Config;
  try {
    args = parseArguments(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }

  const onTerminal = process.stdout.isTTY;
  // On a terminal the bars show progress; only warnings and errors are logged beside them.
  const level = onTerminal && config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL;
  const logger = createLogger({ level, name: 'producers' });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'medly-producers', logger });
  const codec = await createConfiguredCodec(config);
  const startedAt = new Date();
  const pool = args.wait ? await createDatabasePool(config.DATABASE_URL) : undefined;
  try {
    // The "before" reading of the projection's counters comes first, so the tables half covers this run.
    const watch = pool ? await watchProjection(pool, { topicPrefix: config.TOPIC_PREFIX, logger, timeoutMs: args.waitTimeoutMs }) : undefined;
    return await produceAndReport(args, config, { kafka, codec, logger, onTerminal, startedAt, watch });
  } finally {
    await pool?.end();
  }
}

async function produceAndReport(
  args: Arguments,
  config: Config,
  deps: {
    kafka: ReturnType<typeof createKafka>;
    codec: EventCodec;
    logger: ReturnType<typeof createLogger>;
    onTerminal: boolean;
    startedAt: Date;
    watch: ProjectionWatch | undefined;
  },
): Promise<number> {
  const { kafka, codec, logger, onTerminal, startedAt, watch } = deps;
  const result = await produce(
    { kafka, codec, logger, progress: onTerminal ? createTerminalProgress(process.stdout) : createLogProgress(logger) },
    {
      dataDir: args.dataDir ?? config.DATA_DIR,
      sources: args.sources,
      topicPrefix: config.TOPIC_PREFIX,
      partitions: config.TOPIC_PARTITIONS,
      maxRecordBytes: config.MAX_RECORD_BYTES,
    },
  );
  let report = result.report;
  let caughtUp = true;
  if (watch) {
    const outcome = await watch.complete(result.endOffsets);
    caughtUp = outcome.caughtUp;
    report = { ...withTables(report, outcome.tables, Date.now() - startedAt.getTime()), projectionWarnings: { ...outcome.warnings } };
    if (!caughtUp) {
      const lag = outcome.lagging.map((partition) => `${partition.topic}[${partition.partition}] ${partition.lag}`).join(', ');
      console.error(`the projector did not apply everything within ${args.waitTimeoutMs / 1000} s; behind: ${lag}`);
    }
  }

  const reportFile = args.reportFile ?? defaultReportFile('produce', startedAt);
  await writeReport(report, reportFile);
  console.log(`\n${formatReport(report)}\nreport written to ${reportFile}`);
  return result.failed || !caughtUp ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`produce failed: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.cause !== undefined) console.error('cause:', error.cause);
    process.exitCode = 1;
  },
);
