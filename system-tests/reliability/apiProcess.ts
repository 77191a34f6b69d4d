/**
 * The real API (`pnpm api`: api/src/main.ts, its own pool, Kafka clients,
 * server timeouts) as a child process on a free port, for tests and the load
 * script: they speak HTTP to it, read its resident memory, and stop it.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@medly/shared/testing/freePort';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ApiProcess {
  url: string;
  pid: number;
  /** fetch relative to the API, never following redirects. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Resident set size of the process, in bytes (from /proc). */
  rssBytes(): Promise<number>;
  /** Whether the process is still running (a crash under a fault shows here). */
  alive(): boolean;
  output(): string;
  stop(): Promise<void>;
}

export interface ApiProcessOptions {
  databaseUrl: string;
  kafkaBrokers: readonly string[];
  topicPrefix: string;
  apiToken?: string;
  corsOrigins?: string;
  logLevel?: string;
  /** Any other settings (credentials, rate limits), as environment variables. */
  settings?: Record<string, string>;
}

export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['api/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.kafkaBrokers.join(','),
      TOPIC_PREFIX: options.topicPrefix,
      PORT: String(port),
      API_TOKEN: options.apiToken ?? '',
      CORS_ORIGINS: options.corsOrigins ?? '',
      LOG_LEVEL: options.logLevel ?? 'warn',
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
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? 0;
  const alive = () => child.exitCode === null && child.signalCode === null;

  const api: ApiProcess = {
    url,
    pid,
    request: (path, init) => fetch(`${url}${path}`, { redirect: 'manual', ...init }),
    async rssBytes() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      if (kilobytes === undefined) throw new Error(`no VmRSS for pid ${pid}`);
      return Number(kilobytes) * 1024;
    },
    alive,
    output: () => output,
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };

  // Listening and answering: /health answers once the server is up, whatever it reports.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive()) throw new Error(`the API exited during start:\n${output.slice(-3000)}`);
    const answered = await api.request('/health').then(
      () => true,
      () => false,
    );
    if (answered) return api;
    if (Date.now() > deadline) {
      await api.stop();
      throw new Error(`the API did not answer within 60 s:\n${output.slice(-3000)}`);
    }
    await sleep(200);
  }
}
