/**
 * The curriculum cache and ETags over the shared data as `pnpm import`
 * projects it: strong ETags and 304s, answers served from the cache, a
 * re-imported (changed) export served at once with new tags, and the
 * listener's connection killed while the curriculum changes. The listener
 * is the real one, on its own connection to the test database.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { createLogger } from '@medly/shared/logger';
import { createApiMetrics } from './apiMetrics.ts';
import { createProjectionListener, type ProjectionListener } from './projectionListener.ts';
import { createResponseCache } from './responseCache.ts';
import type { TestServer } from './testing/http.ts';
import { importSharedData, type ImportedData } from './testing/importedData.ts';
import { startReadOnlyApi } from './testing/readOnlyApi.ts';
import { REPOSITORY_ROOT } from './testing/migratedDatabase.ts';
import { counterValue, waitFor } from './testing/waitFor.ts';

const TOKEN = 'curriculum-cache-token-0123456789';
const PAPER = 'medlymockaqaGCSEBio_Sept_Mock1Higher';
const LESSON = 'aqaGCSEBio0.0.0';
const ITEM = 'aqaGCSEBio_1_1_1_EBc0BgD11T';
const USER = '05IsdAyoSnekvovtyr2fC5cNOnF3';
const CURRICULUM = [`/papers/${PAPER}`, `/lessons/${LESSON}`, `/items/${ITEM}`];
const STRONG_TAG = /^"[A-Za-z0-9_-]{32}"$/;

let data: ImportedData;
let server: TestServer;
let listener: ProjectionListener;
const metrics = createApiMetrics();
const listening: boolean[] = [];

const lookups = (outcome: string) => counterValue(metrics.registry, 'medly_curriculum_cache_lookups_total', 'outcome', outcome);
const invalidations = (reason: string) => counterValue(metrics.registry, 'medly_curriculum_cache_invalidations_total', 'reason', reason);

test.before(async () => {
  data = await importSharedData('api_cache');
  const logger = createLogger({ level: 'silent', name: 'api-cache-test' });
  const cache = createResponseCache({ maxEntries: 100, maxBytes: 16 * 1024 * 1024, ...metrics.curriculumCache });
  listener = createProjectionListener({
    databaseUrl: data.databaseUrl,
    logger,
    onChange: () => {
      cache.invalidate();
    },
    onListening: (now) => {
      listening.push(now);
      cache.setListening(now);
    },
    // Long enough to change the curriculum while nobody listens.
    minBackoffMs: 1_500,
  });
  listener.start();
  server = await startReadOnlyApi(data, TOKEN, { logger, metrics, curriculumCache: cache });
  await waitFor('the listener', () => listening.at(-1) === true);
});

test.after(async () => {
  await (listener as ProjectionListener | undefined)?.stop();
  await (server as TestServer | undefined)?.close();
  await (data as ImportedData | undefined)?.cleanup();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await server.request(path, { headers: { authorization: `Bearer ${TOKEN}`, ...headers } });
  return { status: response.status, etag: response.headers.get('etag'), cacheControl: response.headers.get('cache-control'), text: await response.text() };
}

test('every table the curriculum queries read announces its changes (migration 0006)', async () => {
  const files = ['lessons', 'papers', 'items', 'sqlTime'].map((name) => join(REPOSITORY_ROOT, 'api/src/queries', `${name}.ts`));
  const read = new Set<string>();
  for (const file of files) {
    for (const match of (await readFile(file, 'utf8')).matchAll(/\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)\b(?!\s*\()/g)) read.add(match[1] ?? '');
  }
  for (const known of ['lessons', 'papers', 'items', 'item_appearances', 'item_lesson_links', 'source_snapshots']) assert.ok(read.has(known), known);
  const views = await data.pool.any(
    sql.type(z.object({ view_name: z.string(), table_name: z.string() }))`
      SELECT view_name, table_name FROM information_schema.view_table_usage WHERE view_schema = current_schema()`,
  );
  const tables = [...read].flatMap((name) => {
    const base = views.filter((view) => view.view_name === name).map((view) => view.table_name);
    return base.length > 0 ? base : [name];
  });
  const announced = new Set(
    await data.pool.anyFirst(sql.unsafe`
      SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE p.proname = 'announce_projection_change'`),
  );
  for (const table of tables) assert.ok(announced.has(table), `${table} is read by a curriculum route but announces no change`);
  assert.not.ok(announced.has('attempts'), 'attempts never empty the curriculum cache');
});

test('paper, lesson, item: 200 with a strong ETag and no-cache, 304 for If-None-Match, then served from the cache', async () => {
  for (const path of CURRICULUM) {
    const first = await get(path);
    assert.is(first.status, 200, path);
    assert.match(first.etag ?? '', STRONG_TAG);
    assert.is(first.cacheControl, 'no-cache');
    const hits = await lookups('hit');
    const notModified = await get(path, { 'if-none-match': first.etag ?? '' });
    assert.is(notModified.status, 304, path);
    assert.is(notModified.text, '');
    assert.is(notModified.etag, first.etag);
    assert.is(notModified.cacheControl, 'no-cache');
    const again = await get(path);
    assert.is(again.status, 200);
    assert.is(again.text, first.text, 'the same bytes');
    assert.is(again.etag, first.etag);
    assert.is(await lookups('hit'), hits + 2, `${path}: the 304 and the second GET came from the cache`);
  }
  const misses = await lookups('miss');
  const page = await get(`/lessons/${LESSON}?limit=5`);
  assert.is(page.status, 200);
  assert.is(await lookups('miss'), misses + 1, 'another query is another entry');
  assert.is.not(page.etag, (await get(`/lessons/${LESSON}`)).etag);
  const unknown = await get('/papers/no-such-paper');
  assert.is(unknown.status, 404);
});

test('a changed export, re-imported through the real producers and projector: served at once, with new ETags', async () => {
  const before = await Promise.all(CURRICULUM.map((path) => get(path)));
  for (const path of CURRICULUM) assert.is((await get(path)).etag, before[CURRICULUM.indexOf(path)]?.etag);
  const dir = await mkdtemp(join(tmpdir(), 'medly-changed-export-'));
  try {
    await cp(join(REPOSITORY_ROOT, 'data'), dir, { recursive: true });
    const course = join(dir, 'curriculum_data/aqaGCSEBio_course.json');
    const exams = join(dir, 'curriculum_data/aqaGCSEBio_exams.json');
    const courseJson = JSON.parse(await readFile(course, 'utf8')) as { topics: { lessons: { lessonTitle: string }[] }[] }[];
    const lesson = courseJson[0]?.topics[0]?.lessons[0];
    assert.ok(lesson);
    lesson.lessonTitle = 'Prokaryotic and Eukaryotic Cells (revised)';
    await writeFile(course, JSON.stringify(courseJson));
    const examsJson = JSON.parse(await readFile(exams, 'utf8')) as { papers: { questions: { items: { question_text: string }[] }[] }[] }[];
    const part = examsJson[0]?.papers[0]?.questions[0]?.items[0];
    assert.ok(part);
    part.question_text = 'Why did most compounds fail Phase 2 (revised)?';
    await writeFile(exams, JSON.stringify(examsJson));
    await data.reimport(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const changes = await invalidations('change');
  for (const [index, path] of CURRICULUM.entries()) {
    const after = await get(path);
    assert.is(after.status, 200);
    assert.match(after.text, /\(revised\)/, `${path} shows the change`);
    assert.is.not(after.etag, before[index]?.etag);
    assert.is((await get(path, { 'if-none-match': before[index]?.etag ?? '' })).status, 200, 'the old tag is not current');
    assert.is((await get(path, { 'if-none-match': after.etag ?? '' })).status, 304);
  }
  assert.ok(changes > 0, 'the projector\'s commits were announced');
});

test('the listener\'s backend killed: bypassed while it is away, a change made meanwhile is served, back empty', async () => {
  const path = `/lessons/${LESSON}`;
  await get(path);
  const hits = await lookups('hit');
  await get(path);
  assert.is(await lookups('hit'), hits + 1);

  const pid = listener.backendPid;
  assert.ok(pid);
  await data.pool.query(sql.unsafe`SELECT pg_terminate_backend(${pid})`);
  await waitFor('the loss to be noticed', () => listening.at(-1) === false);
  // Committed while nobody listens: its announcement is lost.
  await data.pool.query(sql.unsafe`UPDATE lessons SET title = 'Changed while nobody listened' WHERE lesson_id = ${LESSON}`);
  const bypasses = await lookups('bypass');
  const away = await get(path);
  assert.match(away.text, /Changed while nobody listened/);
  assert.is(await lookups('bypass'), bypasses + 1);

  await waitFor('the listener to be back', () => listening.at(-1) === true, 15_000);
  assert.is.not(listener.backendPid, pid);
  const back = await get(path);
  assert.match(back.text, /Changed while nobody listened/);
  assert.is(back.etag, away.etag);
  const hitsBack = await lookups('hit');
  assert.match((await get(path)).text, /Changed while nobody listened/);
  assert.is(await lookups('hit'), hitsBack + 1, 'cached again');

  // Heard again: a change now empties the cache as soon as its announcement arrives.
  const changes = await invalidations('change');
  await data.pool.query(sql.unsafe`UPDATE lessons SET title = 'Changed while listening' WHERE lesson_id = ${LESSON}`);
  await waitFor('the announcement', async () => (await invalidations('change')) > changes);
  assert.match((await get(path)).text, /Changed while listening/);
});

test('activity and progress: strong ETags, 304 for If-None-Match, and still private, no-store', async () => {
  for (const path of [`/users/${USER}/activity`, `/users/${USER}/activity?limit=5`, `/users/${USER}/progress`, `/users/${USER}/progress?include=all`]) {
    const first = await get(path);
    assert.is(first.status, 200, path);
    assert.match(first.etag ?? '', STRONG_TAG);
    assert.is(first.cacheControl, 'private, no-store');
    const notModified = await get(path, { 'if-none-match': `"other", ${first.etag ?? ''}` });
    assert.is(notModified.status, 304, path);
    assert.is(notModified.text, '');
    assert.is(notModified.etag, first.etag);
    assert.is((await get(path, { 'if-none-match': '"other"' })).status, 200);
  }
  assert.is.not((await get(`/users/${USER}/activity`)).etag, (await get(`/users/${USER}/activity?limit=5`)).etag);
});

test.run();
