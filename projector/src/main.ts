/**
 * `pnpm projector [--until-caught-up]`: the composition root. Reads the
 * configuration, opens the database connections and the Kafka client, and
 * folds the topics into Postgres until stopped (SIGINT/SIGTERM finish the
 * batch in flight, then close; so does the end of the IPC channel when `pnpm
 * run import` started it), or with --until-caught-up until it has applied
 * everything that was on the topics when it started. With METRICS_PORT it
 * serves its metrics there (metrics.ts).
 */
import { parseArgs } from 'node:util';
import { createJsonCodec } from '@medly/shared/codec';
import { configOf, loadConfig } from '@medly/shared/config';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { startMetricsServer } from '@medly/shared/metricsServer';
import { projectorGroupId } from '@medly/shared/progress';
import { createShutdown } from '@medly/shared/shutdown';
import { createProjector } from './consumer.ts';
import { openProjectorDatabase } from './database.ts';
import { createLagSampler } from './lagSampler.ts';
import { createProjectorMetrics } from './metrics.ts';

const { values } = parseArgs({
  options: {
    'until-caught-up': { type: 'boolean', default: false },
    'max-batch': { type: 'string', default: '5000' },
  },
});

const config = loadConfig(configOf('DATABASE_URL', 'KAFKA_BROKERS', 'TOPIC_PREFIX', 'TOPIC_PARTITIONS', 'METRICS_PORT', 'LOG_LEVEL'));
const logger = createLogger({ level: config.LOG_LEVEL, name: 'projector' });
const shutdown = createShutdown(logger);
const group = projectorGroupId(config.TOPIC_PREFIX);

const database = await openProjectorDatabase(config.DATABASE_URL, logger);
shutdown.register('database', () => database.end());
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'medly-projector', logger });
const lag = createLagSampler({ admin: kafka.admin(), pool: database.pool, topicPrefix: config.TOPIC_PREFIX, group });
const metrics = createProjectorMetrics({
  sampleLag: () => lag.sample(),
  onSampleError: (error) => {
    logger.warn({ err: error }, 'projector lag could not be sampled for /metrics');
  },
});
if (config.METRICS_PORT !== undefined) {
  const metricsServer = await startMetricsServer({ port: config.METRICS_PORT, source: metrics.registry, logger });
  shutdown.register('metrics server', async () => {
    await metricsServer.close();
    await lag.close();
  });
}
const projector = createProjector({
  kafka,
  pool: database.pool,
  writer: metrics.timed(database.writer),
  codec: createJsonCodec(),
  logger,
  topicPrefix: config.TOPIC_PREFIX,
  group,
  topicPartitions: config.TOPIC_PARTITIONS,
  maxBatchMessages: Number(values['max-batch']),
  onCommitted: (result) => {
    metrics.committed(result);
  },
});
shutdown.register('projector', () => projector.stop());
// Started by `pnpm run import` (which holds an IPC channel to it): stop when that process is gone.
process.once('disconnect', () => void shutdown.shutdown('the import that started it has exited'));

try {
  logger.info({ group, untilCaughtUp: values['until-caught-up'] }, 'projector starting');
  const summary = await projector.run({ untilCaughtUp: values['until-caught-up'] });
  logger.info(summary, 'projector stopped');
  await shutdown.shutdown('done');
} catch (error) {
  logger.fatal({ err: error }, 'projector failed');
  await shutdown.shutdown('failure');
  process.exitCode = 1;
}
