/**
 * Runs the projector until it has applied everything on the topics at the
 * moment it started, then refreshes the planner's statistics and stops:
 * `pnpm projector --until-caught-up`, `pnpm replay` and the tests use it.
 * `startCatchUp` is the same, started before the topics are complete (`pnpm
 * run import` projects while it produces): `finish()` takes the end offsets
 * at that moment and stops once the checkpoints reach them. Both open and
 * close their own database connections and Kafka client.
 */
import { createJsonCodec, type EventCodec } from '@medly/shared/codec';
import { createKafka, fetchEndOffsets } from '@medly/shared/kafka';
import type { Logger } from '@medly/shared/logger';
import { projectorGroupId, waitForCheckpoints } from '@medly/shared/progress';
import { topicIds, topicName } from '@medly/shared/topics';
import { analyzeProjections } from './analyze.ts';
import { createProjector, type RunSummary } from './consumer.ts';
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
  /** Waits until everything on the topics now is applied, then stops, analyzes and closes. */
  finish(): Promise<RunSummary>;
  /** Stops without waiting for the rest (the caller failed); never throws. */
  abort(): Promise<void>;
}

/** Starts projecting now, while the topics are still being written (they must exist). */
export async function startCatchUp(options: CatchUpOptions): Promise<RunningCatchUp> {
  const database = await openProjectorDatabase(options.databaseUrl, options.logger);
  const { pool } = database;
  const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: 'medly-projector', logger: options.logger });
  const group = options.group ?? projectorGroupId(options.topicPrefix);
  const projector = projectorFor(options, database, kafka, group);
  const running = projector.run();
  // Observed by finish() or abort(); this only keeps a failure before then from being unhandled.
  running.catch(() => undefined);
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      await projector.stop().catch(() => undefined);
      await running.catch(() => undefined);
      await database.end();
    })();
    return closed;
  };
  return {
    async finish() {
      try {
        const admin = kafka.admin();
        let targets: Awaited<ReturnType<typeof fetchEndOffsets>>;
        try {
          await admin.connect();
          targets = await fetchEndOffsets(admin, topicIds.map((id) => topicName(options.topicPrefix, id)));
        } finally {
          await admin.disconnect();
        }
        const stoppedEarly = running.then(() => {
          throw new Error('the projector stopped before applying everything produced');
        });
        await Promise.race([waitForCheckpoints(pool, group, targets, { timeoutMs: 7 * 24 * 3_600_000, pollMs: 200 }), stoppedEarly]);
        await projector.stop();
        const summary = await running;
        await analyzeProjections(pool);
        return summary;
      } finally {
        await close();
      }
    },
    abort: close,
  };
}
