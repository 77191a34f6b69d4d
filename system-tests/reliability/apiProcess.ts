/**
 * The real API (`pnpm api`: api/src/main.ts, its own pool, Kafka clients,
 * server timeouts) as a child process on a free port, for tests and the load
 * script: they speak HTTP to it, read its resident memory, and stop it.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@medly/shared/testing/freePort';
import { spawnService, type ServiceChild } from '../serviceChild.ts';

/** `alive()` tells a crash under a fault. */
export interface ApiProcess extends ServiceChild {
  url: string;
  /** fetch relative to the API, never following redirects. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Resident set size of the process, in bytes (from /proc). */
  rssBytes(): Promise<number>;
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
  const service = spawnService(
    'api/src/main.ts',
    {
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
    10_000,
  );
  const url = `http://127.0.0.1:${port}`;
  const api: ApiProcess = {
    ...service,
    url,
    request: (path, init) => fetch(`${url}${path}`, { redirect: 'manual', ...init }),
    async rssBytes() {
      const status = await readFile(`/proc/${service.pid}/status`, 'utf8');
      const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      if (kilobytes === undefined) throw new Error(`no VmRSS for pid ${service.pid}`);
      return Number(kilobytes) * 1024;
    },
  };

  // Listening and answering: /health answers once the server is up, whatever it reports.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!service.alive()) throw new Error(`the API exited during start:\n${service.output().slice(-3000)}`);
    const answered = await api.request('/health').then(
      () => true,
      () => false,
    );
    if (answered) return api;
    if (Date.now() > deadline) {
      await api.stop();
      throw new Error(`the API did not answer within 60 s:\n${service.output().slice(-3000)}`);
    }
    await sleep(200);
  }
}
