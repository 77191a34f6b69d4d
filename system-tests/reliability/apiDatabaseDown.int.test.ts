/**
 * The API with its database down. The real API process runs on a private
 * Postgres server holding a small projection; the test stops the server:
 * /health must answer 503 (db down), every data route 503 problem+json with
 * Retry-After (never a 500, never a hang), the process must stay up; then the
 * server starts again and the API must serve 200s by itself, without restart.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@medly/shared/logger';
import { startPrivatePostgres, type PrivatePostgres } from '@medly/shared/testing/privatePostgres';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { openSqlInspector } from '@medly/shared/testing/sqlInspector';
import { SEED } from '@medly/api/testing/seed';
import { startApiProcess, type ApiProcess } from './apiProcess.ts';
import { reportedHook } from './reportedHook.ts';
import { migrateAndSeed } from './seededDatabase.ts';

const TOKEN = 'reliability-token-0123456789abcdef';
const logger = createLogger({ level: 'error', name: 'api-database-down' });
const DATA_ROUTES = [
  `/users/${SEED.uid}`,
  `/users/${SEED.uid}/activity`,
  `/users/${SEED.uid}/progress`,
  `/lessons/${SEED.lessonId}`,
  `/papers/${SEED.paperId}`,
  `/items/${SEED.sharedItem}`,
];

let postgres: PrivatePostgres;
let api: ApiProcess;
const cleanups: (() => Promise<unknown>)[] = [];

test.before(
  reportedHook(async () => {
    const { kafkaBrokers } = await testServices();
    postgres = await startPrivatePostgres('api-down');
    cleanups.push(() => postgres.destroy());
    const admin = openSqlInspector(postgres.url());
    await admin.rows('CREATE DATABASE api');
    await admin.close();
    await migrateAndSeed(postgres.url('api'), logger);
    api = await startApiProcess({
      databaseUrl: postgres.url('api'),
      kafkaBrokers,
      topicPrefix: uniqueTopicPrefix('api-down'),
      apiToken: TOKEN,
      // The recovery loops below poll every route for up to a minute: this test is about faults, not the limiter.
      settings: { RATE_LIMIT_REQUESTS: '0' },
    });
    cleanups.push(() => api.stop());
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function statuses(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const path of ['/health', ...DATA_ROUTES]) result[path] = (await api.request(path, { headers: { authorization: `Bearer ${TOKEN}` } })).status;
  return result;
}

test('with the database up every route answers 200', async () => {
  const all = await statuses();
  assert.ok(Object.values(all).every((status) => status === 200), JSON.stringify(all));
});

test('with the database down: /health 503 (db down); data routes and PATCH 503 problem+json with Retry-After; the process stays up', async () => {
  await postgres.stop('fast');
  try {
    // /health is a 503 problem like the rest, with DESIGN §6's fields as extension members so a probe sees what is down.
    const health = await api.request('/health');
    assert.is(health.status, 503);
    assert.match(health.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = (await health.json()) as { status: number; db: string; kafka: string };
    assert.equal([body.status, body.db, body.kafka], [503, 'down', 'up']);
    const requests: [string, RequestInit][] = [
      ...DATA_ROUTES.map((path): [string, RequestInit] => [path, { headers: { authorization: `Bearer ${TOKEN}` } }]),
      [
        `/users/${SEED.uid}`,
        {
          method: 'PATCH',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ displayName: 'Down' }),
        },
      ],
    ];
    for (const [path, init] of requests) {
      const response = await api.request(path, init);
      const what = `${init.method ?? 'GET'} ${path}`;
      assert.is(response.status, 503, what);
      assert.is(response.headers.get('content-type')?.split(';')[0], 'application/problem+json', what);
      assert.is(response.headers.get('retry-after'), '5', what);
      const problem = (await response.json()) as { type: string; title: string; status: number; detail: string };
      assert.equal(
        { type: problem.type, title: problem.title, status: problem.status },
        { type: 'about:blank', title: 'Service Unavailable', status: 503 },
        what,
      );
      assert.not.match(problem.detail, /ECONNREFUSED|127\.0\.0\.1|stack/i, `${what}: nothing of the cause leaks`);
    }
    assert.ok(api.alive(), 'the API process is still running');
  } finally {
    await postgres.start();
  }
});

test('the database back: the API recovers by itself, without a restart', async () => {
  const started = Date.now();
  const deadline = started + 60_000;
  let all = await statuses();
  while (Object.values(all).some((status) => status !== 200) && Date.now() < deadline) {
    await sleep(500);
    all = await statuses();
  }
  assert.ok(Object.values(all).every((status) => status === 200), JSON.stringify(all));
  assert.ok(api.alive());
  console.log(`every route answered 200 again ${Date.now() - started} ms after Postgres was started`);
});

test('a restart under a pooled connection: at most a 503 for the request that meets the dead connection, then 200s', async () => {
  await postgres.restart('fast');
  const seen: number[] = [];
  const deadline = Date.now() + 60_000;
  while (seen.at(-1) !== 200 && Date.now() < deadline) {
    seen.push((await api.request(`/users/${SEED.uid}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status);
    if (seen.at(-1) !== 200) await sleep(200);
  }
  assert.ok(seen.every((status) => status === 200 || status === 503), `only 200 or 503: ${seen.join(', ')}`);
  assert.is(seen.at(-1), 200);
  assert.ok(api.alive());
  console.log(`after a restart under pooled connections the API answered: ${seen.join(', ')}`);
});

test.run();
