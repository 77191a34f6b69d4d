/**
 * The real projector (`pnpm projector`: projector/src/main.ts, its own
 * connections, consumer group and, given a port, its /metrics) as a child
 * process on a test prefix, for tests that need events applied as in
 * production: PATCH answered 200 by API processes, metrics to scrape. It is
 * ready once it has joined its group and sought its partitions.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnService, type ServiceChild } from '../serviceChild.ts';

const READY = 'assigned partitions sought to their checkpoints';

export type ProjectorProcess = ServiceChild;

export interface ProjectorProcessOptions {
  databaseUrl: string;
  kafkaBrokers: readonly string[];
  topicPrefix: string;
  /** METRICS_PORT: serve /metrics there. */
  metricsPort?: number;
  /** Any other settings, as environment variables. */
  settings?: Record<string, string>;
}

export async function startProjectorProcess(options: ProjectorProcessOptions): Promise<ProjectorProcess> {
  const projector: ProjectorProcess = spawnService(
    'projector/src/main.ts',
    {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.kafkaBrokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
      METRICS_PORT: options.metricsPort === undefined ? '' : String(options.metricsPort),
      // info: the line that says it is ready
      LOG_LEVEL: 'info',
      ...options.settings,
    },
    15_000,
  );
  const deadline = Date.now() + 90_000;
  while (!projector.output().includes(READY)) {
    if (!projector.alive()) throw new Error(`the projector exited during start:\n${projector.output().slice(-3000)}`);
    if (Date.now() > deadline) {
      await projector.stop();
      throw new Error(`the projector did not join its group within 90 s:\n${projector.output().slice(-3000)}`);
    }
    await sleep(100);
  }
  return projector;
}
