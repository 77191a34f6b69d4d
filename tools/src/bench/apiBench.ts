/**
 * Part 4: API latency under load. The API runs as its own process
 * (`node api/src/main.ts`) on the database an import filled; autocannon
 * (in this process) keeps `connections` requests in flight against one route
 * at a time for a fixed duration, cycling through up to 50 real ids of that
 * route, after a short warm-up and a run with a single connection (the
 * latency of a request that queues behind no other). Latency percentiles
 * come from every response's time; requests/s from the responses over the
 * duration. Every request carries a read-only service token made for the run
 * (user routes need a credential), and the API runs with rate limits off
 * (RATE_LIMIT_REQUESTS=0): the bench measures the API, not its limiter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { childEnv, type BenchContext } from './benchContext.ts';
import pg from 'pg';
import { percentile } from './stats.ts';

export interface ApiOptions {
  databaseUrl: string;
  topicPrefix: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Seconds with a single connection per route (0: skip). */
  aloneSeconds: number;
  logLevel: string;
}

export interface RouteResult {
  route: string;
  ids: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /** The same route with one connection: the latency of a request that waits for no other. */
  alone: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
}

export interface ApiResult {
  connections: number;
  durationSeconds: number;
  logLevel: string;
  routes: RouteResult[];
  /** The API process's peak resident set (VmHWM) after the runs. */
  apiPeakRssBytes: number;
}

interface RoutePlan {
  route: string;
  paths: string[];
}

/** A service token with the read right, for this run only; the API is given its SHA-256 (SERVICE_TOKENS). */
const BENCH_TOKEN = randomBytes(32).toString('base64url');
const BENCH_TOKENS_SETTING = `bench:${createHash('sha256').update(BENCH_TOKEN).digest('hex')}:read`;

export async function runApiBench(context: BenchContext, options: ApiOptions): Promise<ApiResult> {
  const plans = await routePlans(options.databaseUrl);
  const port = await freePort();
  const logFile = join(context.runDir, 'api.log');
  const api = startApi(context, options, port, logFile);
  try {
    const base = `http://127.0.0.1:${String(port)}`;
    await waitUntilHealthy(base, api, logFile);
    const routes: RouteResult[] = [];
    for (const plan of plans) {
      if (options.warmupSeconds > 0) await load(base, plan, options.connections, options.warmupSeconds);
      const alone = options.aloneSeconds > 0 ? await load(base, plan, 1, options.aloneSeconds) : undefined;
      const loaded = await load(base, plan, options.connections, options.durationSeconds);
      const result: RouteResult = {
        ...loaded,
        alone: {
          requestsPerSecond: alone?.requestsPerSecond ?? Number.NaN,
          p50Ms: alone?.p50Ms ?? Number.NaN,
          p99Ms: alone?.p99Ms ?? Number.NaN,
        },
      };
      context.log(
        `api ${plan.route}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms` +
          (result.non2xx + result.errors > 0 ? `, ${String(result.non2xx)} non-2xx, ${String(result.errors)} errors` : ''),
      );
      routes.push(result);
    }
    return {
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      logLevel: options.logLevel,
      routes,
      apiPeakRssBytes: await peakRss(api.pid),
    };
  } finally {
    await stop(api);
  }
}

/** Real ids for every route: a deterministic spread (ordered by md5) of up to 50 each. */
async function routePlans(databaseUrl: string): Promise<RoutePlan[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = async (query: string) => (await client.query<{ id: string }>(query)).rows.map((row) => encodeURIComponent(row.id));
    const users = await ids('SELECT uid AS id FROM users WHERE attempt_count > 0 ORDER BY md5(uid) LIMIT 50');
    const lessons = await ids('SELECT lesson_id AS id FROM lessons ORDER BY md5(lesson_id) LIMIT 50');
    const papers = await ids('SELECT paper_id AS id FROM papers ORDER BY md5(paper_id) LIMIT 50');
    const items = await ids('SELECT question_id AS id FROM items ORDER BY md5(question_id) LIMIT 50');
    for (const [name, list] of Object.entries({ users, lessons, papers, items })) {
      if (list.length === 0) throw new Error(`the imported database has no ${name} to ask the API about`);
    }
    return [
      { route: '/health', paths: ['/health'] },
      { route: '/users/:id', paths: users.map((id) => `/users/${id}`) },
      { route: '/users/:id/activity', paths: users.map((id) => `/users/${id}/activity`) },
      { route: '/users/:id/progress', paths: users.map((id) => `/users/${id}/progress`) },
      { route: '/lessons/:lessonId', paths: lessons.map((id) => `/lessons/${id}`) },
      { route: '/papers/:paperId', paths: papers.map((id) => `/papers/${id}`) },
      { route: '/items/:questionID', paths: items.map((id) => `/items/${id}`) },
    ];
  } finally {
    await client.end();
  }
}

function load(base: string, plan: RoutePlan, connections: number, durationSeconds: number): Promise<Omit<RouteResult, 'alone'>> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    let next = 0;
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: durationSeconds,
        headers: { authorization: `Bearer ${BENCH_TOKEN}` },
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => {
              const path = plan.paths[next % plan.paths.length] ?? '/health';
              next += 1;
              return { ...request, path };
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
          return;
        }
        resolve({
          route: plan.route,
          ids: plan.paths.length,
          requests: times.length,
          requestsPerSecond: times.length / durationSeconds,
          p50Ms: percentile(times, 50),
          p99Ms: percentile(times, 99),
          maxMs: Math.max(...times),
          non2xx: result.non2xx,
          errors: result.errors,
        });
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
}

function startApi(context: BenchContext, options: ApiOptions, port: number, logFile: string): ChildProcess {
  const log = createWriteStream(logFile);
  const api = spawn(process.execPath, ['api/src/main.ts'], {
    env: childEnv(context, {
      DATABASE_URL: options.databaseUrl,
      TOPIC_PREFIX: options.topicPrefix,
      PORT: String(port),
      LOG_LEVEL: options.logLevel,
      SERVICE_TOKENS: BENCH_TOKENS_SETTING,
      RATE_LIMIT_REQUESTS: '0',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout.pipe(log);
  api.stderr.pipe(log);
  return api;
}

export async function waitUntilHealthy(base: string, api: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`the API exited with ${String(api.exitCode)}; see ${logFile}`);
    const ok = await fetch(`${base}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`the API did not answer /health within 60 s; see ${logFile}`);
}

export async function stop(api: ChildProcess): Promise<void> {
  if (api.exitCode !== null || api.pid === undefined) return;
  const exited = new Promise<void>((resolve) => {
    api.once('exit', () => {
      resolve();
    });
  });
  api.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
  if (timedOut) api.kill('SIGKILL');
}

/** VmHWM of a running process: its peak resident set so far. */
async function peakRss(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8').catch(() => '');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) * 1024;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
