/**
 * Nothing personal in the logs: the real API process at LOG_LEVEL=trace (every
 * line it can write) serves a full cycle of requests with every kind of
 * credential, good and bad, a credential in a query string, reads of a
 * student's data (whose attempt holds a seeded answer and canvas), a profile
 * change, refusals and a 404. Its whole output must then hold none of the
 * tokens (nor any part of a JWT's signature), no `Bearer`, and neither the
 * answer nor the canvas; it must still say who called (the access log's
 * `caller`) and who changed the profile.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase } from '@medly/shared/testing/database';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { topicName } from '@medly/shared/topics';
import { createTestCredentials, type TestCredentials } from '@medly/api/testing/credentials';
import { SEED } from '@medly/api/testing/seed';
import { startApiProcess, type ApiProcess } from './apiProcess.ts';
import { reportedHook } from './reportedHook.ts';
import { migrateAndSeed } from './seededDatabase.ts';

const logger = createLogger({ level: 'error', name: 'log-privacy' });
const topicPrefix = uniqueTopicPrefix('log-privacy');

let credentials: TestCredentials;
let api: ApiProcess;
const cleanups: (() => Promise<unknown>)[] = [];

test.before(
  reportedHook(async () => {
    const { adminDatabaseUrl, kafkaBrokers } = await testServices();
    const database = await createTestDatabase(adminDatabaseUrl, 'log_privacy');
    cleanups.push(() => database.drop());
    await migrateAndSeed(database.url, logger);
    credentials = await createTestCredentials();
    api = await startApiProcess({ databaseUrl: database.url, kafkaBrokers, topicPrefix, logLevel: 'trace', settings: credentials.settings });
    cleanups.push(() => api.stop());
    cleanups.push(async () => {
      const admin = createKafka({ brokers: kafkaBrokers, clientId: 'log-privacy-cleanup', logger }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topicName(topicPrefix, 'userProfiles')] }).catch(() => undefined);
      await admin.disconnect();
    });
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test('a full request cycle at trace level logs no credential and no answer, and still says who called', async () => {
  const student = await credentials.user(SEED.uid);
  const staff = await credentials.staff('teacher-9');
  const forged = await credentials.wrongSignature(SEED.uid);
  const expired = await credentials.expired(SEED.uid);
  const secrets = { student, staff, forged, expired, apiToken: credentials.apiToken, reader: credentials.serviceReader, writer: credentials.serviceWriter };
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const requests: [string, RequestInit][] = [
    [`/users/${SEED.uid}`, { headers: as(student) }],
    [`/users/${SEED.uid}/activity?limit=100`, { headers: as(student) }],
    [`/users/${SEED.uid}/progress`, { headers: as(student) }],
    [`/users/${SEED.uid}/activity?paper=${SEED.paperId}`, { headers: as(staff) }],
    [`/users/${SEED.uid}`, { headers: as(credentials.serviceReader) }],
    [`/users/${SEED.idleUid}`, { headers: as(student) }],
    [`/users/${SEED.uid}`, { headers: as(forged) }],
    [`/users/${SEED.uid}`, { headers: as(expired) }],
    [`/users/${SEED.uid}`, {}],
    [`/users/${SEED.uid}?token=${student}&access_token=${credentials.apiToken}`, { headers: as(student) }],
    [`/users/${SEED.uid}`, { headers: { authorization: `Basic ${Buffer.from(`u1:${credentials.apiToken}`).toString('base64')}` } }],
    ['/users/nobody-at-all', { headers: as(credentials.apiToken) }],
    [`/items/${SEED.sharedItem}`, { headers: as(credentials.serviceWriter) }],
    [
      `/users/${SEED.uid}`,
      {
        method: 'PATCH',
        headers: { ...as(credentials.apiToken), 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: 'Ada L.', metadata: { note: 'kept out of the logs too' } }),
      },
    ],
    [`/users/${SEED.uid}`, { method: 'PATCH', headers: { ...as(student), 'content-type': 'application/json' }, body: '{"displayName":"x"}' }],
  ];
  const statuses: number[] = [];
  for (const [index, [path, init]] of requests.entries()) {
    const response = await api.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-request-id': `privacy-${index}` } });
    statuses.push(response.status);
    const body = await response.text();
    for (const text of [SEED.answerText, SEED.canvasText]) assert.not.ok(body.includes(text), `${path}: no answer in a response`);
  }
  assert.equal(statuses, [200, 200, 200, 200, 200, 403, 401, 401, 401, 200, 401, 404, 200, statuses[13], 403]);
  assert.ok(statuses[13] === 200 || statuses[13] === 202);

  // every access line written (stdout is asynchronous)
  let output = '';
  for (let waited = 0; waited < 5_000; waited += 100) {
    output = api.output();
    if (requests.every((_, index) => output.includes(`"id":"privacy-${index}"`))) break;
    await sleep(100);
  }
  for (const index of requests.keys()) assert.ok(output.includes(`"id":"privacy-${index}"`), `an access line for request ${index}`);

  for (const [name, secret] of Object.entries(secrets)) {
    assert.not.ok(output.includes(secret), `the ${name} token is not in the logs`);
    for (const part of secret.split('.').filter((segment) => segment.length >= 16)) {
      assert.not.ok(output.includes(part), `no part of the ${name} token is in the logs`);
    }
  }
  assert.not.match(output, /Bearer |Basic /, 'no Authorization header value');
  for (const text of [SEED.answerText, SEED.canvasText, 'kept out of the logs too']) assert.not.ok(output.includes(text), text);
  assert.match(output, /token=\[Redacted\]&access_token=\[Redacted\]/, 'credentials in a query string are cut out of the logged URL');
  assert.match(output, /"caller":"user:u1"/);
  assert.match(output, /"caller":"service:reader"/);
  assert.match(output, /"changedBy":"service:api-token"/);
});

test.run();
