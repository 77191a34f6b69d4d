/**
 * One load run against a running API: autocannon cycling through a mix of
 * every read route over ids taken from the database (only ids the API can
 * address), with the API's resident memory read before and after. Used by
 * the load script (64 connections, 30 s, 1× and 100× data) and by the CI
 * test (a few seconds, asserting only that nothing failed). The API is started
 * with LOAD_API_SETTINGS: a token every request carries (user routes need a
 * credential) and rate limits off, so the load measures the API, not its limiter.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { ID_PATTERN } from '@medly/api/params';
import type { SqlInspector } from '@medly/shared/testing/sqlInspector';
import type { ApiProcess } from './apiProcess.ts';

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  /** Seconds before a request counts as a timeout (autocannon's default is 10). */
  timeoutSeconds?: number;
}

export interface LoadFigures {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  routes: string[];
}

const addressable = (id: string) => ID_PATTERN.test(id);

const LOAD_TOKEN = randomBytes(24).toString('hex');
/** startApiProcess options for a load run. */
export const LOAD_API_SETTINGS = { apiToken: LOAD_TOKEN, settings: { RATE_LIMIT_REQUESTS: '0' } };
const headers = { authorization: `Bearer ${LOAD_TOKEN}` };

/** Paths over real ids: users (with attempts), their activity (plain and by lesson), progress, lessons with a bank, papers, items. */
export async function loadPaths(db: SqlInspector, perKind = 25): Promise<string[]> {
  const ids = async (text: string) => (await db.rows<{ id: string }>(text, [perKind * 4])).map((row) => row.id).filter(addressable).slice(0, perKind);
  const users = await ids('SELECT uid AS id FROM users WHERE attempt_count > 0 ORDER BY attempt_count DESC, uid LIMIT $1');
  const lessons = await ids('SELECT l.lesson_id AS id FROM lessons l JOIN practice_banks b USING (lesson_id) ORDER BY l.lesson_id LIMIT $1');
  const papers = await ids('SELECT paper_id AS id FROM papers ORDER BY paper_id LIMIT $1');
  const items = await ids('SELECT question_id AS id FROM items ORDER BY question_id LIMIT $1');
  const practice = (
    await db.rows<{ uid: string; lesson: string }>(
      'SELECT DISTINCT uid, lesson_id AS lesson FROM attempts WHERE lesson_id IS NOT NULL ORDER BY uid, lesson_id LIMIT $1',
      [perKind * 4],
    )
  )
    .filter((row) => addressable(row.uid) && addressable(row.lesson))
    .slice(0, perKind);
  if (users.length === 0 || lessons.length === 0 || papers.length === 0 || items.length === 0) {
    throw new Error(`the database has too little to load: ${JSON.stringify({ users, lessons, papers, items })}`);
  }
  const paths: string[] = [];
  for (let index = 0; index < perKind * 2; index += 1) {
    const pick = <T>(list: readonly T[]): T => list[index % list.length] as T;
    paths.push(
      `/users/${pick(users)}`,
      `/users/${pick(users)}/activity`,
      `/users/${pick(users)}/progress`,
      `/lessons/${pick(lessons)}`,
      `/lessons/${pick(lessons)}?limit=100`,
      `/papers/${pick(papers)}`,
      `/items/${pick(items)}`,
      `/items/${pick(items.toReversed())}`,
    );
    if (practice.length > 0) {
      const { uid, lesson } = pick(practice);
      paths.push(`/users/${uid}/activity?lesson=${lesson}`);
    }
    if (index % 4 === 0) paths.push('/health');
  }
  return paths;
}

export async function runLoad(api: ApiProcess, paths: readonly string[], options: LoadOptions): Promise<LoadFigures> {
  // One request per path first: every route answers, and the pool and caches are warm before RSS is read.
  for (const path of new Set(paths)) {
    const response = await api.request(path, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status} before the load`);
  }
  const rssBeforeBytes = await api.rssBytes();
  const statusCodes: Record<string, number> = {};
  const result = await autocannon({
    url: api.url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds ?? 10,
    headers,
    requests: paths.map((path) => ({ method: 'GET' as const, path })),
  }).then((outcome) => {
    for (const [code, { count = 0 }] of Object.entries(outcome.statusCodeStats ?? {})) statusCodes[code] = count;
    return outcome;
  });
  const rssAfterBytes = await api.rssBytes();
  const routes = [...new Set(paths.map((path) => path.replace(/^\/(\w+)\/[^/?]+/, '/$1/:id').replace(/=[^&]+/g, '=…')))];
  return {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    rssBeforeBytes,
    rssAfterBytes,
    routes,
  };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** One line of the table in docs/RELIABILITY.md. */
export function figuresRow(label: string, figures: LoadFigures): string {
  const { latencyMs: latency } = figures;
  return `| ${label} | ${figures.connections} | ${figures.durationSeconds} s | ${figures.requests.toLocaleString('en')} | ${figures.requestsPerSecond.toLocaleString('en')} | ${latency.p50} / ${latency.p90} / ${latency.p99} / ${latency.max} | ${figures.errors} | ${figures.timeouts} | ${figures.non2xx} | ${mib(figures.rssBeforeBytes)} → ${mib(figures.rssAfterBytes)} |`;
}

export const FIGURES_HEADER = [
  '| data | connections | duration | requests | req/s | latency ms p50 / p90 / p99 / max | errors | timeouts | non-2xx | API RSS before → after |',
  '|---|---|---|---|---|---|---|---|---|---|',
].join('\n');
