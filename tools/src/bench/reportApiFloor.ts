/**
 * The API beside its bare floor, route by route, and the open-loop run, with
 * issue 16's targets (set at 100×, 32 connections) marked met or missed.
 */
import type { RouteResult } from './apiBench.ts';
import { markdownTable } from './markdownTable.ts';
import type { BenchResults } from './results.ts';
import { formatCount, formatRatio } from './stats.ts';

export interface TargetCheck {
  label: string;
  met: boolean;
}

/** A route without a floor run is judged on its p99 only. Curriculum reads, served (soon) from the API's in-process cache: they should beat a server that asks Postgres every time. */
const CACHED = new Set(['/lessons/:lessonId', '/papers/:paperId', '/items/:questionID']);
const P99_LIMIT_MS: Record<string, number> = { '/users/:id/activity': 15, '/users/:id/progress': 30 };
const UNCACHED_SHARE = 0.8;
const CACHED_MULTIPLE = 2;
const CACHED_P99_MS = 5;
export const OPEN_LOOP_P99_TARGET_MS = 10;

export function routeTargets(route: RouteResult): TargetCheck[] {
  if (route.route === '/health') return [];
  const ratio = route.floor ? route.requestsPerSecond / route.floor.requestsPerSecond : undefined;
  const versusFloor = (multiple: number): TargetCheck[] => (ratio === undefined ? [] : [{ label: `≥ ${String(multiple)}× floor`, met: ratio >= multiple }]);
  const p99 = (limit: number): TargetCheck => ({ label: `p99 ≤ ${String(limit)} ms`, met: route.p99Ms <= limit });
  if (CACHED.has(route.route)) return [...versusFloor(CACHED_MULTIPLE), p99(CACHED_P99_MS)];
  const limit = P99_LIMIT_MS[route.route];
  return [...versusFloor(UNCACHED_SHARE), ...(limit === undefined ? [] : [p99(limit)])];
}

export function renderTarget(check: TargetCheck): string {
  return `${check.label}: ${check.met ? 'met ✓' : 'missed ✗'}`;
}

const ms = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '' : value.toFixed(1));

export function renderApiFloor(results: BenchResults): string {
  if (!results.api) return '';
  const { scale, result } = results.api;
  if (!result.routes.some((route) => route.floor) && result.floorFailed === undefined) return '';
  const rows = result.routes.map((route) => [
    `\`${route.route}\``,
    formatCount(route.requestsPerSecond),
    route.floor ? formatCount(route.floor.requestsPerSecond) : '',
    route.floor ? formatRatio(route.requestsPerSecond / route.floor.requestsPerSecond) : '',
    ms(route.p50Ms),
    ms(route.p99Ms),
    ms(route.floor?.p50Ms),
    ms(route.floor?.p99Ms),
    String(route.non2xx + route.errors + (route.floor ? route.floor.non2xx + route.floor.errors : 0)),
    routeTargets(route).map(renderTarget).join('; '),
  ]);
  return [
    `### 4a. The API beside a bare API floor at ${String(scale)}×`,
    '',
    'The floor (`tools/src/bench/apiFloorServer.ts`, its own process) is `node:http` and a `pg` Pool of the API\'s size (10), no framework, ' +
      'no auth, no validation: it runs the statements the API\'s query functions build (taken from `api/src/queries`, not copied), as named ' +
      'prepared statements like the API, and `JSON.stringify`s the rows. Each route is loaded on the floor right after the API, with the same ids, ' +
      `${String(result.connections)} connections and ${String(result.durationSeconds)} s (after the same warm-up). ` +
      'Targets (issue 16) are set at 100×, 32 connections; at another scale or connection count they are indicative only.' +
      (result.floorFailed === undefined ? '' : ` The floor did not run: ${result.floorFailed}`),
    '',
    markdownTable(
      ['route', 'ours req/s', 'floor req/s', 'ours ÷ floor', 'ours p50 ms', 'ours p99 ms', 'floor p50 ms', 'floor p99 ms', 'non-2xx + errors', 'targets'],
      rows,
      [1, 2, 3, 4, 5, 6, 7, 8],
    ),
  ].join('\n');
}

export function renderOpenLoop(results: BenchResults): string {
  const open = results.api?.result.openLoop;
  if (!results.api || !open) return '';
  const p99Limit = OPEN_LOOP_P99_TARGET_MS;
  const met = (ok: boolean) => (ok ? 'met ✓' : 'missed ✗');
  return [
    `### 4b. Open loop at ${String(results.api.scale)}×: ${formatCount(open.targetRate)} requests/s on a fixed schedule`,
    '',
    `${formatCount(open.scheduled)} requests over ${String(open.durationSeconds)} s, the i-th sent at i ÷ rate whatever became of the others, ` +
      'taking every read route in turn (health, users, activity, progress, lessons, papers, items) with their real ids; each latency is from the ' +
      `request's scheduled time (\`tools/src/bench/openLoop.ts\`). Up to ${String(open.maxSockets)} sockets; at most ${formatCount(open.maxInFlight)} ` +
      `requests were outstanding at once${open.maxInFlight > open.maxSockets ? ' (more than the sockets: some waited for one, and that wait is in their latency)' : ''}; ` +
      `p99 of the wait from schedule to socket: ${ms(open.sendLagP99Ms)} ms. ` +
      `Target: p99 ≤ ${String(p99Limit)} ms (${met(open.p99Ms <= p99Limit)}) and no errors (${met(open.errors + open.non2xx + (open.unanswered ?? 0) === 0)}).`,
    '',
    markdownTable(
      ['achieved req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'non-2xx', 'errors', 'unanswered'],
      [
        [
          formatCount(open.achievedRate),
          ms(open.p50Ms),
          ms(open.p90Ms),
          ms(open.p99Ms),
          ms(open.p999Ms),
          ms(open.maxMs),
          String(open.non2xx),
          String(open.errors),
          open.unanswered === undefined ? '' : String(open.unanswered),
        ],
      ],
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
    ),
    '',
    markdownTable(
      ['route', 'responses', 'p50 ms', 'p99 ms'],
      open.routes.map((route) => [`\`${route.route}\``, formatCount(route.responses), ms(route.p50Ms), ms(route.p99Ms)]),
      [1, 2, 3],
    ),
  ].join('\n');
}
