/**
 * The API over the shared data as `pnpm import` really projects it (producers →
 * Kafka → projector → Postgres), with a real producer for PATCH and the real
 * projector applying it. Every response is checked against the OpenAPI document.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { createJsonCodec } from '@medly/shared/codec';
import { createKafka, type Admin, type Producer } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { createApp } from './app.ts';
import { createKafkaProbe } from './kafkaProbe.ts';
import { createProfilePublisher } from './profilePublisher.ts';
import { createTestCredentials, type TestCredentials } from './testing/credentials.ts';
import { startTestServer, type TestServer } from './testing/http.ts';
import { importSharedData, type ImportedData } from './testing/importedData.ts';
import { createResponseChecker } from './testing/openapiResponses.ts';

const TOKEN = 'shared-data-tests-token-0123456789';
const MOCK1 = 'medlymockaqaGCSEBio_Sept_Mock1Higher';
const MOCK2 = 'medlymockaqaGCSEBio_Sept_Mock2Higher';
const ITEM = 'aqaGCSEBio_1_1_1_EBc0BgD11T';
const USER = '05IsdAyoSnekvovtyr2fC5cNOnF3';

let data: ImportedData;
let credentials: TestCredentials;
let server: TestServer;
let admin: Admin;
let producer: Producer;
let check: ReturnType<typeof createResponseChecker>;

test.before(async () => {
  data = await importSharedData('api_shared');
  const logger = createLogger({ level: 'silent', name: 'api-test' });
  const kafka = createKafka({ brokers: data.kafkaBrokers, clientId: 'api-test', logger });
  admin = kafka.admin();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await admin.connect();
  credentials = await createTestCredentials();
  const { app, openApiDocument } = createApp({
    pool: data.pool,
    config: credentials.appConfig({ API_TOKEN: TOKEN, TOPIC_PREFIX: data.topicPrefix }),
    logger,
    kafka: createKafkaProbe(admin),
    profileEvents: createProfilePublisher({ producer, admin, codec: createJsonCodec(), topicPrefix: data.topicPrefix, partitions: 3 }),
  });
  check = createResponseChecker(openApiDocument());
  server = await startTestServer(app);
});

// before() may have failed part-way: release what exists, so no database or topic is left behind
test.after(async () => {
  await (server as TestServer | undefined)?.close();
  await (producer as Producer | undefined)?.disconnect();
  if ((admin as Admin | undefined) && (data as ImportedData | undefined)) {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(data.topicPrefix));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
  await (data as ImportedData | undefined)?.cleanup();
});

/** With the API_TOKEN unless the headers name another credential. */
async function call(path: string, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string> | undefined) };
  return check(init.method ?? 'GET', path, await server.request(path, { ...init, headers }));
}

interface Page<T> {
  data: T[];
  page: { limit: number; nextCursor: string | null };
}

async function walk<T>(first: string, list: (body: unknown) => Page<T>): Promise<T[]> {
  const items: T[] = [];
  let path: string | null = first;
  for (let pages = 0; path !== null; pages += 1) {
    assert.ok(pages < 10_000);
    const { status, body } = await call(path);
    assert.is(status, 200, path);
    const page = list(body);
    items.push(...page.data);
    path = page.page.nextCursor === null ? null : `${first}&cursor=${page.page.nextCursor}`;
  }
  return items;
}

test(`GET /papers/${MOCK1}: 35 items in question / part order; ${MOCK2}: 29`, async () => {
  for (const [paperId, count] of [[MOCK1, 35], [MOCK2, 29]] as const) {
    const { status, body } = await call(`/papers/${paperId}`);
    assert.is(status, 200);
    const items = (body as { items: { questionNumber: number; part: number; partLabel: string | null; questionID: string }[] }).items;
    assert.is(items.length, count, paperId);
    assert.ok(items.every((item) => item.partLabel === String(item.part)), 'the real parts are numbered: each label is its number');
    const sorted = items.toSorted((a, b) => a.questionNumber - b.questionNumber || a.part - b.part);
    assert.equal(items.map((item) => item.questionID), sorted.map((item) => item.questionID), `${paperId} is in order`);
    assert.is(new Set(items.map((item) => `${item.questionNumber}.${item.part}`)).size, count, 'each (question, part) once');
  }
  assert.is(((await call(`/papers/${MOCK1}`)).body as { items: { questionID: string }[] }).items[0]?.questionID, ITEM);
});

test(`GET /items/${ITEM}: its paper and practice appearances and its 3 lessons, all resolved`, async () => {
  const { status, body } = await call(`/items/${ITEM}`);
  assert.is(status, 200);
  const item = body as {
    appearances: { kind: string; containerId: string }[];
    lessons: { lessonId: string; resolved: boolean; title: string | null }[];
    canonical: { kind: string };
  };
  assert.equal(item.appearances.map((appearance) => appearance.kind), ['paper', 'practice']);
  assert.is(item.appearances[0]?.containerId, MOCK1);
  assert.is(item.canonical.kind, 'paper');
  assert.is(item.lessons.length, 3);
  assert.ok(item.lessons.every((lesson) => lesson.resolved && lesson.title), 'resolved, with titles');
});

test(`GET /users/${USER}/activity pages through exactly 35 attempts at any limit`, async () => {
  for (const limit of [1, 2, 3, 4, 6, 7, 10, 20, 34, 35, 36, 100]) {
    const attempts = await walk(`/users/${USER}/activity?limit=${limit}`, (body) => body as Page<{ path: string; createdAt: string | null }>);
    assert.is(attempts.length, 35, `limit ${limit}`);
    assert.is(new Set(attempts.map((attempt) => attempt.path)).size, 35, `no duplicate at limit ${limit}`);
    const times = attempts.map((attempt) => attempt.createdAt ?? '');
    assert.equal(times, times.toSorted().toReversed(), `newest first at limit ${limit}`);
  }
});

test('activity filtered by item: the user\'s attempts at that item, read through the (uid, question_id) index', async () => {
  const { status, body } = await call(`/users/${USER}/activity?item=${ITEM}`);
  assert.is(status, 200);
  const attempts = (body as Page<{ questionID: string }>).data;
  assert.ok(attempts.length > 0, 'the user attempted the item');
  assert.ok(attempts.every((attempt) => attempt.questionID === ITEM));
  assert.equal((await call(`/users/${USER}/activity?item=no_such_item`)).body, { data: [], page: { limit: 20, nextCursor: null } });

  const plan = await data.pool.anyFirst(sql.type(z.object({ 'QUERY PLAN': z.string() }))`
    EXPLAIN SELECT a.path FROM attempts a
    WHERE a.uid = ${USER} AND a.question_id = ${ITEM} AND a.created_at IS NOT NULL
    ORDER BY a.created_at DESC, a.path DESC LIMIT 21`);
  assert.match(plan.join('\n'), /attempts__uid_question_id_created_at_path__idx/);
});

test('papers, lessons, items and users say when their record was first and last seen in an export', async () => {
  const seenOf = async (path: string, pick: (body: Record<string, unknown>) => unknown) => {
    const { status, body } = await call(path);
    assert.is(status, 200, path);
    return pick(body as Record<string, unknown>) as { firstSeenAt: string; lastSeenAt: string };
  };
  const seen = [
    await seenOf(`/papers/${MOCK1}`, (body) => body.seen),
    await seenOf('/lessons/aqaGCSEBio0.0.0', (body) => body.seen),
    await seenOf(`/items/${ITEM}`, (body) => body.provenance),
    await seenOf(`/users/${USER}`, (body) => body.seen),
  ];
  // One import: every record was first and last seen in it.
  const imports = new Set(seen.flatMap(({ firstSeenAt, lastSeenAt }) => [firstSeenAt, lastSeenAt]));
  assert.is(imports.size, 1, JSON.stringify(seen));
});

test('a lesson\'s practice items page through without gap or duplicate', async () => {
  const [largest] = await data.pool.any(
    sql.type(z.object({ lesson_id: z.string(), items: z.number() }))`
      SELECT container_id AS lesson_id, count(*)::int AS items FROM item_appearances
      WHERE kind = 'practice' GROUP BY container_id ORDER BY count(*) DESC, container_id LIMIT 1`,
  );
  assert.ok(largest && largest.items > 20);
  const expected = await data.pool.anyFirst(
    sql.type(z.object({ question_id: z.string() }))`
      SELECT question_id FROM item_appearances WHERE kind = 'practice' AND container_id = ${largest.lesson_id}
      ORDER BY question_number, part, question_id`,
  );
  for (const limit of [1, 3, 20, 100]) {
    const items = await walk(`/lessons/${largest.lesson_id}?limit=${limit}`, (body) =>
      (body as { practiceItems: Page<{ questionID: string }> }).practiceItems,
    );
    assert.equal(items.map((item) => item.questionID), [...expected], `limit ${limit}`);
  }
});

test('every route answers on the shared data', async () => {
  const health = await call('/health');
  assert.equal([health.status, (health.body as { db: string; kafka: string }).db, (health.body as { kafka: string }).kafka], [200, 'up', 'up']);
  const user = (await call(`/users/${USER}`)).body as { attempts: { total: number } };
  assert.is(user.attempts.total, 35);
  const progress = (await call(`/users/${USER}/progress?include=all`)).body as { totals: { attempts: number }; subjects: { units: unknown[] }[] };
  assert.is(progress.totals.attempts, 35);
  assert.is(progress.subjects[0]?.units.length, 8);
  const lesson = (await call('/lessons/aqaGCSEBio0.0.0')).body as { unit: { title: string }; topic: { title: string } };
  assert.equal([lesson.unit.title, lesson.topic.title], ['Cell biology', 'The Structure of Cells']);
  const filtered = (await call(`/users/${USER}/activity?paper=${MOCK1}&limit=100`)).body as Page<{ paperId: string }>;
  assert.ok(filtered.data.length > 0 && filtered.data.every((attempt) => attempt.paperId === MOCK1));
  for (const path of ['/users/nobody', '/items/nothing', '/papers/nothing', '/lessons/nothing', '/users/nobody/activity']) {
    assert.is((await call(path)).status, 404, path);
  }
});

test('PATCH /users/:id: 401 without a token; with one, the projector applies it, attributed, and the next GET shows it', async () => {
  const body = JSON.stringify({ displayName: 'Rosalind Franklin', metadata: { cohort: '2025' } });
  const headers = { 'content-type': 'application/json' };
  assert.is((await call(`/users/${USER}`, { method: 'PATCH', headers: { ...headers, authorization: '' }, body })).status, 401);
  const student = `Bearer ${await credentials.user(USER)}`;
  assert.is((await call(`/users/${USER}`, { method: 'PATCH', headers: { ...headers, authorization: student }, body })).status, 403, 'a student may not');

  await data.startProjector();
  const patched = await call(`/users/${USER}`, { method: 'PATCH', headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body });
  assert.ok(patched.status === 200 || patched.status === 202, String(patched.status));
  // 202 when the projector was still starting: the change is durable on the topic and arrives
  let shown: { displayName: string | null; metadata: unknown; profileChangedBy: string | null } | undefined;
  for (let tries = 0; tries < 300; tries += 1) {
    shown = (await call(`/users/${USER}`)).body as typeof shown;
    if (shown?.displayName === 'Rosalind Franklin') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(shown, { ...shown, displayName: 'Rosalind Franklin', metadata: { cohort: '2025' }, profileChangedBy: 'service:api-token' });
  // the student reads their own profile, and sees who changed it
  const own = (await call(`/users/${USER}`, { headers: { authorization: student } })).body as { profileChangedBy: string };
  assert.is(own.profileChangedBy, 'service:api-token');

  // with the projector running, a change is answered 200 with the applied profile
  const second = await call(`/users/${USER}`, {
    method: 'PATCH',
    headers: { ...headers, authorization: `Bearer ${await credentials.staff('teacher-1')}` },
    body: JSON.stringify({ displayName: 'R. Franklin' }),
  });
  assert.is(second.status, 200);
  assert.is((second.body as { profileChangedBy: string }).profileChangedBy, 'user:teacher-1', 'the projector wrote who made the change');
  assert.equal((second.body as { displayName: string; metadata: unknown }).displayName, 'R. Franklin');
  assert.equal((second.body as { metadata: unknown }).metadata, { cohort: '2025' }, 'metadata kept when not sent');
  const lag = ((await call('/health')).body as { projector: { lag: number | null } }).projector.lag;
  assert.is(lag, 0);
});

test('a change lands on the partition whose end offset PATCH waits for (partitionOfKey agrees with the producer)', async () => {
  const events = createProfilePublisher({ producer, admin, codec: createJsonCodec(), topicPrefix: data.topicPrefix, partitions: 3 });
  const uids = await data.pool.anyFirst(sql.type(z.object({ uid: z.string() }))`SELECT uid FROM users ORDER BY uid LIMIT 8`);
  const partitions = new Set<number>();
  for (const uid of uids) {
    const before = await events.endOffsetOf(uid);
    const landed = await events.publish({ uid, displayName: `Partition check ${uid.slice(0, 8)}`, metadata: null, changedAt: new Date().toISOString(), changedBy: 'service:api-token', requestId: 'partition-check' });
    assert.equal([landed.topic, landed.partition], [before.topic, before.partition], uid);
    assert.is(landed.offset, before.offset + 1, 'the end offset read before the send was the event\'s own offset');
    partitions.add(landed.partition);
  }
  assert.ok(partitions.size > 1, 'the uids spread over the partitions');
});

test.run();
