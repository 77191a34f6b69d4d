/**
 * Access control and hostile requests against the real API process, on a
 * private Postgres that logs every statement (log_statement=all), so "ids are
 * validated before SQL" is checked where it matters: a refused id must never
 * reach the server, an accepted one is only ever a bound parameter.
 *
 * Covered: PATCH needs a credential with the write right (401 otherwise,
 * constant-time comparison of equal-length digests, nothing produced), no
 * user route answers without a configured credential, CORS closed unless configured,
 * security headers on every answer, the body limit (413, with or without a
 * Content-Length), oversized headers (431), and injection strings and odd
 * bytes in every path and query parameter: 400 or 404 (200 for a well-formed
 * filter), never a 5xx, and the tables untouched. Who may read what, route
 * by route and credential by credential, and the rate limits are
 * access.int.test.ts's subject; the logs' privacy is logPrivacy.int.test.ts's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabasePool, type DatabasePool } from '@medly/shared/db';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { startPrivatePostgres, type PrivatePostgres } from '@medly/shared/testing/privatePostgres';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { openSqlInspector } from '@medly/shared/testing/sqlInspector';
import { topicName } from '@medly/shared/topics';
import { createApp } from '@medly/api/app';
import { anonymousAppConfig } from '@medly/api/testing/credentials';
import { ID_PATTERN } from '@medly/api/params';
import { startTestServer } from '@medly/api/testing/http';
import { SEED } from '@medly/api/testing/seed';
import { startApiProcess, type ApiProcess } from './apiProcess.ts';
import { rawRequest, type RawResponse } from './rawHttp.ts';
import { reportedHook } from './reportedHook.ts';
import { migrateAndSeed } from './seededDatabase.ts';
import { unusedProfileEvents } from '@medly/api/testing/profileEvents';

const ROOT = resolve(import.meta.dirname, '../..');
const TOKEN = 'reliability-security-token-0123456789';
const WITH_TOKEN = { authorization: `Bearer ${TOKEN}` };
const logger = createLogger({ level: 'error', name: 'security' });
const topicPrefix = uniqueTopicPrefix('security');

let postgres: PrivatePostgres;
let api: ApiProcess;
let kafkaBrokers: string[];
let pool: DatabasePool;
const cleanups: (() => Promise<unknown>)[] = [];

test.before(
  reportedHook(async () => {
    kafkaBrokers = (await testServices()).kafkaBrokers;
    postgres = await startPrivatePostgres('security', { settings: { log_statement: 'all' } });
    cleanups.push(() => postgres.destroy());
    const admin = openSqlInspector(postgres.url());
    await admin.rows('CREATE DATABASE api');
    await admin.close();
    await migrateAndSeed(postgres.url('api'), logger);
    pool = await createDatabasePool(postgres.url('api'));
    cleanups.push(() => pool.end());
    // Hundreds of requests from one client: the limiter is access.int.test.ts's subject, not this file's.
    api = await startApiProcess({ databaseUrl: postgres.url('api'), kafkaBrokers, topicPrefix, apiToken: TOKEN, settings: { RATE_LIMIT_REQUESTS: '0' } });
    cleanups.push(() => api.stop());
    cleanups.push(async () => {
      const kafkaAdmin = createKafka({ brokers: kafkaBrokers, clientId: 'security-cleanup', logger }).admin();
      await kafkaAdmin.connect();
      await kafkaAdmin.deleteTopics({ topics: [topicName(topicPrefix, 'userProfiles')] }).catch(() => undefined);
      await kafkaAdmin.disconnect();
    });
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const patch = (path: string, headers: Record<string, string>, body: string = JSON.stringify({ displayName: 'Mallory' })) =>
  rawRequest(api.url, path, { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body });

async function profileEvents(): Promise<number> {
  const admin = createKafka({ brokers: kafkaBrokers, clientId: 'security-offsets', logger }).admin();
  await admin.connect();
  try {
    // The API creates the profiles topic on its first PATCH that gets through.
    const topic = topicName(topicPrefix, 'userProfiles');
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

test('PATCH without the right bearer token is 401 with a Bearer challenge, whatever is sent; nothing is produced', async () => {
  const wrong: [string, Record<string, string>][] = [
    ['no header', {}],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['wrong token, same length', { authorization: `Bearer ${'x'.repeat(TOKEN.length)}` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token and one more character', { authorization: `Bearer ${TOKEN}x` }],
    ['one character', { authorization: 'Bearer x' }],
    ['10 KB', { authorization: `Bearer ${'y'.repeat(10 * 1024)}` }],
    ['the token as Basic', { authorization: `Basic ${Buffer.from(`api:${TOKEN}`).toString('base64')}` }],
    ['the token without a scheme', { authorization: TOKEN }],
    ['the token twice', { authorization: `Bearer ${TOKEN} ${TOKEN}` }],
    ['the token with a non-ASCII tail', { authorization: `Bearer ${TOKEN}\u00e9` }],
    ['the token in a query parameter', {}],
  ];
  for (const [what, headers] of wrong) {
    const path = what === 'the token in a query parameter' ? `/users/${SEED.uid}?token=${TOKEN}` : `/users/${SEED.uid}`;
    const response = await patch(path, headers);
    assert.is(response.status, 401, `${what}: ${response.body.slice(0, 200)}`);
    assert.match(String(response.headers['www-authenticate']), /^Bearer /, what);
    assert.is(String(response.headers['content-type']).split(';')[0], 'application/problem+json', what);
  }
  assert.is(await profileEvents(), 0, 'no profile event was produced by any refused request');
  // Validation does not run before authentication: a bad id or body without the token is 401 too.
  assert.is((await patch('/users/%27%20OR%201%3D1', {})).status, 401);
  assert.is((await patch(`/users/${SEED.uid}`, {}, '{"displayName": 42}')).status, 401);
});

test('PATCH with the right token gets through (200 or 202) and produces exactly one event', async () => {
  const response = await patch(`/users/${SEED.uid}`, { authorization: `Bearer ${TOKEN}` });
  assert.ok([200, 202].includes(response.status), `${response.status}: ${response.body.slice(0, 300)}`);
  assert.is(await profileEvents(), 1);
});

test('service tokens are compared in constant time: timingSafeEqual over SHA-256 digests (equal lengths whatever is sent), every entry', async () => {
  const source = await readFile(resolve(ROOT, 'api/src/auth/serviceTokens.ts'), 'utf8');
  assert.match(source, /import \{[^}]*\btimingSafeEqual\b[^}]*\} from 'node:crypto'/);
  assert.match(source, /createHash\('sha256'\)/, 'a fixed-length digest');
  assert.match(source, /const presented = digest\(token\)/, 'the presented token is digested');
  assert.match(source, /for \(const entry of entries\) \{\s*if \(timingSafeEqual\(presented, entry\.digest\)\) found = entry\.principal;\s*\}/, 'every configured digest is compared, no early exit');
  const comparisons = [...source.matchAll(/[!=]==?\s*([\w.'"[\]]+)/g)].map((match) => match[1]);
  assert.ok(comparisons.every((operand) => operand === 'undefined'), `no early-exit comparison of token strings: ${comparisons.join(', ')}`);
  // Lengths that would make a raw timingSafeEqual throw (a 500) are plain 401s: covered by the 1-character and 10 KB cases above.
});

test('without a configured credential every user route refuses every request (401), even one that sends an empty or any bearer', async () => {
  const { app } = createApp({
    pool,
    config: anonymousAppConfig({ TOPIC_PREFIX: topicPrefix }),
    logger: createLogger({ level: 'silent', name: 'security-no-token' }),
    kafka: { endOffsets: () => Promise.resolve([]) },
    profileEvents: unusedProfileEvents('must not be called'),
  });
  const server = await startTestServer(app);
  try {
    // the last: an unsigned JWT (alg none) for u1
    for (const authorization of [undefined, 'Bearer ', 'Bearer undefined', `Bearer ${TOKEN}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9.']) {
      const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
      const patched = await server.request(`/users/${SEED.uid}`, { method: 'PATCH', headers, body: JSON.stringify({ displayName: 'x' }) });
      assert.is(patched.status, 401, String(authorization));
      for (const path of [`/users/${SEED.uid}`, `/users/${SEED.uid}/activity`, `/users/${SEED.uid}/progress`]) {
        assert.is((await server.request(path, { headers })).status, 401, `${path} ${String(authorization)}`);
      }
    }
  } finally {
    await server.close();
  }
});

test('CORS is closed by default: no Access-Control-* header for any origin, preflight included', async () => {
  const simple = await rawRequest(api.url, `/users/${SEED.uid}`, { headers: { origin: 'https://evil.example' } });
  const preflight = await rawRequest(api.url, `/users/${SEED.uid}`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization' },
  });
  for (const response of [simple, preflight]) {
    const cors = Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));
    assert.equal(cors, [], `status ${response.status}`);
  }
});

test('CORS configured: only the listed origin is allowed, never a wildcard, never a reflected stranger', async () => {
  const { app } = createApp({
    pool,
    config: anonymousAppConfig({ API_TOKEN: TOKEN, CORS_ORIGINS: 'https://app.example', TOPIC_PREFIX: topicPrefix }),
    logger: createLogger({ level: 'silent', name: 'security-cors' }),
    kafka: { endOffsets: () => Promise.resolve([]) },
    profileEvents: unusedProfileEvents('not used'),
  });
  const server = await startTestServer(app);
  try {
    const allowed = await server.request(`/users/${SEED.uid}`, { headers: { origin: 'https://app.example' } });
    assert.is(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    for (const origin of ['https://evil.example', 'https://app.example.evil.example', 'null', 'https://APP.example']) {
      const refused = await server.request(`/users/${SEED.uid}`, { headers: { origin } });
      assert.is(refused.headers.get('access-control-allow-origin'), null, origin);
      const preflight = await server.request(`/users/${SEED.uid}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PATCH' },
      });
      assert.is(preflight.headers.get('access-control-allow-origin'), null, `preflight from ${origin}`);
    }
  } finally {
    await server.close();
  }
});

/**
 * The answer to a body the API refuses from its Content-Length. The API answers
 * and closes before reading the rest, so the client may still be writing when
 * the connection closes and see EPIPE instead of the answer: a race of the
 * transport, not of the API, so such a request is sent again (three tries).
 */
async function refusedBody(send: () => Promise<RawResponse>): Promise<RawResponse> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (attempt === 3 || !/EPIPE|ECONNRESET/.test(String(error))) throw error;
    }
  }
}

test('security headers on every kind of answer (200, 400, 401, 404, 405, 413, docs); no X-Powered-By', async () => {
  const answers: [string, RawResponse][] = [
    ['200', await rawRequest(api.url, `/users/${SEED.uid}`, { headers: WITH_TOKEN })],
    ['400', await rawRequest(api.url, '/users/%27', { headers: WITH_TOKEN })],
    ['401', await patch(`/users/${SEED.uid}`, {})],
    ['404', await rawRequest(api.url, '/nowhere')],
    ['405', await rawRequest(api.url, `/users/${SEED.uid}`, { method: 'DELETE' })],
    ['413', await refusedBody(() => patch(`/users/${SEED.uid}`, { authorization: `Bearer ${TOKEN}` }, JSON.stringify({ displayName: 'x'.repeat(70_000) })))],
    ['docs', await rawRequest(api.url, '/docs')],
  ];
  for (const [what, response] of answers) {
    const header = (name: string) => String(response.headers[name] ?? '');
    assert.is(response.status, what === 'docs' ? 200 : Number(what), what);
    assert.is(header('x-content-type-options'), 'nosniff', what);
    assert.is(header('x-frame-options'), 'DENY', what);
    assert.is(header('referrer-policy'), 'no-referrer', what);
    assert.match(header('content-security-policy'), /default-src 'self'/, what);
    assert.match(header('content-security-policy'), /frame-ancestors 'none'/, what);
    assert.match(header('strict-transport-security'), /max-age=\d+/, what);
    assert.ok(header('cross-origin-resource-policy'), what);
    assert.is(response.headers['x-powered-by'], undefined, what);
    assert.match(header('x-request-id'), /^[\w.:-]+$/, what);
  }
});

/** The API's access-log line of a request, once the child process has written it (its stdout is asynchronous). */
async function accessLogLine(requestId: string): Promise<string> {
  for (let waited = 0; waited < 5_000; waited += 100) {
    const line = api.output().split('\n').find((candidate) => candidate.includes(`"id":"${requestId}"`));
    if (line) return line;
    await sleep(100);
  }
  return `no access-log line for ${requestId}`;
}

test('bodies over the limit are refused with 413, with or without a Content-Length; the API stays up', async () => {
  const large = JSON.stringify({ displayName: 'x', metadata: { blob: 'z'.repeat(10 * 1024 * 1024) } });
  for (const chunked of [false, true]) {
    const requestId = `body-limit-${chunked ? 'chunked' : 'length'}`;
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-request-id': requestId };
    const response = await rawRequest(api.url, `/users/${SEED.uid}`, { method: 'PATCH', headers, body: large, chunked }).catch((error: unknown) => error);
    if (response instanceof Error) {
      // Node closes a connection whose body it will not read without draining it (no lingering close), so the client may
      // meet a reset before it reads the answer. The server's access log says what it answered.
      assert.match(response.message, /EPIPE|ECONNRESET/, requestId);
      const logged = await accessLogLine(requestId);
      assert.match(logged, /"statusCode":413/, `${requestId}: the access log shows the 413: ${logged.slice(0, 300)}`);
    } else {
      const { status, body } = response as RawResponse;
      assert.is(status, 413, `${requestId}: ${body.slice(0, 200)}`);
      assert.match(body, /"status":413/);
    }
  }
  assert.ok(api.alive());
  assert.is((await rawRequest(api.url, `/users/${SEED.uid}`, { headers: WITH_TOKEN })).status, 200);
});

test('an oversized request header is refused (431) by the server, not the app; the API stays up', async () => {
  // 20 KB: over Node's 16 KB limit, small enough to be sent whole before the server answers and closes.
  const response = await rawRequest(api.url, `/users/${SEED.uid}`, { headers: { 'x-padding': 'p'.repeat(20 * 1024) } });
  assert.is(response.status, 431);
  assert.ok(api.alive());
});

/** Hostile values as they go on the wire, each tagged with a marker so its trip to the database can be looked for. */
const HOSTILE_VALUES = [
  "'",
  '"',
  ';',
  '--',
  // Spaces cannot go raw into a request line; a client sends them encoded.
  "'%20OR%20'1'='1",
  '1;%20DROP%20TABLE%20users;%20--',
  "');%20DELETE%20FROM%20attempts;%20--",
  '%00',
  'a%00b',
  '%27%20OR%201%3D1',
  '%22%3B--',
  encodeURIComponent('é'),
  encodeURIComponent('🙂'),
  encodeURIComponent('\u202egnp.exe'),
  encodeURIComponent('\u200b'),
  encodeURIComponent('ＡＢＣ'),
  'x'.repeat(10 * 1024),
  '..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%5C..%5Cwindows',
  '%',
  '%ZZ',
  '%E0%A4%A',
  '%C0%AE%C0%AE%2F',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%24%7B7*7%7D',
  '%7B%7B7*7%7D%7D',
  '%0d%0aSet-Cookie:%20a=1',
  '%20',
  '+',
  '_',
  '*',
  'null',
  '0',
  '-1',
  '%5B%5D',
  'a%2Fb',
];

/** What the router and the handlers see: the decoded value, or undefined when the bytes do not decode. */
function decoded(wire: string): string | undefined {
  try {
    return decodeURIComponent(wire);
  } catch {
    return undefined;
  }
}

const MARKER = 'Zq9';

test('injection strings and odd bytes in every path and query parameter: 400 or 404 (200 for a well-formed filter), never 5xx; refused ids never reach SQL', async () => {
  const before = await postgres.log();
  const answers: { request: string; status: number; wellFormed: boolean; marker: string }[] = [];
  const uid = SEED.uid;
  for (const [index, payload] of HOSTILE_VALUES.entries()) {
    const marker = `${MARKER}${index}x`;
    const wire = `${marker}${payload}`;
    const value = decoded(wire);
    const wellFormed = value !== undefined && ID_PATTERN.test(value);
    const requests = [
      `/users/${wire}`,
      `/users/${wire}/activity`,
      `/users/${wire}/progress`,
      `/lessons/${wire}`,
      `/papers/${wire}`,
      `/items/${wire}`,
      `/users/${uid}/activity?subject=${wire}`,
      `/users/${uid}/activity?paper=${wire}`,
      `/users/${uid}/activity?lesson=${wire}`,
      `/users/${uid}/activity?limit=${wire}`,
      `/users/${uid}/activity?cursor=${wire}`,
      `/users/${uid}/progress?subject=${wire}`,
      `/lessons/${SEED.lessonId}?limit=${wire}`,
      `/lessons/${SEED.lessonId}?cursor=${wire}`,
      `/users/${uid}/activity?${wire}=1`,
    ];
    for (const request of requests) {
      const response = await rawRequest(api.url, request, { headers: WITH_TOKEN });
      answers.push({ request, status: response.status, wellFormed, marker });
      const isPath = !request.includes('?');
      const isFilter = /[?&](subject|paper|lesson)=/.test(request);
      const allowed = isPath ? (wellFormed ? [404] : [400, 404]) : isFilter && wellFormed ? [200] : [400];
      if (!allowed.includes(response.status)) {
        assert.unreachable(`${request.slice(0, 120)} answered ${response.status} (expected ${allowed.join(' or ')}): ${response.body.slice(0, 300)}`);
      }
      if (response.status >= 400) {
        assert.is(String(response.headers['content-type']).split(';')[0], 'application/problem+json', request.slice(0, 120));
      }
    }
    const patched = await patch(`/users/${wire}`, { authorization: `Bearer ${TOKEN}` });
    answers.push({ request: `PATCH /users/${wire}`, status: patched.status, wellFormed, marker });
    assert.ok(wellFormed ? patched.status === 404 : [400, 404].includes(patched.status), `PATCH /users/${wire.slice(0, 80)}: ${patched.status}`);
  }
  assert.ok(answers.every((answer) => answer.status < 500));
  const statusCounts: Record<string, number> = {};
  for (const { status } of answers) statusCounts[status] = (statusCounts[status] ?? 0) + 1;
  console.log(`${answers.length} hostile requests: ${JSON.stringify(statusCounts)}`);

  const log = (await postgres.log()).slice(before.length);
  for (const [index] of HOSTILE_VALUES.entries()) {
    const marker = `${MARKER}${index}x`;
    const reachedSql = log.includes(marker);
    const refused = answers.filter((answer) => answer.marker === marker && answer.status === 400);
    const wellFormed = answers.find((answer) => answer.marker === marker)?.wellFormed ?? false;
    if (wellFormed) {
      assert.ok(reachedSql, `${marker}: a well-formed id is looked up`);
      const lines = log.split('\n').filter((line) => line.includes(marker));
      const inStatements = lines.filter((line) => !/DETAIL:\s+parameters: /i.test(line));
      assert.equal(inStatements, [], `${marker}: only ever a bound parameter, never statement text`);
    } else {
      assert.not.ok(reachedSql, `${marker} (${HOSTILE_VALUES[index]?.slice(0, 40) ?? ''}): refused ${refused.length} times, and never sent to the database`);
    }
  }
});

test('after all of it the data is untouched', async () => {
  const inspector = openSqlInspector(postgres.url('api'));
  try {
    assert.is(await inspector.value('SELECT count(*)::int FROM attempts'), SEED.attemptCount);
    assert.is(await inspector.value('SELECT count(*)::int FROM users'), 2);
  } finally {
    await inspector.close();
  }
});

test.run();
