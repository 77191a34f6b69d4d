/**
 * Runs the projector until it has applied everything on the topics at the
 * moment it started, then refreshes the planner's statistics and stops:
 * `pnpm projector --until-caught-up`, `pnpm run import`, `pnpm replay` and the
 * tests use it. Opens and closes its own pool and Kafka client.
 */
import { createJsonCodec, type EventCodec } from '@medly/shared/codec';
import { createDatabasePool } from '@medly/shared/db';
import { createKafka } from '@medly/shared/kafka';
import type { Logger } from '@medly/shared/logger';
import { projectorGroupId } from '@medly/shared/progress';
import { analyzeProjections } from './analyze.ts';
import { createProjector, type RunSummary } from './consumer.ts';

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

export async function catchUp(options: CatchUpOptions): Promise<RunSummary> {
  const pool = await createDatabasePool(options.databaseUrl);
  try {
    const projector = createProjector({
      kafka: createKafka({ brokers: options.kafkaBrokers, clientId: 'medly-projector', logger: options.logger }),
      pool,
      codec: options.codec ?? createJsonCodec(),
      logger: options.logger,
      topicPrefix: options.topicPrefix,
      group: options.group ?? projectorGroupId(options.topicPrefix),
      topicPartitions: options.topicPartitions,
      maxBatchMessages: options.maxBatchMessages,
    });
    const summary = await projector.run({ untilCaughtUp: true });
    await analyzeProjections(pool);
    return summary;
  } finally {
    await pool.end();
  }
}
