/**
 * pnpm produce [--data-dir D] [--source S …] [--report-file F] [--allow-removals]
 *
 * Produces the exports of a data folder (default DATA_DIR) as events, prints
 * the sources half of the report and writes it as JSON (default
 * reports/produce-<time>.json). The producers talk to Kafka only: waiting for
 * the projection and the tables half are the importer's (`pnpm run import`).
 * Exits 1 when a source file could not be read or parsed (the other sources
 * are still produced), 2 on bad arguments or configuration.
 */
import { parseArgs } from 'node:util';
import { createConfiguredCodec } from '@medly/shared/configuredCodec';
import { ConfigError, configOf, KAFKA_SETTINGS, loadConfig } from '@medly/shared/config';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { sourceName, type SourceName } from '@medly/shared/reasons';
import { produce } from './produce.ts';
import { createLogProgress, createTerminalProgress } from './progressDisplay.ts';
import { defaultReportFile, formatReport, writeReport } from './report.ts';

const USAGE = 'usage: pnpm produce [--data-dir D] [--source users|course|practices|exams …] [--report-file F] [--allow-removals]';

const producersConfig = configOf(...KAFKA_SETTINGS, 'MAX_RECORD_BYTES', 'DATA_DIR', 'LOG_LEVEL');
type ProducersConfig = ReturnType<typeof loadConfig<typeof producersConfig>>;

interface Arguments {
  dataDir: string | undefined;
  sources: SourceName[] | undefined;
  reportFile: string | undefined;
  allowRemovals: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      source: { type: 'string', multiple: true },
      'report-file': { type: 'string' },
      'allow-removals': { type: 'boolean', default: false },
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
  return {
    dataDir: values['data-dir'],
    sources: sources.length > 0 ? sources : undefined,
    reportFile: values['report-file'],
    allowRemovals: values['allow-removals'],
  };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: Arguments;
  let config: ProducersConfig;
  try {
    args = parseArguments(process.argv.slice(2));
    config = loadConfig(producersConfig);
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
  const result = await produce(
    { kafka, codec, logger, progress: onTerminal ? createTerminalProgress(process.stdout) : createLogProgress(logger) },
    {
      dataDir: args.dataDir ?? config.DATA_DIR,
      sources: args.sources,
      topicPrefix: config.TOPIC_PREFIX,
      partitions: config.TOPIC_PARTITIONS,
      maxRecordBytes: config.MAX_RECORD_BYTES,
      importedAt: startedAt,
      allowRemovals: args.allowRemovals,
    },
  );
  const reportFile = args.reportFile ?? defaultReportFile('produce', startedAt);
  await writeReport(result.report, reportFile);
  console.log(`\n${formatReport(result.report)}\nreport written to ${reportFile}`);
  return result.failed ? 1 : 0;
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
