/**
 * Runs the projector until it has applied everything on the topics at the
 * moment it started, then refreshes the planner's statistics and stops:
 * `pnpm projector --until-caught-up`, `pnpm replay` and the tests use it.
 * `startCatchUp` is the same in a child process, started before the topics
 * are complete (`pnpm run import` projects while it produces): `finish()`
 * takes the end offsets at that moment and stops it once the checkpoints
 * reach them. Both open and close their own database connections and Kafka
 * client.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createJsonCodec, type EventCodec } from '@medly/shared/codec';
import { createDatabasePool } from '@medly/shared/db';
import { createKafka, fetchEndOffsets } from '@medly/shared/kafka';
import type { Logger } from '@medly/shared/logger';
import { projectorGroupId, waitForCheckpoints } from '@medly/shared/progress';
import { allTopicNames } from '@medly/shared/topics';
import { analyzeProjections } from './analyze.ts';
import { createProjector } from './consumer.ts';
import type { RunSummary } from './runTotals.ts';
import { openProjectorDatabase, type ProjectorDatabase } from './database.ts';

export interface CatchUpOptions {
  databaseUrl: string;
  kafkaBrokers: readonly string[];
  topicPrefix: string;
  topicPartitions: number;
  logger: Logger;
  codec?: EventCodec;
  maxBatchMessages?: number;
  /** Defaults to the prefix's projector group; another group builds a second database from the same topics. */
  group?: string;
}

function projectorFor(options: CatchUpOptions, database: ProjectorDatabase, kafka: ReturnType<typeof createKafka>, group: string) {
  return createProjector({
    kafka,
    pool: database.pool,
    writer: database.writer,
    codec: options.codec ?? createJsonCodec(),
    logger: options.logger,
    topicPrefix: options.topicPrefix,
    group,
    topicPartitions: options.topicPartitions,
    maxBatchMessages: options.maxBatchMessages,
  });
}

export async function catchUp(options: CatchUpOptions): Promise<RunSummary> {
  const database = await openProjectorDatabase(options.databaseUrl, options.logger);
  try {
    const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: 'medly-projector', logger: options.logger });
    const projector = projectorFor(options, database, kafka, options.group ?? projectorGroupId(options.topicPrefix));
    const summary = await projector.run({ untilCaughtUp: true });
    await analyzeProjections(database.pool);
    return summary;
  } finally {
    await database.end();
  }
}

export interface RunningCatchUp {
  /** Waits until everything on the topics now is applied, then stops the projector, analyzes and closes. */
  finish(): Promise<void>;
  /** Stops without waiting for the rest (the caller failed); never throws. */
  abort(): Promise<void>;
}

const PROJECTOR_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * Starts the projector now, while the topics are still being written (they
 * must exist), in a child process: `pnpm projector` with this process's node
 * options, on the prefix's group, with its JSON codec (which reads
 * registry-framed values too). The caller keeps producing on its own thread,
 * so producing and projecting use both cores (in one process they took turns
 * on one: the 100× import took 200 s, against 106 s). The child stops by
 * itself if this process goes away (its IPC channel closes).
 */
export async function startCatchUp(options: Omit<CatchUpOptions, 'group' | 'codec'>): Promise<RunningCatchUp> {
  const pool = await createDatabasePool(options.databaseUrl);
  const child = spawn(
    process.execPath,
    [...process.execArgv, PROJECTOR_MAIN, ...(options.maxBatchMessages ? ['--max-batch', String(options.maxBatchMessages)] : [])],
    {
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        KAFKA_BROKERS: options.kafkaBrokers.join(','),
        TOPIC_PREFIX: options.topicPrefix,
        TOPIC_PARTITIONS: String(options.topicPartitions),
        LOG_LEVEL: options.logger.level,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      resolve(`could not start: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      resolve(signal ? `killed by ${signal}` : `exit code ${String(code)}`);
    });
  });
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await pool.end();
    })();
    return closed;
  };
  return {
    async finish() {
      try {
        const targets = await endOffsets(options);
        const stoppedEarly = exited.then((how) => {
          throw new Error(`the projector stopped (${how}) before applying everything produced`);
        });
        // Only the race below reads it; it rejects after every exit, the SIGTERM's included.
        stoppedEarly.catch(() => undefined);
        const group = projectorGroupId(options.topicPrefix);
        await Promise.race([waitForCheckpoints(pool, group, targets, { timeoutMs: 7 * 24 * 3_600_000, pollMs: 200 }), stoppedEarly]);
        child.kill('SIGTERM');
        const how = await exited;
        if (how !== 'exit code 0') throw new Error(`the projector did not stop cleanly (${how})`);
        await analyzeProjections(pool);
      } finally {
        await close();
      }
    },
    abort: close,
  };
}

async function endOffsets(options: Pick<CatchUpOptions, 'kafkaBrokers' | 'topicPrefix' | 'logger'>) {
  const admin = createKafka({ brokers: options.kafkaBrokers, clientId: 'medly-import', logger: options.logger }).admin();
  try {
    await admin.connect();
    return await fetchEndOffsets(admin, allTopicNames(options.topicPrefix));
  } finally {
    await admin.disconnect();
  }
}
