/**
 * The real projector (`pnpm projector`: projector/src/main.ts, its own
 * connections, consumer group and, given a port, its /metrics) as a child
 * process on a test prefix, for tests that need events applied as in
 * production: PATCH answered 200 by API processes, metrics to scrape. It is
 * ready once it has joined its group and sought its partitions.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '../..');
const READY = 'assigned partitions sought to their checkpoints';

export interface ProjectorProcess {
  pid: number;
  alive(): boolean;
  output(): string;
  stop(): Promise<void>;
}

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
  const child = spawn(process.execPath, ['projector/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.kafkaBrokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
      METRICS_PORT: options.metricsPort === undefined ? '' : String(options.metricsPort),
      // info: the line that says it is ready
      LOG_LEVEL: 'info',
      ...options.settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-200_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-200_000)));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => {
    resolveExit();
  }));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const projector: ProjectorProcess = {
    pid: child.pid ?? 0,
    alive,
    output: () => output,
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 90_000;
  while (!output.includes(READY)) {
    if (!alive()) throw new Error(`the projector exited during start:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) {
      await projector.stop();
      throw new Error(`the projector did not join its group within 90 s:\n${output.slice(-3000)}`);
    }
    await sleep(100);
  }
  return projector;
}
