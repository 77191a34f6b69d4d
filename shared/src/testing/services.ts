/**
 * Where integration tests find their Kafka, Postgres and Schema Registry: from
 * KAFKA_BROKERS and DATABASE_URL (and TEST_SCHEMA_REGISTRY_URL) when set (CI
 * and local runs start them with `pnpm stack:up`), otherwise from
 * testcontainers: Redpanda (with its registry) and Postgres, the official
 * images on a machine with Docker; with TEST_CONTAINER_IMAGES=local, the
 * stand-ins our machines build (scripts/containers/images.sh: Kafka with
 * Apicurio Registry, Debian's PostgreSQL), as `pnpm test:containers` runs them
 * under podman. A service that cannot be reached fails the test run; nothing skips.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export interface TestServices {
  kafkaBrokers: string[];
  /** A URL of a database the tests may create other databases from. */
  adminDatabaseUrl: string;
  /** A Confluent-compatible Schema Registry, when one runs (TEST_SCHEMA_REGISTRY_URL, or the containers'). */
  schemaRegistryUrl: string | undefined;
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
    return { kafkaBrokers, adminDatabaseUrl: databaseUrl, schemaRegistryUrl: process.env.TEST_SCHEMA_REGISTRY_URL || undefined, stop: async () => {} };
  }
  try {
    return await startContainers();
  } catch (error) {
    throw new Error(
      'Integration tests need Kafka and Postgres: set KAFKA_BROKERS and DATABASE_URL (run `pnpm stack:up`), ' +
        `or provide a Docker engine for testcontainers (it said: ${error instanceof Error ? error.message : String(error)}).`,
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
  const started = process.env.TEST_CONTAINER_IMAGES === 'local' ? await startLocalImages() : await startOfficialImages();
  // No Ryuk where it cannot be pulled (TESTCONTAINERS_RYUK_DISABLED): stop them ourselves.
  process.once('beforeExit', () => void started.stop());
  return started;
}

async function startOfficialImages(): Promise<TestServices> {
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
    schemaRegistryUrl: redpanda.getSchemaRegistryAddress(),
    async stop() {
      await Promise.all([redpanda.stop(), postgres.stop()]);
    },
  };
}

/**
 * The stand-ins of scripts/containers/standins. Podman runs no healthchecks
 * without systemd, so readiness is read from the logs. The broker advertises
 * the host port it is published on, so that port is chosen first.
 */
async function startLocalImages(): Promise<TestServices> {
  const [{ GenericContainer, Wait }, { PostgreSqlContainer }, { freePorts }] = await Promise.all([
    import('testcontainers'),
    import('@testcontainers/postgresql'),
    import('./freePort.ts'),
  ]);
  const [kafkaPort = 0] = await freePorts(1);
  const [kafkaStart, postgresStart] = await Promise.allSettled([
    new GenericContainer('localhost/medly-local/kafka-standin:4.1.1')
      .withCommand([
        'redpanda',
        'start',
        '--kafka-addr=internal://0.0.0.0:9092,external://0.0.0.0:19092',
        `--advertise-kafka-addr=internal://localhost:9092,external://127.0.0.1:${String(kafkaPort)}`,
        '--schema-registry-addr=0.0.0.0:8081',
        '--set',
        'redpanda.auto_create_topics_enabled=false',
      ])
      .withExposedPorts({ container: 19092, host: kafkaPort }, 8081)
      .withWaitStrategy(Wait.forAll([Wait.forLogMessage(/Kafka Server started/), Wait.forHttp('/apis/ccompat/v7/subjects', 8081)]))
      .withStartupTimeout(120_000)
      .start(),
    new PostgreSqlContainer('localhost/medly-local/postgres-standin:15')
      // Ready once the first-start setup's server has stopped and the real one accepts connections.
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
  ]);
  if (kafkaStart.status === 'rejected' || postgresStart.status === 'rejected') {
    // Stop the one that did start: nothing else would (no Ryuk).
    await Promise.all([kafkaStart, postgresStart].map(async (result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    throw kafkaStart.status === 'rejected' ? kafkaStart.reason : (postgresStart as PromiseRejectedResult).reason;
  }
  const [kafka, postgres] = [kafkaStart.value, postgresStart.value];
  return {
    kafkaBrokers: [`127.0.0.1:${String(kafkaPort)}`],
    adminDatabaseUrl: postgres.getConnectionUri(),
    schemaRegistryUrl: `http://${kafka.getHost()}:${String(kafka.getMappedPort(8081))}/apis/ccompat/v7`,
    async stop() {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}

/** A topic prefix no other test file shares, so runs never see each other's events. */
export function uniqueTopicPrefix(label: string): string {
  return `test.${label.replace(/[^a-zA-Z0-9_-]/g, '_')}.${randomBytes(4).toString('hex')}.`;
}
