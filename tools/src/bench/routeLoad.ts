/**
 * The API bench's load on one route: real ids per route (routePlans), and one
 * closed-loop autocannon run (loadRoute): `connections` requests in flight,
 * each sent when the previous one on its connection is answered, cycling
 * through the route's ids. Latencies are every response's own time (from
 * autocannon's `response` event), not autocannon's histogram.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { percentile } from './stats.ts';

export interface RoutePlan {
  route: string;
  paths: string[];
}

export interface RouteLoad {
  route: string;
  ids: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

/** Real ids for every route: a deterministic spread (ordered by md5) of up to 50 each. */
export async function routePlans(databaseUrl: string): Promise<RoutePlan[]> {
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

export function loadRoute(base: string, plan: RoutePlan, connections: number, durationSeconds: number, token: string): Promise<RouteLoad> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    let next = 0;
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: durationSeconds,
        headers: { authorization: `Bearer ${token}` },
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
