/**
 * `pnpm projector [--until-caught-up]`: the composition root. Reads the
 * configuration, opens the database connections and the Kafka client, and
 * folds the topics into Postgres until stopped (SIGINT/SIGTERM finish the
 * batch in flight, then close; so does the end of the IPC channel when `pnpm
 * run import` started it), or with --until-caught-up until it has applied
 * everything that was on the topics when it started.
 */
import { parseArgs } from 'node:util';
import { createJsonCodec } from '@medly/shared/codec';
import { configOf, loadConfig } from '@medly/shared/config';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { projectorGroupId } from '@medly/shared/progress';
import { createShutdown } from '@medly/shared/shutdown';
import { createProjector } from './consumer.ts';
import { openProjectorDatabase } from './database.ts';

const { values } = parseArgs({
  options: {
    'until-caught-up': { type: 'boolean', default: false },
    'max-batch': { type: 'string', default: '5000' },
  },
});

const config = loadConfig(configOf('DATABASE_URL', 'KAFKA_BROKERS', 'TOPIC_PREFIX', 'TOPIC_PARTITIONS', 'LOG_LEVEL'));
const logger = createLogger({ level: config.LOG_LEVEL, name: 'projector' });
const shutdown = createShutdown(logger);

const database = await openProjectorDatabase(config.DATABASE_URL, logger);
shutdown.register('database', () => database.end());
const projector = createProjector({
  kafka: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'medly-projector', logger }),
  pool: database.pool,
  writer: database.writer,
  codec: createJsonCodec(),
  logger,
  topicPrefix: config.TOPIC_PREFIX,
  group: projectorGroupId(config.TOPIC_PREFIX),
  topicPartitions: config.TOPIC_PARTITIONS,
  maxBatchMessages: Number(values['max-batch']),
});
shutdown.register('projector', () => projector.stop());
// Started by `pnpm run import` (which holds an IPC channel to it): stop when that process is gone.
process.once('disconnect', () => void shutdown.shutdown('the import that started it has exited'));

try {
  logger.info({ group: projectorGroupId(config.TOPIC_PREFIX), untilCaughtUp: values['until-caught-up'] }, 'projector starting');
  const summary = await projector.run({ untilCaughtUp: values['until-caught-up'] });
  logger.info(summary, 'projector stopped');
  await shutdown.shutdown('done');
} catch (error) {
  logger.fatal({ err: error }, 'projector failed');
  await shutdown.shutdown('failure');
  process.exitCode = 1;
}
