/**
 * Every route against a real, migrated Postgres holding a small hand-made
 * projection (testing/seed.ts): happy paths, documented errors, full
 * pagination walks, and every response checked against the OpenAPI document.
 * PATCH's producer is simulated here (it applies the event the way the
 * projector would); the real round trip through Kafka is in sharedData.int.test.ts.
 * Requests carry the API_TOKEN unless a test says otherwise; who may read
 * what is system-tests/reliability/access.int.test.ts's subject.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { AppError } from '@medly/shared/errors';
import { createLogger } from '@medly/shared/logger';
import type { UserProfileChanged } from '@medly/shared/events/userProfileChanged';
import { projectorGroupId } from '@medly/shared/progress';
import { createApp } from './app.ts';
import type { ProfileEvents } from './profileUpdates.ts';
import { createTestCredentials, type TestCredentials } from './testing/credentials.ts';
import { startTestServer, type TestServer } from './testing/http.ts';
import { createMigratedDatabase, type MigratedDatabase } from './testing/migratedDatabase.ts';
import { createResponseChecker } from './testing/openapiResponses.ts';
import { SEED, seedProjection } from './testing/seed.ts';

const TOKEN = 'route-tests-token-0123456789abcdef';
const PREFIX = 'routes.';
const PROFILES_TOPIC = `${PREFIX}users.profiles`;

let database: MigratedDatabase;
let credentials: TestCredentials;
let server: TestServer;
let check: ReturnType<typeof createResponseChecker>;
let offset = 0;
/** What the simulated producer does with the next event: apply it like the projector, or leave it pending. */
let projectorRunning = true;
let brokerDown = false;
const published: UserProfileChanged[] = [];

/** What the projector does with a profile event: the row and the checkpoint, in one transaction. */
async function project(event: UserProfileChanged, next: number): Promise<void> {
  await database.pool.transaction(async (transaction) => {
    await transaction.query(sql.unsafe`
      UPDATE users SET display_name = ${event.displayName}, metadata = ${event.metadata === null ? null : JSON.stringify(event.metadata)}::jsonb,
                       profile_changed_at = ${event.changedAt}, profile_changed_by = ${event.changedBy ?? null}
      WHERE uid = ${event.uid}`);
    await transaction.query(sql.unsafe`
      INSERT INTO checkpoints (consumer_group, topic, partition, next_offset)
      VALUES (${projectorGroupId(PREFIX)}, ${PROFILES_TOPIC}, 0, ${next})
      ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`);
  });
}

/** One partition: every uid's changes land there, one after another. */
const profileEvents: ProfileEvents = {
  async publish(event) {
    if (brokerDown) throw new AppError('broker_unavailable', 'the profile change could not be produced', { retryable: true });
    published.push(event);
    offset += 1;
    if (projectorRunning) await project(event, offset);
    return { topic: PROFILES_TOPIC, partition: 0, offset };
  },
  endOffsetOf: () => Promise.resolve({ topic: PROFILES_TOPIC, partition: 0, offset }),
  settled: () => Promise.resolve(),
};

/** The projector comes back: what it had not applied is applied. */
async function catchUp(): Promise<void> {
  projectorRunning = true;
  const last = published.at(-1);
  if (last) await project(last, offset);
}

test.before(async () => {
  database = await createMigratedDatabase('api_routes');
  await seedProjection(database.pool);
  credentials = await createTestCredentials();
  const { app, openApiDocument } = createApp({
    pool: database.pool,
    config: credentials.appConfig({ API_TOKEN: TOKEN, TOPIC_PREFIX: PREFIX }),
    logger: createLogger({ level: 'silent', name: 'api-test' }),
    kafka: { endOffsets: () => Promise.resolve([{ topic: PROFILES_TOPIC, partition: 0, offset: 3 }]) },
    profileEvents,
    profileWaitMs: 300,
  });
  check = createResponseChecker(openApiDocument());
  server = await startTestServer(app);
});

// before() may have failed part-way: close what exists, so no database is left behind
test.after(async () => {
  await (server as TestServer | undefined)?.close();
  await (database as MigratedDatabase | undefined)?.drop();
});

/** GET (or any method) with the API_TOKEN unless the headers name another credential, checked against the OpenAPI document. */
async function call(path: string, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string> | undefined) };
  return check(init.method ?? 'GET', path, await server.request(path, { ...init, headers }));
}

interface Page<T> {
  data: T[];
  page: { limit: number; nextCursor: string | null };
}

async function walk<T>(firstPath: string, list: (body: unknown) => Page<T>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let path: string | null = firstPath;
  let pages = 0;
  while (path !== null) {
    const response = await call(path);
    assert.is(response.status, 200, path);
    const page = list(response.body);
    items.push(...page.data);
    pages += 1;
    assert.ok(pages < 1000, 'the walk ends');
    const separator: string = firstPath.includes('?') ? '&' : '?';
    path = page.page.nextCursor === null ? null : `${firstPath}${separator}cursor=${page.page.nextCursor}`;
  }
  return { items, pages };
}

const asPage = <T>(body: unknown) => body as Page<T>;

test('health reports the database and the projector lag', async () => {
  await database.pool.query(sql.unsafe`
    INSERT INTO checkpoints (consumer_group, topic, partition, next_offset) VALUES (${projectorGroupId(PREFIX)}, ${PROFILES_TOPIC}, 0, 0)
    ON CONFLICT DO NOTHING`);
  const { status, body } = await call('/health');
  assert.is(status, 200);
  assert.equal(body, { status: 'ok', db: 'up', kafka: 'up', projector: { lag: 3 - offset } });
});

test('GET /users/:id: profile with attempt counts', async () => {
  const { status, body } = await call(`/users/${SEED.uid}`);
  assert.is(status, 200);
  assert.equal(body, {
    uid: 'u1',
    displayName: null,
    metadata: null,
    profileChangedAt: null,
    profileChangedBy: null,
    firstSeen: '2025-01-01T10:00:00.000000Z',
    lastSeen: '2025-03-01T00:00:00.000000Z',
    // No snapshot has been taken of the seeded rows: last seen when first seen.
    seen: { firstSeenAt: '2025-06-01T00:00:00.000000Z', lastSeenAt: '2025-06-01T00:00:00.000000Z' },
    attempts: { total: 28, mock: 4, practice: 24, marked: 15 },
  });
  const idle = await call(`/users/${SEED.idleUid}`);
  assert.equal((idle.body as { attempts: unknown }).attempts, { total: 0, mock: 0, practice: 0, marked: 0 });
});

test('GET /users/:id: unknown is 404, a malformed id is 400 before any SQL', async () => {
  assert.is((await call('/users/nobody')).status, 404);
  for (const id of ['bad%20id', 'a%27%3B--', 'x'.repeat(257), '%E2%9C%93']) {
    const { status, body } = await call(`/users/${id}`);
    assert.is(status, 400, id);
    assert.is((body as { errors: { in: string }[] }).errors[0]?.in, 'path');
  }
});

test('GET /users/:id/activity walks every attempt exactly once, newest first, undated last, at any limit', async () => {
  const expected = await database.pool.anyFirst(
    sql.type(z.object({ path: z.string() }))`SELECT path FROM attempts WHERE uid = ${SEED.uid} ORDER BY created_at DESC NULLS LAST, path DESC`,
  );
  assert.is(expected.length, SEED.attemptCount);
  for (const limit of [1, 2, 3, 7, 20, 27, 28, 100]) {
    const { items, pages } = await walk(`/users/${SEED.uid}/activity?limit=${limit}`, asPage<{ path: string; createdAt: string | null }>);
    assert.equal(items.map((item) => item.path), [...expected], `limit ${limit}`);
    assert.is(new Set(items.map((item) => item.path)).size, SEED.attemptCount, `no duplicate at limit ${limit}`);
    assert.is(pages, Math.ceil(SEED.attemptCount / limit), `pages at limit ${limit}`);
  }
  const { items } = await walk(`/users/${SEED.uid}/activity`, asPage<{ path: string; createdAt: string | null; item: unknown }>);
  assert.is(items[0]?.createdAt, '2025-03-01T00:00:00.000000Z', 'newest first');
  assert.equal(items.slice(-2).map((item) => item.createdAt), [null, null], 'undated last');
  const unknownItem = items.find((item) => item.path.endsWith('/nope_q'));
  assert.is(unknownItem?.item, null, 'an attempt on an unknown item has no item summary');
});

test('GET /users/:id/activity: item summaries and filters', async () => {
  const first = asPage<{ questionID: string; item: { questionID: string; markMax: number | null } | null }>(
    (await call(`/users/${SEED.uid}/activity?paper=${SEED.paperId}&limit=100`)).body,
  );
  assert.equal(first.data.map((attempt) => attempt.questionID), ['pA_10_1', 'pA_2_1', 'pA_1_2', 'pA_1_1']);
  assert.equal(first.data[3]?.item, { questionID: 'pA_1_1', questionType: 'long_answer', text: 'One a', markMax: 2, difficulty: 2 });

  const chem = asPage<{ subjectId: string }>((await call(`/users/${SEED.uid}/activity?subject=chem`)).body);
  assert.equal(chem.data.map((attempt) => attempt.subjectId), ['chem']);

  // made in the lesson (23 practice attempts) or on an item linked to it (the mock attempt on pA_1_1)
  const lesson = await walk(`/users/${SEED.uid}/activity?lesson=bio0.0.0&limit=5`, asPage<{ questionID: string }>);
  assert.is(lesson.items.length, 24);
  assert.ok(lesson.items.some((attempt) => attempt.questionID === 'pA_1_1'));
  const linkedOnly = asPage<{ questionID: string }>((await call(`/users/${SEED.uid}/activity?lesson=bio0.0.1`)).body);
  assert.equal(linkedOnly.data.map((attempt) => attempt.questionID), ['pA_1_1']);

  const none = asPage<unknown>((await call(`/users/${SEED.uid}/activity?paper=nopaper`)).body);
  assert.equal(none, { data: [], page: { limit: 20, nextCursor: null } });
});

test('GET /users/:id/activity: documented errors', async () => {
  assert.is((await call('/users/nobody/activity')).status, 404);
  for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=forged', 'paper=bad%20id', 'sort=asc']) {
    assert.is((await call(`/users/${SEED.uid}/activity?${query}`)).status, 400, query);
  }
  const lessonCursor = asPage<unknown>((await call(`/lessons/${SEED.lessonId}?limit=1`)).body);
  const foreign = (lessonCursor as unknown as { practiceItems: Page<unknown> }).practiceItems.page.nextCursor;
  assert.ok(foreign);
  assert.is((await call(`/users/${SEED.uid}/activity?cursor=${foreign}`)).status, 400, 'another list\'s cursor');
});

test('GET /users/:id/progress: totals per unit, topic and lesson', async () => {
  const { status, body } = await call(`/users/${SEED.uid}/progress?include=all`);
  assert.is(status, 200);
  interface Totals {
    attempts: number;
    marked: number;
    marksEarned: number;
    marksAvailable: number;
    lastAttemptAt: string | null;
  }
  const progress = body as {
    totals: Totals;
    unplaced: Totals;
    subjects: { subjectId: string; totals: Totals; units: { title: string; totals: Totals; topics: { title: string; totals: Totals; lessons: { lessonId: string; totals: Totals }[] }[] }[] }[];
  };
  assert.equal(progress.subjects.map((subject) => [subject.subjectId, subject.totals.attempts]), [['bio', 27], ['chem', 1]]);
  assert.equal(progress.totals, { attempts: 28, marked: 15, marksEarned: 18, marksAvailable: 30, lastAttemptAt: '2025-03-01T00:00:00.000000Z' });
  assert.equal(progress.unplaced, { attempts: 3, marked: 2, marksEarned: 4, marksAvailable: 5, lastAttemptAt: '2025-01-15T00:00:00.000000Z' });
  const [cells, organisation] = progress.subjects[0]?.units ?? [];
  assert.equal(cells?.totals, { attempts: 25, marked: 13, marksEarned: 14, marksAvailable: 25, lastAttemptAt: '2025-03-01T00:00:00.000000Z' });
  const [structure, transport] = cells?.topics ?? [];
  assert.equal(structure?.totals, { attempts: 24, marked: 12, marksEarned: 13, marksAvailable: 22, lastAttemptAt: '2025-03-01T00:00:00.000000Z' });
  assert.equal(structure?.lessons.map((lesson) => [lesson.lessonId, lesson.totals.attempts, lesson.totals.marksEarned, lesson.totals.marksAvailable]), [
    ['bio0.0.0', 24, 13, 22],
    ['bio0.0.1', 1, 2, 2],
  ]);
  assert.equal(transport?.lessons.map((lesson) => [lesson.lessonId, lesson.totals.attempts, lesson.totals.marksEarned]), [['bio0.1.0', 1, 1]]);
  assert.equal(organisation?.totals, { attempts: 0, marked: 0, marksEarned: 0, marksAvailable: 0, lastAttemptAt: null });

  // by default only what was attempted: the untouched unit is left out, the rest is identical
  const attempted = (await call(`/users/${SEED.uid}/progress`)).body as typeof progress;
  assert.equal(attempted.subjects[0]?.units.map((unit) => unit.title), ['Cells']);
  assert.equal(attempted.subjects[0]?.units[0], cells);
  assert.equal([attempted.totals, attempted.unplaced], [progress.totals, progress.unplaced]);

  const filtered = (await call(`/users/${SEED.uid}/progress?subject=chem`)).body as { totals: Totals; subjects: unknown[] };
  assert.is(filtered.totals.attempts, 1);
  assert.is(filtered.subjects.length, 1);
  assert.is((await call('/users/nobody/progress')).status, 404);
  assert.is((await call(`/users/${SEED.uid}/progress?subject=a%20b`)).status, 400);
  assert.is((await call(`/users/${SEED.uid}/progress?include=some`)).status, 400);
});

test('GET /lessons/:lessonId: unit, topic, bank and a full walk of its practice items', async () => {
  const { status, body } = await call(`/lessons/${SEED.lessonId}?limit=1`);
  assert.is(status, 200);
  const lesson = body as Record<string, unknown>;
  assert.equal(
    { lessonId: lesson.lessonId, title: lesson.title, inCourse: lesson.inCourse, unit: lesson.unit, topic: lesson.topic, practiceBank: lesson.practiceBank },
    {
      lessonId: 'bio0.0.0',
      title: 'Cell types',
      inCourse: true,
      unit: { unitIndex: 0, title: 'Cells' },
      topic: { topicIndex: 0, title: 'Structure' },
      practiceBank: { originalLessonId: 'bio0.0.0', questionCount: 14 },
    },
  );
  const expected = await database.pool.anyFirst(
    sql.type(z.object({ question_id: z.string() }))`
      SELECT question_id FROM item_appearances WHERE kind = 'practice' AND container_id = ${SEED.lessonId}
      ORDER BY question_number, part, question_id`,
  );
  assert.is(expected.length, SEED.lessonPracticeItems);
  for (const limit of [1, 4, 5, 20, 26, 100]) {
    const { items, pages } = await walk(`/lessons/${SEED.lessonId}?limit=${limit}`, (page) =>
      (page as { practiceItems: Page<{ questionID: string }> }).practiceItems,
    );
    assert.equal(items.map((item) => item.questionID), [...expected], `limit ${limit}`);
    assert.is(pages, Math.ceil(SEED.lessonPracticeItems / limit));
  }
});

test('GET /lessons/:lessonId: a bank outside the course; a lesson without a bank; errors', async () => {
  const orphan = (await call(`/lessons/${SEED.orphanBankLessonId}`)).body as Record<string, unknown>;
  assert.is(orphan.inCourse, false);
  assert.equal(orphan.unit, { unitIndex: 5, title: 'Bank unit' });
  assert.equal(orphan.practiceBank, { originalLessonId: 'old.orphan', questionCount: 1 });
  assert.is((orphan.practiceItems as Page<unknown>).data.length, 2);
  const bankless = (await call('/lessons/bio1.0.0')).body as Record<string, unknown>;
  assert.equal([bankless.practiceBank, bankless.practiceItems], [null, { data: [], page: { limit: 20, nextCursor: null } }]);
  assert.is((await call('/lessons/nolesson')).status, 404);
  assert.is((await call(`/lessons/${SEED.lessonId}?limit=101`)).status, 400);
  assert.is((await call(`/lessons/${SEED.lessonId}?cursor=eyJ4IjoxfQ`)).status, 400);
});

test('GET /papers/:paperId: items by question number (numerically), then part, each with its part label', async () => {
  const { status, body } = await call(`/papers/${SEED.paperId}`);
  assert.is(status, 200);
  const paper = body as { items: { questionID: string; questionNumber: number; part: number; partLabel: string | null }[]; totalMarks: number; tier: string };
  assert.equal(paper.items.map((item) => item.questionID), [...SEED.paperOrder]);
  assert.equal(paper.items.map((item) => [item.questionNumber, item.part, item.partLabel]), [[1, 1, '1a'], [1, 2, '1b'], [2, 1, '1'], [10, 1, null]]);
  assert.is(paper.totalMarks, 10);
  assert.is(paper.tier, 'Higher');
  assert.is((await call('/papers/nopaper')).status, 404);
  assert.is((await call('/papers/no%2Fpaper')).status, 400);
});

test('GET /items/:questionID: canonical content, both appearances, lessons resolved or not', async () => {
  const { status, body } = await call(`/items/${SEED.sharedItem}`);
  assert.is(status, 200);
  const item = body as {
    text: string;
    canonical: unknown;
    appearances: { kind: string; containerId: string }[];
    lessons: { lessonId: string; resolved: boolean; via: unknown[] }[];
  };
  assert.is(item.text, 'One a', 'the paper\'s wording is canonical');
  assert.equal(item.canonical, { kind: 'paper', containerId: 'paperA', contentVariants: 2 });
  assert.equal(item.appearances.map((appearance) => [appearance.kind, appearance.containerId]), [['paper', 'paperA'], ['practice', 'bio0.0.0']]);
  assert.equal(item.lessons.map((lesson) => [lesson.lessonId, lesson.resolved, lesson.via.length]), [
    ['bio0.0.0', true, 2],
    ['bio0.0.1', true, 1],
    ['ghost.lesson', false, 1],
  ]);
  assert.is((await call('/items/noitem')).status, 404);
  assert.is((await call('/items/%00')).status, 400);
});

const patch = (uid: string, body: unknown, token: string | null = TOKEN) =>
  call(`/users/${uid}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: token ? `Bearer ${token}` : '' },
    body: JSON.stringify(body),
  });

test('PATCH /users/:id: 401 without the token, and nothing is produced', async () => {
  const before = published.length;
  assert.is((await patch(SEED.uid, { displayName: 'Mallory' }, null)).status, 401);
  assert.is((await patch(SEED.uid, { displayName: 'Mallory' }, 'wrong-token-wrong-token')).status, 401);
  assert.is(published.length, before);
});

test('PATCH /users/:id: 200 with the applied profile; the next GET shows it', async () => {
  const { status, body } = await patch(SEED.uid, { displayName: '  Ada Lovelace  ', metadata: { year: 10, tags: ['a'] } });
  assert.is(status, 200);
  assert.equal((body as { displayName: string }).displayName, 'Ada Lovelace');
  const event = published.at(-1);
  assert.equal(
    { uid: event?.uid, displayName: event?.displayName, metadata: event?.metadata },
    { uid: 'u1', displayName: 'Ada Lovelace', metadata: { year: 10, tags: ['a'] } },
  );
  assert.match(event?.requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.is(event?.changedBy, 'service:api-token', 'attributed to the API_TOKEN');
  const after = (await call(`/users/${SEED.uid}`)).body as { displayName: string; metadata: unknown; profileChangedAt: string | null; profileChangedBy: string | null };
  assert.equal([after.displayName, after.metadata, after.profileChangedBy], ['Ada Lovelace', { year: 10, tags: ['a'] }, 'service:api-token']);
  assert.ok(after.profileChangedAt);

  // a field left out keeps its value; null clears
  await patch(SEED.uid, { metadata: null });
  const cleared = (await call(`/users/${SEED.uid}`)).body as { displayName: string; metadata: unknown };
  assert.equal([cleared.displayName, cleared.metadata], ['Ada Lovelace', null]);
});

test('PATCH /users/:id: each change is attributed to its caller and its request', async () => {
  const staffToken = await credentials.staff('teacher-7');
  const response = await server.request(`/users/${SEED.uid}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken}`, 'x-request-id': 'attribution-check-1' },
    body: JSON.stringify({ displayName: 'By staff' }),
  });
  const { status, body } = await check('PATCH', `/users/${SEED.uid}`, response);
  assert.is(status, 200);
  assert.is((body as { profileChangedBy: string }).profileChangedBy, 'user:teacher-7');
  assert.equal([published.at(-1)?.changedBy, published.at(-1)?.requestId], ['user:teacher-7', 'attribution-check-1']);
  await patch(SEED.uid, { displayName: 'By a service' }, credentials.serviceWriter);
  assert.is(((await call(`/users/${SEED.uid}`)).body as { profileChangedBy: string }).profileChangedBy, 'service:writer');
});

test('PATCH /users/:id: concurrent changes to one user are serialised, neither is lost', async () => {
  const [name, metadata] = await Promise.all([
    patch(SEED.uid, { displayName: 'Concurrent name' }),
    patch(SEED.uid, { metadata: { concurrent: true } }),
  ]);
  assert.equal([name.status, metadata.status], [200, 200]);
  const after = (await call(`/users/${SEED.uid}`)).body as { displayName: string; metadata: unknown };
  assert.equal([after.displayName, after.metadata], ['Concurrent name', { concurrent: true }]);
});

const authorization = `Bearer ${TOKEN}`;
const etagOf = async (target: TestServer = server) => (await target.request(`/users/${SEED.uid}`, { headers: { authorization } })).headers.get('etag') ?? '';
const patchIf = (ifMatch: string | undefined, body: unknown, target: TestServer = server) =>
  target.request(`/users/${SEED.uid}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
    body: JSON.stringify(body),
  });

test('GET /users/:id: a strong ETag of the profile; If-None-Match with it is 304 without a body', async () => {
  const first = await server.request(`/users/${SEED.uid}`, { headers: { authorization } });
  const etag = first.headers.get('etag') ?? '';
  assert.match(etag, /^"[A-Za-z0-9_-]{32}"$/);
  assert.is(await etagOf(), etag, 'the same state, the same tag');
  for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
    const cached = await server.request(`/users/${SEED.uid}`, { headers: { authorization, 'if-none-match': ifNoneMatch } });
    assert.is(cached.headers.get('etag'), etag);
    assert.is((await check('GET', `/users/${SEED.uid}`, cached)).status, 304, ifNoneMatch);
  }
  const other = await server.request(`/users/${SEED.uid}`, { headers: { authorization, 'if-none-match': '"something-else"' } });
  assert.is((await check('GET', `/users/${SEED.uid}`, other)).status, 200);
  // HEAD too (curl -I): the tag without the body, and 304 the same way
  const head = await server.request(`/users/${SEED.uid}`, { method: 'HEAD', headers: { authorization } });
  assert.equal([head.status, head.headers.get('etag')], [200, etag]);
  assert.is((await server.request(`/users/${SEED.uid}`, { method: 'HEAD', headers: { authorization, 'if-none-match': etag } })).status, 304);
});

test('PATCH /users/:id with If-Match: the current ETag is 200 with the new one; a stale one is 412 with the current one, and nothing is produced', async () => {
  const etag = await etagOf();
  const changed = await patchIf(etag, { displayName: 'Conditional' });
  const newTag = changed.headers.get('etag') ?? '';
  assert.is((await check('PATCH', `/users/${SEED.uid}`, changed)).status, 200);
  assert.ok(newTag !== '' && newTag !== etag);
  assert.is(await etagOf(), newTag, 'read-your-writes: GET shows the state the 200 named');

  const before = published.length;
  const stale = await patchIf(etag, { displayName: 'Lost update' });
  assert.is(stale.headers.get('etag'), newTag, 'the 412 names the current ETag');
  const { status, body } = await check('PATCH', `/users/${SEED.uid}`, stale);
  assert.is(status, 412);
  assert.match((body as { detail: string }).detail, /changed/);
  assert.is(published.length, before, 'nothing produced');
  assert.is(((await call(`/users/${SEED.uid}`)).body as { displayName: string }).displayName, 'Conditional');

  // one of a list, or *, matches; a weak tag never does (If-Match compares strongly)
  assert.is((await patchIf(`"old", ${newTag}`, { displayName: 'Listed' })).status, 200);
  assert.is((await patchIf('*', { metadata: { any: true } })).status, 200);
  assert.is((await patchIf(`W/${await etagOf()}`, { displayName: 'Weak' })).status, 412);
  const malformed = await check('PATCH', `/users/${SEED.uid}`, await patchIf('not-a-tag', { displayName: 'x' }));
  assert.is(malformed.status, 400);
  assert.is((malformed.body as { errors: { in: string; pointer: string }[] }).errors[0]?.in, 'header');
  assert.is((await patchIf('"x"', { displayName: 'x' }, server)).status, 412);
  const unknown = await server.request('/users/nobody-here', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization, 'if-match': '"x"' },
    body: '{"displayName":"x"}',
  });
  assert.is(unknown.status, 404, 'an unknown uid is a 404 whatever the precondition');
});

test('PATCH /users/:id: two API instances (two apps on one database) racing with one ETag: one 200, one 412 naming the winner', async () => {
  const other = createApp({
    pool: database.pool,
    config: credentials.appConfig({ API_TOKEN: TOKEN, TOPIC_PREFIX: PREFIX, PATCH_REQUIRES_IF_MATCH: 'true' }),
    logger: createLogger({ level: 'silent', name: 'api-test-2' }),
    kafka: { endOffsets: () => Promise.resolve([]) },
    profileEvents,
    profileWaitMs: 300,
  });
  const otherServer = await startTestServer(other.app);
  try {
    for (let round = 0; round < 5; round += 1) {
      const etag = await etagOf();
      const answers = await Promise.all([patchIf(etag, { displayName: `here ${round}` }), patchIf(etag, { displayName: `there ${round}` }, otherServer)]);
      assert.equal(answers.map((answer) => answer.status).sort(), [200, 412], `round ${round}`);
      const [winner, loser] = answers.toSorted((a, b) => a.status - b.status);
      assert.is(loser?.headers.get('etag'), winner?.headers.get('etag') ?? 'none');
      assert.is(await etagOf(otherServer), winner?.headers.get('etag') ?? 'none');
    }
    // that instance requires If-Match
    const unconditional = await patchIf(undefined, { displayName: 'blind' }, otherServer);
    assert.is(unconditional.status, 428);
    assert.match(unconditional.headers.get('content-type') ?? '', /problem\+json/);
  } finally {
    await otherServer.close();
  }
});

test('PATCH /users/:id: 202 when the projector does not apply it within the bound', async () => {
  projectorRunning = false;
  try {
    const started = Date.now();
    const response = await server.request(`/users/${SEED.uid}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ displayName: 'Later' }),
    });
    assert.is(response.headers.get('location'), `/users/${SEED.uid}`);
    const { status, body } = await check('PATCH', `/users/${SEED.uid}`, response);
    assert.is(status, 202);
    assert.ok(Date.now() - started >= 300, 'it waited');
    assert.equal((body as { status: string; displayName: string }).displayName, 'Later');
    assert.is(response.headers.get('etag'), null, 'no ETag: the state it will have is not known yet');

    // While it is not applied, the profile's current state is not known: a change would build on a stale one.
    const before = published.length;
    const next = await patch(SEED.uid, { metadata: { after: 'later' } });
    assert.is(next.status, 503);
    assert.is(published.length, before, 'nothing produced');
  } finally {
    await catchUp();
  }
  const { body } = await patch(SEED.uid, { metadata: { after: 'later' } });
  assert.equal([(body as { displayName: string }).displayName, (body as { metadata: unknown }).metadata], ['Later', { after: 'later' }], 'built on the pending change');
});

test('PATCH /users/:id: 503 with Retry-After when the broker is away; nothing of it is shown', async () => {
  brokerDown = true;
  try {
    const response = await server.request(`/users/${SEED.uid}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ displayName: 'Never' }),
    });
    assert.is(response.headers.get('retry-after'), '5');
    const { status, body } = await check('PATCH', `/users/${SEED.uid}`, response);
    assert.is(status, 503);
    assert.not.match(JSON.stringify(body), /broker_unavailable|could not be produced/);
  } finally {
    brokerDown = false;
  }
  assert.is.not(((await call(`/users/${SEED.uid}`)).body as { displayName: string }).displayName, 'Never');
});

test('PATCH /users/:id: validation, 404, 413, 415', async () => {
  const invalid = [
    {},
    { displayName: '   ' },
    { displayName: 'x'.repeat(101) },
    { displayName: 5 },
    { displayName: 'tab\there' },
    { metadata: [] },
    { metadata: 'text' },
    { metadata: { big: 'x'.repeat(16 * 1024) } },
    { displayName: 'ok', role: 'admin' },
  ];
  for (const body of invalid) {
    const { status, body: problem } = await patch(SEED.uid, body);
    assert.is(status, 400, JSON.stringify(body).slice(0, 60));
    assert.ok((problem as { errors: unknown[] }).errors.length > 0);
  }
  assert.is((await patch('x'.repeat(100), { displayName: 'x' })).status, 404);
  assert.is((await patch(SEED.uid, { metadata: { big: 'x'.repeat(70 * 1024) } })).status, 413);
  const form = await call(`/users/${SEED.uid}`, {
    method: 'PATCH',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` },
    body: '{"displayName":"x"}',
  });
  assert.is(form.status, 415);
  // just under the limit is fine
  const { status } = await patch(SEED.uid, { metadata: { big: 'x'.repeat(16 * 1024 - 20) } });
  assert.is(status, 200);
});

test('errors on unknown routes and methods are documented problems too', async () => {
  const unknown = await server.request('/nothing/here');
  assert.is(unknown.status, 404);
  assert.match(unknown.headers.get('content-type') ?? '', /problem\+json/);
  const wrongMethod = await server.request(`/papers/${SEED.paperId}`, { method: 'POST' });
  assert.is(wrongMethod.status, 405);
  assert.match(wrongMethod.headers.get('content-type') ?? '', /problem\+json/);
});

test.run();
