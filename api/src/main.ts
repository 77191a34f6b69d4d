/** The API's composition root: reads the environment, opens the pools and Kafka clients, listens on PORT (and METRICS_PORT). */
import { createServer } from 'node:http';
import { loadConfig } from '@medly/shared/config';
import { createDatabasePool } from '@medly/shared/db';
import { createConfiguredCodec } from '@medly/shared/configuredCodec';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { startMetricsServer } from '@medly/shared/metricsServer';
import { createShutdown } from '@medly/shared/shutdown';
import { createAnswerCaches } from './answerCaches.ts';
import { createApiMetrics } from './apiMetrics.ts';
import { createApp } from './app.ts';
import { apiConfig } from './config.ts';
import { createKafkaProbe } from './kafkaProbe.ts';
import { createProfilePublisher } from './profilePublisher.ts';

const config = loadConfig(apiConfig);
const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
const shutdown = createShutdown(logger);

const pool = await createDatabasePool(config.DATABASE_URL, { statementTimeoutMs: 10_000, prepareStatements: true });
shutdown.register('database pool', () => pool.end());
// PATCH holds a connection of this pool for its whole change (a per-uid lock, DECISIONS.md record 21): a burst of
// changes waits here, never for the connections reads use. Waiting for a lock gives up after 10 s (a 503).
const profileLocks = await createDatabasePool(config.DATABASE_URL, { maximumPoolSize: 4, statementTimeoutMs: 10_000 });
shutdown.register('profile lock pool', () => profileLocks.end());

const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'medly-api', logger });
const admin = kafka.admin();
shutdown.register('kafka admin', () => admin.disconnect());

// The same encoding as the producers: registry-framed when a Schema Registry is configured, plain JSON otherwise.
const codec = await createConfiguredCodec(config);
// Kafka is joined lazily (first PATCH, first /health): reads are served while the broker is away.
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
shutdown.register('kafka producer', () => producer.disconnect());

const metrics = createApiMetrics();
// Answers kept until the database announces a change (DECISIONS.md records 23 and 24).
const { curriculumCache, userCache, listener } = createAnswerCaches({
  databaseUrl: config.DATABASE_URL,
  logger,
  metrics,
  curriculum: { maxEntries: config.CURRICULUM_CACHE_ENTRIES, maxBytes: config.CURRICULUM_CACHE_MB * 1024 * 1024 },
  user: { maxEntries: config.USER_CACHE_ENTRIES, maxBytes: config.USER_CACHE_MB * 1024 * 1024 },
});
if (listener) shutdown.register('projection listener', () => listener.stop());
const { app } = createApp({
  pool,
  profileLocks,
  config,
  logger,
  metrics,
  curriculumCache,
  userCache,
  kafka: createKafkaProbe(admin),
  profileEvents: createProfilePublisher({ producer, admin, codec, topicPrefix: config.TOPIC_PREFIX, partitions: config.TOPIC_PARTITIONS }),
});
const handleRequest = app.callback();
const server = createServer((req, res) => {
  void handleRequest(req, res);
});
server.requestTimeout = 30_000;
server.headersTimeout = 10_000;
server.keepAliveTimeout = 5_000;
shutdown.register(
  'http server',
  () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    }),
);

server.listen(config.PORT, () => {
  logger.info({ port: config.PORT, docs: `http://localhost:${config.PORT}/docs` }, 'api listening');
});

if (config.METRICS_PORT !== undefined) {
  const metricsServer = await startMetricsServer({ port: config.METRICS_PORT, source: metrics.registry, logger });
  shutdown.register('metrics server', () => metricsServer.close());
}
