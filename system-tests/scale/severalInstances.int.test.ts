/**
 * Several instances, correct together (issue 17): two real API processes
 * (`pnpm api`) and a real projector process (`pnpm projector`) on one
 * database and one topic prefix, no load balancer.
 *
 * Clients on both APIs race read-modify-write changes of one user's profile
 * with If-Match: each reads the profile and its ETag, then adds one to its
 * own counter in `metadata`. If a write were lost, some counter would end
 * below the number of changes acknowledged to its client; if two changes
 * were built on one state, two acknowledged states would carry the same
 * total. So: the acknowledged states' totals are exactly 1…N (one history,
 * each change on the one before), the final profile is the last of them,
 * every 200 is the state its client asked for, and every 412 names a state
 * newer than the one its client read.
 *
 * Then the /metrics of the three processes, scraped and parsed as Prometheus
 * would: what they say agrees with what the clients saw.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase } from '@medly/shared/testing/database';
import { freePorts } from '@medly/shared/testing/freePort';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { allTopicNames } from '@medly/shared/topics';
import { createTestCredentials } from '@medly/api/testing/credentials';
import { SEED } from '@medly/api/testing/seed';
import { startApiProcess, type ApiProcess } from '../reliability/apiProcess.ts';
import { startProjectorProcess, type ProjectorProcess } from '../reliability/projectorProcess.ts';
import { reportedHook } from '../reliability/reportedHook.ts';
import { migrateAndSeed } from '../reliability/seededDatabase.ts';
import { parsePrometheusText } from './prometheusText.ts';

const logger = createLogger({ level: 'error', name: 'instances' });
const topicPrefix = uniqueTopicPrefix('instances');
const UID = SEED.uid;
const CLIENTS_PER_API = 3;
const CHANGES_PER_CLIENT = 6;

let apis: ApiProcess[] = [];
let projector: ProjectorProcess;
let metricsPorts: { apis: number[]; projector: number };
let authorization: string;
const cleanups: (() => Promise<unknown>)[] = [];

test.before(
  reportedHook(async () => {
    const { adminDatabaseUrl, kafkaBrokers } = await testServices();
    const database = await createTestDatabase(adminDatabaseUrl, 'instances');
    cleanups.push(() => database.drop());
    cleanups.push(async () => {
      const admin = createKafka({ brokers: kafkaBrokers, clientId: 'instances-cleanup', logger }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: allTopicNames(topicPrefix) }).catch(() => undefined);
      await admin.disconnect();
    });
    await migrateAndSeed(database.url, logger);
    const [first = 0, second = 0, third = 0] = await freePorts(3);
    metricsPorts = { apis: [first, second], projector: third };
    projector = await startProjectorProcess({ databaseUrl: database.url, kafkaBrokers, topicPrefix, metricsPort: metricsPorts.projector });
    cleanups.push(() => projector.stop());
    const credentials = await createTestCredentials();
    authorization = `Bearer ${credentials.apiToken}`;
    apis = await Promise.all(
      metricsPorts.apis.map((port) =>
        startApiProcess({ databaseUrl: database.url, kafkaBrokers, topicPrefix, settings: { ...credentials.settings, METRICS_PORT: String(port) } }),
      ),
    );
    for (const api of apis) cleanups.push(() => api.stop());
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type Counters = Record<string, number>;
interface Profile {
  displayName: string | null;
  metadata: Counters | null;
}
const total = (counters: Counters | null) => Object.values(counters ?? {}).reduce((sum, count) => sum + count, 0);

interface Answer {
  api: number;
  client: string;
  status: number;
  /** The total of the state read before the change. */
  readTotal: number;
  /** The state asked for. */
  sent: Profile;
  etag: string | null;
  body: unknown;
}

const answers: Answer[] = [];
/** Every state seen (GET or 200), by ETag: its counters' total. */
const totalsByEtag = new Map<string, number>();

async function read(api: ApiProcess): Promise<{ etag: string; profile: Profile }> {
  const response = await api.request(`/users/${UID}`, { headers: { authorization } });
  assert.is(response.status, 200);
  const etag = response.headers.get('etag') ?? '';
  const profile = (await response.json()) as Profile;
  totalsByEtag.set(etag, total(profile.metadata));
  return { etag, profile };
}

async function client(apiIndex: number, name: string): Promise<void> {
  const api = apis[apiIndex];
  if (!api) throw new Error('no API');
  for (let change = 0; change < CHANGES_PER_CLIENT; ) {
    const { etag, profile } = await read(api);
    const counters = profile.metadata ?? {};
    const sent: Profile = { displayName: `${name} #${String(change)}`, metadata: { ...counters, [name]: (counters[name] ?? 0) + 1 } };
    const response = await api.request(`/users/${UID}`, {
      method: 'PATCH',
      headers: { authorization, 'content-type': 'application/json', 'if-match': etag },
      body: JSON.stringify(sent),
    });
    const body: unknown = await response.json();
    answers.push({ api: apiIndex, client: name, status: response.status, readTotal: total(counters), sent, etag: response.headers.get('etag'), body });
    if (response.status === 200 || response.status === 202) change += 1;
    if (response.status === 503) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('two API processes racing conditional PATCHes on one user: one history, no acknowledged write lost, every 412 names a newer state', async () => {
  const clients = apis.flatMap((_, apiIndex) => Array.from({ length: CLIENTS_PER_API }, (_, index) => client(apiIndex, `api${String(apiIndex)}-c${String(index)}`)));
  await Promise.all(clients);

  const byStatus = Object.groupBy(answers, (answer) => String(answer.status));
  console.log(`${String(answers.length)} conditional PATCHes on two APIs: ${JSON.stringify(Object.fromEntries(Object.entries(byStatus).map(([status, list]) => [status, list?.length])))}`);
  for (const answer of answers) assert.ok([200, 202, 412, 503].includes(answer.status), `${answer.status}: ${JSON.stringify(answer.body)}`);
  const acknowledged = answers.filter((answer) => answer.status === 200 || answer.status === 202);
  const conflicts = answers.filter((answer) => answer.status === 412);
  const n = CHANGES_PER_CLIENT * CLIENTS_PER_API * apis.length;
  assert.is(acknowledged.length, n);
  assert.ok(conflicts.length > 0, 'the clients did race');
  for (const index of apis.keys()) assert.ok(acknowledged.some((answer) => answer.api === index), `API ${String(index)} served changes`);

  // One history: each acknowledged change was built on the one before it.
  const totals = acknowledged.map((answer) => total(answer.sent.metadata)).sort((a, b) => a - b);
  assert.equal(totals, Array.from({ length: n }, (_, index) => index + 1));

  // Every 200 is the state its client asked for, with its ETag; every 503 says why.
  for (const answer of answers.filter((candidate) => candidate.status === 200)) {
    const { displayName, metadata } = answer.body as Profile;
    assert.equal({ displayName, metadata }, answer.sent);
    assert.ok(answer.etag);
    totalsByEtag.set(answer.etag, total(metadata));
  }
  for (const answer of answers.filter((candidate) => candidate.status === 503)) {
    assert.match((answer.body as { detail: string }).detail, /earlier change/);
  }
  // Every 412 names the state current when it was checked: one made after the one its client read.
  const pending = answers.some((answer) => answer.status === 202);
  for (const answer of conflicts) {
    assert.ok(answer.etag, 'a 412 carries the current ETag');
    const current = totalsByEtag.get(answer.etag);
    if (current === undefined) assert.ok(pending, `a 412 named ${answer.etag}, a state no client saw, and no change was pending`);
    else assert.ok(current > answer.readTotal, `a 412 named a state (total ${String(current)}) not newer than the one read (${String(answer.readTotal)})`);
  }

  // No acknowledged write lost: every client's counter is the number of its acknowledged changes, on both APIs.
  const last = acknowledged.find((answer) => total(answer.sent.metadata) === n);
  for (const api of apis) {
    let final = await read(api);
    for (let tries = 0; total(final.profile.metadata) < n && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      final = await read(api);
    }
    const expected = Object.fromEntries(
      Object.entries(Object.groupBy(acknowledged, (answer) => answer.client)).map(([name, mine]) => [name, mine?.length ?? 0]),
    );
    assert.equal(final.profile.metadata, expected);
    assert.equal({ displayName: final.profile.displayName, metadata: final.profile.metadata }, last?.sent, 'the final profile is the last acknowledged change');
    if (last?.status === 200) assert.is(final.etag, last.etag, 'and carries the ETag its 200 gave');
  }
});

async function scrape(port: number) {
  const response = await fetch(`http://127.0.0.1:${String(port)}/metrics`);
  assert.is(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

test('each API\'s /metrics (its own port): latency per route pattern and status class, profile changes by outcome, as its clients saw them', async () => {
  for (const [index, api] of apis.entries()) {
    const metrics = await scrape(metricsPorts.apis[index] ?? 0);
    const mine = answers.filter((answer) => answer.api === index);
    const count = (status: number) => mine.filter((answer) => answer.status === status).length;
    assert.is(metrics.types.get('http_request_duration_seconds'), 'histogram');
    const patch = (statusClass: string) =>
      metrics.value('http_request_duration_seconds_count', { method: 'PATCH', route: '/users/:id', status_class: statusClass }) ?? 0;
    assert.is(patch('2xx'), count(200) + count(202));
    assert.is(patch('4xx'), count(412));
    assert.ok((metrics.value('http_request_duration_seconds_count', { method: 'GET', route: '/users/:id', status_class: '2xx' }) ?? 0) >= mine.length);
    assert.is(metrics.value('medly_profile_changes_total', { outcome: 'applied' }) ?? 0, count(200));
    assert.is(metrics.value('medly_profile_changes_total', { outcome: 'stale' }) ?? 0, count(412));
    // buckets are cumulative and end at the count
    const buckets = metrics.series('http_request_duration_seconds_bucket', { method: 'PATCH', route: '/users/:id', status_class: '2xx' });
    const values = buckets.map((bucket) => bucket.value);
    assert.equal(values, values.toSorted((a, b) => a - b));
    assert.is(buckets.find((bucket) => bucket.labels.le === '+Inf')?.value, patch('2xx'));
    // route patterns only: no uid, no raw path; the start-up's /health polls are there too
    assert.ok(metrics.samples.every((sample) => !(sample.labels.route ?? '').includes(UID)));
    assert.ok((metrics.value('http_request_duration_seconds_count', { method: 'GET', route: '/health', status_class: '2xx' }) ?? 0) >= 1);
    assert.ok(metrics.value('process_resident_memory_bytes') !== undefined, 'Node\'s process metrics');
    assert.is((await api.request('/metrics')).status, 404, 'not on the API\'s own port');
  }
  const unmatched = await apis[0]?.request('/no/such/path/123');
  assert.is(unmatched?.status, 404);
  const after = await scrape(metricsPorts.apis[0] ?? 0);
  assert.ok((after.value('http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_class: '4xx' }) ?? 0) >= 1);
  assert.is((await fetch(`http://127.0.0.1:${String(metricsPorts.projector)}/other`)).status, 404);
});

test('the projector\'s /metrics: lag per topic-partition (0 once applied), rows per table, batches and their durations', async () => {
  const applied = answers.filter((answer) => answer.status === 200).length;
  let metrics = await scrape(metricsPorts.projector);
  const profiles = `${topicPrefix}users.profiles`;
  for (let tries = 0; metrics.series('medly_projector_lag_messages', { topic: profiles }).some((sample) => sample.value > 0) && tries < 50; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    metrics = await scrape(metricsPorts.projector);
  }
  const lag = metrics.series('medly_projector_lag_messages');
  assert.is(lag.length, allTopicNames(topicPrefix).length * 3, 'every partition of every topic');
  assert.ok(lag.every((sample) => sample.value === 0), JSON.stringify(lag.filter((sample) => sample.value !== 0)));

  const batches = metrics.value('medly_projector_batches_committed_total') ?? 0;
  assert.ok(batches >= applied, `${String(batches)} batches for ${String(applied)} changes answered 200, each applied before the next was made`);
  assert.ok((metrics.value('medly_projector_rows_total', { table: 'users', outcome: 'updated' }) ?? 0) >= applied);
  assert.ok((metrics.value('medly_projector_messages_total', { outcome: 'applied' }) ?? 0) >= applied);
  assert.is(metrics.types.get('medly_projector_batch_duration_seconds'), 'histogram');
  assert.ok((metrics.value('medly_projector_batch_duration_seconds_count', { outcome: 'committed' }) ?? 0) >= batches);
  assert.ok((metrics.value('medly_projector_batch_duration_seconds_sum', { outcome: 'committed' }) ?? 0) > 0);
  const lastCommit = metrics.value('medly_projector_last_commit_timestamp_seconds') ?? 0;
  assert.ok(Date.now() / 1000 - lastCommit < 600, 'committed during this test');
  assert.ok(projector.alive());
});

test.run();
