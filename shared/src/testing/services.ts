/**
 * Where integration tests find their Kafka and Postgres: from KAFKA_BROKERS and
 * DATABASE_URL when both are set (CI and local runs start them with
 * `pnpm stack:up`), otherwise from testcontainers (Redpanda and Postgres).
 * A service that cannot be reached fails the test run; nothing skips.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

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
    const kafkaBrokers = brokers.split(',');
    const { hostname, port } = new URL(databaseUrl);
    await Promise.all([
      ...kafkaBrokers.map((broker) => assertReachable('Kafka (KAFKA_BROKERS)', broker)),
      assertReachable('Postgres (DATABASE_URL)', `${hostname}:${port || '5432'}`),
    ]);
    return { kafkaBrokers, adminDatabaseUrl: databaseUrl, stop: async () => {} };
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

/** Fails within seconds, naming the service, rather than letting a client retry for minutes. */
function assertReachable(service: string, hostPort: string): Promise<void> {
  const separator = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, separator);
  const port = Number(hostPort.slice(separator + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 3_000 });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`${service} is unreachable at ${hostPort} (${reason}); start it with \`pnpm stack:up\``));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => {
      fail('timed out');
    });
    socket.once('error', (error) => {
      fail(error.message);
    });
  });
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
