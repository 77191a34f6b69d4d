/**
 * The user cache over the shared data as `pnpm import` projects it, wired as
 * main.ts wires it (createAnswerCaches, the real listener on its own
 * connection): a user's activity and progress served from the cache; a
 * committed change of that user's attempts served at once, while another
 * user's answers stay cached; a curriculum change empties every user's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { createLogger } from '@medly/shared/logger';
import { createAnswerCaches, type AnswerCaches } from './answerCaches.ts';
import { createApiMetrics } from './apiMetrics.ts';
import type { TestServer } from './testing/http.ts';
import { importSharedData, type ImportedData } from './testing/importedData.ts';
import { startReadOnlyApi } from './testing/readOnlyApi.ts';
import { counterValue, waitFor } from './testing/waitFor.ts';

const TOKEN = 'user-cache-token-0123456789abcdef';
const BOUNDS = { maxEntries: 100, maxBytes: 16 * 1024 * 1024 };

let data: ImportedData;
let server: TestServer;
let caches: AnswerCaches;
const metrics = createApiMetrics();
/** Two users with marked attempts on items linked to a lesson. */
let users: [string, string];

const lookups = (outcome: string) => counterValue(metrics.registry, 'medly_user_cache_lookups_total', 'outcome', outcome);

test.before(async () => {
  data = await importSharedData('api_user_cache');
  const logger = createLogger({ level: 'silent', name: 'api-user-cache-test' });
  caches = createAnswerCaches({ databaseUrl: data.databaseUrl, logger, metrics, curriculum: BOUNDS, user: BOUNDS });
  server = await startReadOnlyApi(data, TOKEN, { logger, metrics, curriculumCache: caches.curriculumCache, userCache: caches.userCache });
  const uids = await data.pool.anyFirst(
    sql.type(z.object({ uid: z.string() }))`
      SELECT a.uid FROM attempts a JOIN item_lessons il ON il.question_id = a.question_id
      WHERE a.is_marked GROUP BY a.uid ORDER BY count(*) DESC, a.uid LIMIT 2`,
  );
  assert.is(uids.length, 2, 'the shared data has two users with marked, placed attempts');
  users = [uids[0] ?? '', uids[1] ?? ''];
  await waitFor('the listener', () => caches.listener?.backendPid !== undefined);
});

test.after(async () => {
  await (caches as AnswerCaches | undefined)?.listener?.stop();
  await (server as TestServer | undefined)?.close();
  await (data as ImportedData | undefined)?.cleanup();
});

async function get(path: string) {
  const response = await server.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, etag: response.headers.get('etag'), cacheControl: response.headers.get('cache-control'), text: await response.text() };
}

const marksEarned = (text: string) => (JSON.parse(text) as { totals: { marksEarned: number } }).totals.marksEarned;

test('activity and progress: the second read is a hit with the same bytes and tag, and stays private', async () => {
  for (const path of [`/users/${users[0]}/progress`, `/users/${users[0]}/activity?limit=5`]) {
    const first = await get(path);
    assert.is(first.status, 200, path);
    assert.is(first.cacheControl, 'private, no-store');
    const hits = await lookups('hit');
    const again = await get(path);
    assert.is(await lookups('hit'), hits + 1, `${path}: served from the cache`);
    assert.is(again.text, first.text);
    assert.is(again.etag, first.etag);
  }
});

test('a committed change of one user\'s attempts is served at once; the other user\'s answers stay cached', async () => {
  const [changed, other] = users;
  const before = await get(`/users/${changed}/progress`);
  await get(`/users/${other}/progress`);
  const path = await data.pool.oneFirst(
    sql.type(z.object({ path: z.string() }))`SELECT path FROM attempts WHERE uid = ${changed} AND is_marked ORDER BY path LIMIT 1`,
  );
  await data.pool.query(sql.unsafe`UPDATE attempts SET user_mark = coalesce(user_mark, 0) + 100 WHERE path = ${path}`);
  await waitFor('the change to be served', async () => marksEarned((await get(`/users/${changed}/progress`)).text) === marksEarned(before.text) + 100);
  const after = await get(`/users/${changed}/progress`);
  assert.is.not(after.etag, before.etag);
  const hits = await lookups('hit');
  assert.is((await get(`/users/${other}/progress`)).status, 200);
  assert.is(await lookups('hit'), hits + 1, 'the other user\'s progress was not dropped');
  await data.pool.query(sql.unsafe`UPDATE attempts SET user_mark = user_mark - 100 WHERE path = ${path}`);
  await waitFor('the change back', async () => (await get(`/users/${changed}/progress`)).etag === before.etag);
});

test('a curriculum change empties every user\'s answers', async () => {
  const path = `/users/${users[1]}/progress?include=all`;
  const before = await get(path);
  assert.is(before.status, 200);
  const [lesson] = await data.pool.anyFirst(sql.type(z.object({ lesson_id: z.string() }))`SELECT lesson_id FROM lessons ORDER BY lesson_id LIMIT 1`);
  assert.ok(lesson);
  await data.pool.query(sql.unsafe`UPDATE lessons SET title = 'Retitled while cached' WHERE lesson_id = ${lesson}`);
  await waitFor('the new title', async () => (await get(path)).text.includes('Retitled while cached'));
  assert.is.not((await get(path)).etag, before.etag);
});

test.run();
