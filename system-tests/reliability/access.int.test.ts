/**
 * Who may read and change what, against the real API process (`pnpm api`) on
 * a real, seeded database, configured as production would be: user tokens
 * checked against a public key (here a local one, AUTH_PUBLIC_KEYS), staff by
 * a claim and by a list, service tokens by their SHA-256, and API_TOKEN.
 *
 * Every user route × every kind of credential: none, a malformed token, a
 * wrong signature, an expired token, another student's, the student's own,
 * staff (claim and list), a read and a write service token, API_TOKEN. Then
 * what a refusal does not say (whether a uid exists), what an accepted change
 * records (who, which request), and the rate limit on every user route.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase } from '@medly/shared/testing/database';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { allTopicNames } from '@medly/shared/topics';
import { createTestCredentials, LISTED_STAFF_UID, type TestCredentials } from '@medly/api/testing/credentials';
import { SEED } from '@medly/api/testing/seed';
import { startApiProcess, type ApiProcess } from './apiProcess.ts';
import { startProjectorProcess } from './projectorProcess.ts';
import { reportedHook } from './reportedHook.ts';
import { migrateAndSeed } from './seededDatabase.ts';

const logger = createLogger({ level: 'error', name: 'access' });
const topicPrefix = uniqueTopicPrefix('access');
const OWN = SEED.uid;
const OTHER = SEED.idleUid;

let credentials: TestCredentials;
let api: ApiProcess;
let limited: ApiProcess;
const cleanups: (() => Promise<unknown>)[] = [];

test.before(
  reportedHook(async () => {
    const { adminDatabaseUrl, kafkaBrokers } = await testServices();
    const database = await createTestDatabase(adminDatabaseUrl, 'access');
    cleanups.push(() => database.drop());
    // last, once nothing uses them
    cleanups.push(async () => {
      const admin = createKafka({ brokers: kafkaBrokers, clientId: 'access-cleanup', logger }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: allTopicNames(topicPrefix) }).catch(() => undefined);
      await admin.disconnect();
    });
    await migrateAndSeed(database.url, logger);
    // Changes are applied as in production: the API builds each on the last, which must be applied first.
    const projector = await startProjectorProcess({ databaseUrl: database.url, kafkaBrokers, topicPrefix });
    cleanups.push(() => projector.stop());
    credentials = await createTestCredentials();
    const settings = { ...credentials.settings, RATE_LIMIT_REQUESTS: '0' };
    api = await startApiProcess({ databaseUrl: database.url, kafkaBrokers, topicPrefix, logLevel: 'info', settings });
    cleanups.push(() => api.stop());
    limited = await startApiProcess({
      databaseUrl: database.url,
      kafkaBrokers,
      topicPrefix,
      settings: { ...credentials.settings, RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW_SECONDS: '60' },
    });
    cleanups.push(() => limited.stop());
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type Route = 'GET /users/:id' | 'GET /users/:id/activity' | 'GET /users/:id/progress' | 'PATCH /users/:id';
const ROUTES: readonly Route[] = ['GET /users/:id', 'GET /users/:id/activity', 'GET /users/:id/progress', 'PATCH /users/:id'];

function send(target: ApiProcess, route: Route, uid: string, authorization: string | undefined, requestId?: string): Promise<Response> {
  const [method = 'GET', template = ''] = route.split(' ');
  const headers: Record<string, string> = { ...(authorization === undefined ? {} : { authorization }), ...(requestId ? { 'x-request-id': requestId } : {}) };
  if (method === 'GET') return target.request(template.replace(':id', uid), { headers });
  return target.request(template.replace(':id', uid), {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'Changed in the access test' }),
  });
}

const READ: Record<Route, number[]> = { 'GET /users/:id': [200], 'GET /users/:id/activity': [200], 'GET /users/:id/progress': [200], 'PATCH /users/:id': [403] };
const READ_WRITE: Record<Route, number[]> = { ...READ, 'PATCH /users/:id': [200, 202] };
const WRITE_ONLY: Record<Route, number[]> = { 'GET /users/:id': [403], 'GET /users/:id/activity': [403], 'GET /users/:id/progress': [403], 'PATCH /users/:id': [200, 202] };
const all = (status: number): Record<Route, number[]> => ({ 'GET /users/:id': [status], 'GET /users/:id/activity': [status], 'GET /users/:id/progress': [status], 'PATCH /users/:id': [status] });

test('every user route × every kind of credential, for the student u1', async () => {
  const bearer = (token: string) => `Bearer ${token}`;
  const cases: [string, string | undefined, Record<Route, number[]>][] = [
    ['no credential', undefined, all(401)],
    ['a malformed token', 'Bearer eyJhbGciOiJFUzI1NiJ9.not-json.x', all(401)],
    ['not a bearer token', `Basic ${Buffer.from('u1:password').toString('base64')}`, all(401)],
    ['a wrong signature', bearer(await credentials.wrongSignature(OWN)), all(401)],
    ['an expired token', bearer(await credentials.expired(OWN)), all(401)],
    ['another student\'s token', bearer(await credentials.user(OTHER)), all(403)],
    ['the student\'s own token', bearer(await credentials.user(OWN)), READ],
    ['a staff token (claim)', bearer(await credentials.staff('staff-1')), READ_WRITE],
    ['a staff token (AUTH_STAFF_UIDS)', bearer(await credentials.user(LISTED_STAFF_UID)), READ_WRITE],
    ['a read service token', bearer(credentials.serviceReader), READ],
    ['a write service token', bearer(credentials.serviceWriter), WRITE_ONLY],
    ['API_TOKEN', bearer(credentials.apiToken), READ_WRITE],
  ];
  for (const [what, authorization, expected] of cases) {
    for (const route of ROUTES) {
      const response = await send(api, route, OWN, authorization);
      const body = await response.text();
      const allowed = expected[route];
      assert.ok(allowed.includes(response.status), `${what}, ${route}: ${response.status} (expected ${allowed.join(' or ')}): ${body.slice(0, 200)}`);
      if (response.status >= 400) {
        assert.is(response.headers.get('content-type')?.split(';')[0], 'application/problem+json', `${what}, ${route}`);
        assert.is((JSON.parse(body) as { status: number }).status, response.status);
      }
      if (response.status === 401) assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="medly"/, `${what}, ${route}`);
      assert.is(response.headers.get('cache-control'), 'private, no-store', `${what}, ${route}`);
    }
  }
});

test('a 401 says why, in the problem and in the Bearer challenge', async () => {
  const expired = await send(api, 'GET /users/:id', OWN, `Bearer ${await credentials.expired(OWN)}`);
  assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token", error_description="The token has expired\."/);
  assert.is(((await expired.json()) as { detail: string }).detail, 'The token has expired.');
  const none = await send(api, 'GET /users/:id', OWN, undefined);
  assert.is(none.headers.get('www-authenticate'), 'Bearer realm="medly"');
});

test('a caller who may not read a uid learns nothing about it: an existing and an unknown uid answer alike', async () => {
  const otherStudent = `Bearer ${await credentials.user(OTHER)}`;
  for (const route of ROUTES) {
    const [known, unknown] = await Promise.all([send(api, route, OWN, otherStudent), send(api, route, 'no-such-user-anywhere', otherStudent)]);
    const strip = async (response: Response) => {
      const { instance: _instance, requestId: _requestId, ...rest } = (await response.json()) as Record<string, unknown>;
      return { status: response.status, challenge: response.headers.get('www-authenticate'), ...rest };
    };
    assert.equal(await strip(known), await strip(unknown), route);
    const [knownAnonymous, unknownAnonymous] = await Promise.all([send(api, route, OWN, undefined), send(api, route, 'no-such-user-anywhere', undefined)]);
    assert.equal(await strip(knownAnonymous), await strip(unknownAnonymous), `${route}, no credential`);
  }
  // a malformed uid is no different to such a caller: refused before it is even validated
  assert.is((await send(api, 'GET /users/:id', "a'b", otherStudent)).status, 403);
  // whoever may read every uid is told that one does not exist
  assert.is((await send(api, 'GET /users/:id', 'no-such-user-anywhere', `Bearer ${credentials.serviceReader}`)).status, 404);
});

test('a change records who made it and in which request: the answer, the event, the log', async () => {
  const response = await send(api, 'PATCH /users/:id', OWN, `Bearer ${await credentials.staff('teacher-42')}`, 'access-attribution-1');
  assert.ok(response.status === 200 || response.status === 202, String(response.status));
  const body = (await response.json()) as { changedBy?: string; profileChangedBy?: string };
  assert.is(body.changedBy ?? body.profileChangedBy, 'user:teacher-42');
  let lines: string[] = [];
  for (let waited = 0; waited < 5_000 && lines.length < 2; waited += 100) {
    lines = api.output().split('\n').filter((line) => line.includes('access-attribution-1'));
    if (lines.length < 2) await sleep(100);
  }
  const produced = lines.find((line) => line.includes('profile change produced'));
  assert.ok(produced, lines.join('\n'));
  assert.match(produced, /"changedBy":"user:teacher-42"/);
  const access = lines.find((line) => line.includes('"statusCode"'));
  assert.match(access ?? '', /"caller":"user:teacher-42"/, 'the access log names the caller');
});

test('rate limit: past the limit every user route answers 429 with Retry-After, for that client only', async () => {
  const student = `Bearer ${await credentials.user(OWN)}`;
  for (let index = 0; index < 5; index += 1) assert.is((await send(limited, 'GET /users/:id', OWN, student)).status, 200);
  for (const route of ROUTES) {
    const response = await send(limited, route, OWN, student);
    assert.is(response.status, 429, route);
    assert.is(response.headers.get('content-type')?.split(';')[0], 'application/problem+json', route);
    const retryAfter = Number(response.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `${route}: Retry-After ${String(retryAfter)}`);
    assert.match(((await response.json()) as { detail: string }).detail, /at most 5 every 60 s/);
  }
  // another client, from the same address, has its own budget
  assert.is((await send(limited, 'GET /users/:id', OWN, `Bearer ${credentials.serviceReader}`)).status, 200);
  // anonymous callers are counted by address (whose budget the start-up's /health polls began), public routes included;
  // made-up tokens are no way around it
  const anonymous: number[] = [];
  while (anonymous.length < 6 && anonymous.at(-1) !== 429) anonymous.push((await limited.request('/papers/paperA')).status);
  assert.equal(anonymous.at(-1), 429, anonymous.join(', '));
  assert.ok(anonymous.slice(0, -1).every((status) => status === 200), anonymous.join(', '));
  assert.is((await limited.request('/papers/paperA', { headers: { authorization: 'Bearer invented-token-0000000000' } })).status, 429);
  assert.is((await send(limited, 'GET /users/:id', OWN, undefined)).status, 429, 'the limit comes before the 401');
});

test.run();
