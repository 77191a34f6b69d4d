/**
 * Where integration tests find their Kafka and Postgres: from KAFKA_BROKERS and
 * DATABASE_URL when both are set (CI and local runs start them with
 * `pnpm stack:up`), otherwise from testcontainers (Redpanda and Postgres).
 * A service that cannot be reached fails the test run; nothing skips.
 */
import { randomBytes } from 'node:crypto';

export interface TestServices {
  kafkaBrokers: string[];
  /** A URL of a database the tests may create other databases from. */
  adminDatabaseUrl: string;
  stop(): Promise<void>;
}

let started: Promise<TestServices> | undefined;

export function testServices(): Promise<TestServices> {
  started ??= resolveServices();
  return started;
}

async function resolveServices(): Promise<TestServices> {
  const { KAFKA_BROKERS: brokers, DATABASE_URL: databaseUrl } = process.env;
  if (brokers && databaseUrl) {
    return { kafkaBrokers: brokers.split(','), adminDatabaseUrl: databaseUrl, stop: async () => {} };
  }
  try {
    return await startContainers();
  } catch (error) {
    throw new Error(
      'Integration tests need Kafka and Postgres: set KAFKA_BROKERS and DATABASE_URL (run `pnpm stack:up`), ' +
        'or provide a Docker engine for testcontainers.',
      { cause: error },
    );
  }
}

async function startContainers(): Promise<TestServices> {
  const [{ RedpandaContainer }, { PostgreSqlContainer }] = await Promise.all([
    import('@testcontainers/redpanda'),
    import('@testcontainers/postgresql'),
  ]);
  const [redpanda, postgres] = await Promise.all([
    new RedpandaContainer('docker.redpanda.com/redpandadata/redpanda:v24.3.6').start(),
    new PostgreSqlContainer('postgres:17-alpine').start(),
  ]);
  return {
    kafkaBrokers: [redpanda.getBootstrapServers()],
    adminDatabaseUrl: postgres.getConnectionUri(),
    async stop() {
      await Promise.all([redpanda.stop(), postgres.stop()]);
    },
  };
}

/** A topic prefix no other test file shares, so runs never see each other's events. */
export function uniqueTopicPrefix(label: string): string {
  return `test.${label.replace(/[^a-zA-Z0-9_-]/g, '_')}.${randomBytes(4).toString('hex')}.`;
}
