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
 *
 * Beside it, the bare floor (apiFloorServer.ts: node:http + pg, the API's own
 * SQL) takes the same load right after the API on the routes it answers, so
 * each route's figures and the floor's come from neighbouring seconds. Then
 * an open-loop run (openLoop.ts): a fixed arrival rate over a mix of every
 * route, each latency from the request's scheduled time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { childEnv, type BenchContext } from './benchContext.ts';
import { startFloorServer, type FloorServer } from './apiFloorProcess.ts';
import { runOpenLoop, type OpenLoopResult } from './openLoop.ts';
import { loadRoute, routePlans, type RouteLoad, type RoutePlan } from './routeLoad.ts';
import { freePort } from '@medly/shared/testing/freePort';
import { nodeFlagsOf } from './scriptFlags.ts';
import { stop, waitUntilHealthy } from './serviceProcess.ts';

export interface ApiOptions {
  databaseUrl: string;
  topicPrefix: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Seconds with a single connection per route (0: skip). */
  aloneSeconds: number;
  logLevel: string;
  /** Open loop: arrivals per second over the mix of routes, for this many seconds (either 0: skip). */
  openRate: number;
  openDurationSeconds: number;
}

export type FloorLoad = Omit<RouteLoad, 'route' | 'ids'>;

export interface RouteResult extends RouteLoad {
  /** The same route with one connection: the latency of a request that waits for no other. */
  alone: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  /** The bare floor server on the same route, ids, connections and duration (absent: it does not answer this route). */
  floor?: FloorLoad;
}

export interface ApiResult {
  connections: number;
  durationSeconds: number;
  logLevel: string;
  routes: RouteResult[];
  /** The API process's peak resident set (VmHWM) after the runs. */
  apiPeakRssBytes: number;
  /** Why the floor server did not run, when it did not. */
  floorFailed?: string;
  openLoop?: OpenLoopResult;
}

/** A service token with the read right, for this run only; the API is given its SHA-256 (SERVICE_TOKENS). */
const BENCH_TOKEN = randomBytes(32).toString('base64url');
const BENCH_TOKENS_SETTING = `bench:${createHash('sha256').update(BENCH_TOKEN).digest('hex')}:read`;

export async function runApiBench(context: BenchContext, options: ApiOptions): Promise<ApiResult> {
  const plans = await routePlans(options.databaseUrl);
  const port = await freePort();
  const logFile = join(context.runDir, 'api.log');
  const api = startApi(context, options, port, logFile);
  let floor: FloorServer | undefined;
  let floorFailed: string | undefined;
  try {
    const base = `http://127.0.0.1:${String(port)}`;
    await waitUntilHealthy(base, api, logFile);
    floor = await startFloorServer(context, options.databaseUrl).catch((error: unknown) => {
      floorFailed = error instanceof Error ? error.message : String(error);
      context.log(`api: no bare floor (${floorFailed})`);
      return undefined;
    });
    const routes: RouteResult[] = [];
    for (const plan of plans) routes.push(await measureRoute(context, options, base, plan, floor));
    const openLoop = options.openRate > 0 && options.openDurationSeconds > 0 ? await measureOpenLoop(context, options, base, plans) : undefined;
    return {
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      logLevel: options.logLevel,
      routes,
      apiPeakRssBytes: await peakRss(api.pid),
      ...(floorFailed === undefined ? {} : { floorFailed }),
      ...(openLoop ? { openLoop } : {}),
    };
  } finally {
    await floor?.stop();
    await stop(api);
  }
}

async function measureRoute(context: BenchContext, options: ApiOptions, base: string, plan: RoutePlan, floor: FloorServer | undefined): Promise<RouteResult> {
  const load = (on: string, connections: number, seconds: number) => loadRoute(on, plan, connections, seconds, BENCH_TOKEN);
  if (options.warmupSeconds > 0) await load(base, options.connections, options.warmupSeconds);
  const alone = options.aloneSeconds > 0 ? await load(base, 1, options.aloneSeconds) : undefined;
  const loaded = await load(base, options.connections, options.durationSeconds);
  let floorLoad: FloorLoad | undefined;
  if (floor?.routes.has(plan.route)) {
    if (options.warmupSeconds > 0) await load(floor.base, options.connections, options.warmupSeconds);
    const { route: _route, ids: _ids, ...figures } = await load(floor.base, options.connections, options.durationSeconds);
    floorLoad = figures;
  }
  const problems = (figures: FloorLoad) => (figures.non2xx + figures.errors > 0 ? `, ${String(figures.non2xx)} non-2xx, ${String(figures.errors)} errors` : '');
  const line = (figures: FloorLoad) => `${figures.requestsPerSecond.toFixed(0)} req/s, p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms${problems(figures)}`;
  context.log(`api ${plan.route}: ${line(loaded)}${floorLoad ? `; floor ${line(floorLoad)}` : ''}`);
  return {
    ...loaded,
    alone: {
      requestsPerSecond: alone?.requestsPerSecond ?? Number.NaN,
      p50Ms: alone?.p50Ms ?? Number.NaN,
      p99Ms: alone?.p99Ms ?? Number.NaN,
    },
    ...(floorLoad ? { floor: floorLoad } : {}),
  };
}

/** Every route in turn, each cycling through its ids; sockets for half a second of arrivals, so they do not hold the rate back. */
async function measureOpenLoop(context: BenchContext, options: ApiOptions, base: string, plans: readonly RoutePlan[]): Promise<OpenLoopResult> {
  const longest = Math.max(...plans.map((plan) => plan.paths.length));
  const targets = Array.from({ length: longest }, (_, index) =>
    plans.map((plan) => ({ route: plan.route, path: plan.paths[index % plan.paths.length] ?? '/health' })),
  ).flat();
  const maxSockets = Math.max(64, Math.ceil(options.openRate / 2));
  context.log(`api open loop: ${String(options.openRate)} req/s for ${String(options.openDurationSeconds)} s over ${String(plans.length)} routes, up to ${String(maxSockets)} sockets`);
  const result = await runOpenLoop({
    base,
    targets,
    ratePerSecond: options.openRate,
    durationSeconds: options.openDurationSeconds,
    maxSockets,
    headers: { authorization: `Bearer ${BENCH_TOKEN}` },
  });
  context.log(
    `api open loop: ${result.achievedRate.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ` +
      `p99.9 ${result.p999Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(0)} ms, ${String(result.non2xx)} non-2xx, ${String(result.errors)} errors`,
  );
  return result;
}

function startApi(context: BenchContext, options: ApiOptions, port: number, logFile: string): ChildProcess {
  const log = createWriteStream(logFile);
  const api = spawn(process.execPath, [...nodeFlagsOf('api'), 'api/src/main.ts'], {
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

/** VmHWM of a running process: its peak resident set so far. */
async function peakRss(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8').catch(() => '');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) * 1024;
}
