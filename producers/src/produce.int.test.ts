import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonCodec } from '@medly/shared/codec';
import { createKafka, type Admin } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { partitionKey } from '@medly/shared/partitionOffset';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { allTopicNames, topicName, type TopicId } from '@medly/shared/topics';
import { produce } from './produce.ts';
import type { ProduceReport } from './report.ts';

const DATA_DIR = new URL('../../data/', import.meta.url).pathname;
const logger = createLogger({ level: 'warn', name: 'test' });

type TopicContents = Map<string, Map<string, string>>;

/** Every message of the topics from the beginning: per topic, the last value (hex) of each key. */
async function lastValuePerKey(kafka: ReturnType<typeof createKafka>, admin: Admin, topics: string[]): Promise<{ contents: TopicContents; messages: number }> {
  const remaining = new Map<string, number>();
  for (const topic of topics) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
      if (Number(high) > 0) remaining.set(partitionKey(topic, partition), Number(high));
    }
  }
  const contents: TopicContents = new Map(topics.map((topic) => [topic, new Map<string, string>()]));
  let messages = 0;
  if (remaining.size === 0) return { contents, messages };
  const consumer = kafka.consumer({ groupId: `${topics[0] ?? 'read'}.reader.${String(Date.now())}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`not every message read within 60 s: ${JSON.stringify([...remaining])}`));
      }, 60_000);
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          messages += 1;
          contents.get(topic)?.set(message.key?.toString() ?? '', message.value?.toString('hex') ?? 'tombstone');
          const end = remaining.get(partitionKey(topic, partition));
          if (end !== undefined && Number(message.offset) + 1 >= end) remaining.delete(partitionKey(topic, partition));
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return { contents, messages };
}

function assertSharedDataCounts(report: ProduceReport) {
  const { users, course, exams, practices } = report.sources;
  assert.is(users?.read, 1061);
  assert.is(users?.users, 36);
  assert.is(course?.read, 279);
  assert.is(exams?.read, 64);
  assert.is(practices?.read, 5183);
  for (const source of [users, course, exams, practices]) {
    assert.equal(source?.rejected, {}, 'zero rejections');
    assert.equal(source?.failures, []);
  }
  assert.equal(users?.warnings, { updated_before_created: 48 });
  assert.equal(practices?.warnings, { duplicate_bank_lesson_id: 1 });
}

test('producing the shared data twice leaves identical key→value sets on every topic', async () => {
  const { kafkaBrokers } = await testServices();
  const prefix = uniqueTopicPrefix('produce-twice');
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'produce-twice', logger });
  const admin = kafka.admin();
  await admin.connect();
  const topics = allTopicNames(prefix);
  try {
    const options = { dataDir: DATA_DIR, topicPrefix: prefix, partitions: 3, maxRecordBytes: 1024 * 1024 };
    const first = await produce({ kafka, codec: createJsonCodec(), logger }, options);
    assert.is(first.failed, false);
    assertSharedDataCounts(first.report);
    const afterFirst = await lastValuePerKey(kafka, admin, topics);

    const keysOf = (id: TopicId) => afterFirst.contents.get(topicName(prefix, id))?.size;
    assert.is(keysOf('lessons'), 279);
    assert.is(keysOf('papers'), 2);
    assert.is(keysOf('practiceBanks'), 280, 'two banks share a lessonID: one key');
    assert.is(keysOf('questions'), 2126 + 17);
    assert.is(keysOf('itemAppearances'), 5183 + 64);
    assert.is(keysOf('attempts'), 1061);
    assert.is(keysOf('rejections'), 0);
    assert.is(keysOf('snapshots'), 4, 'one snapshot marker per source read completely');
    // Every produced event is on a topic, once, beside one snapshot marker per source.
    const producedFirst = Object.values(first.report.sources).reduce((sum, source) => sum + source.produced, 0) + 4;
    assert.is(afterFirst.messages, producedFirst, 'every produced event is on a topic, once');
    assert.ok(first.endOffsets.length > 0);
    assert.is(first.endOffsets.reduce((sum, partition) => sum + partition.offset, 0), producedFirst);

    const second = await produce({ kafka, codec: createJsonCodec(), logger }, options);
    assertSharedDataCounts(second.report);
    const afterSecond = await lastValuePerKey(kafka, admin, topics);
    assert.is(afterSecond.messages, 2 * producedFirst);
    // The markers say when each snapshot was taken; every other value is byte-identical.
    for (const topic of topics.filter((name) => name !== topicName(prefix, 'snapshots'))) {
      const before = afterFirst.contents.get(topic) ?? new Map<string, string>();
      const after = afterSecond.contents.get(topic) ?? new Map<string, string>();
      assert.is(after.size, before.size, `${topic}: same keys`);
      for (const [key, value] of before) {
        if (after.get(key) !== value) assert.unreachable(`${topic}: the value of ${key} changed on the second run`);
      }
    }
  } finally {
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
  }
});

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [new URL('./main.ts', import.meta.url).pathname, ...args], {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

test('a file with a syntax error fails its source clearly (file, position, exit 1); every other source is produced', async () => {
  const { kafkaBrokers } = await testServices();
  const prefix = uniqueTopicPrefix('produce-broken');
  const dataDir = await mkdtemp(join(tmpdir(), 'produce-broken-'));
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'produce-broken', logger });
  const admin = kafka.admin();
  await admin.connect();
  const topics = allTopicNames(prefix);
  try {
    await mkdir(join(dataDir, 'curriculum_data'));
    await mkdir(join(dataDir, 'user_data'));
    await copyFile(join(DATA_DIR, 'user_data/user_data.json'), join(dataDir, 'user_data/user_data.json'));
    for (const kind of ['course', 'practices']) {
      await copyFile(join(DATA_DIR, `curriculum_data/aqaGCSEBio_${kind}.json`), join(dataDir, `curriculum_data/aqaGCSEBio_${kind}.json`));
    }
    const exams = (await readFile(join(DATA_DIR, 'curriculum_data/aqaGCSEBio_exams.json'), 'utf8')).split('\n');
    exams[99] = `${exams[99] ?? ''},,`;
    await writeFile(join(dataDir, 'curriculum_data/aqaGCSEBio_exams.json'), exams.join('\n'));
    const reportFile = join(dataDir, 'report.json');

    const { code, output } = await runCli(['--data-dir', dataDir, '--report-file', reportFile], {
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TOPIC_PREFIX: prefix,
    });
    assert.is(code, 1, output);
    assert.match(output, /curriculum_data\/aqaGCSEBio_exams\.json: invalid JSON at line 100, column \d+/);

    const report = JSON.parse(await readFile(reportFile, 'utf8')) as ProduceReport;
    assert.is(report.sources.exams?.failures[0]?.file, 'curriculum_data/aqaGCSEBio_exams.json');
    assert.is(report.sources.users?.read, 1061);
    assert.is(report.sources.users?.produced, 1061);
    assert.is(report.sources.course?.produced, 279);
    assert.is(report.sources.practices?.read, 5183);
    assert.is(report.sources.practices?.produced, 281 + 2126 + 5183);
    const { contents } = await lastValuePerKey(kafka, admin, topics);
    assert.is(contents.get(topicName(prefix, 'attempts'))?.size, 1061);
    assert.is(contents.get(topicName(prefix, 'lessons'))?.size, 279);
    assert.is(contents.get(topicName(prefix, 'practiceBanks'))?.size, 280);
  } finally {
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
    await rm(dataDir, { recursive: true });
  }
});

test('--source limits the run; an unknown source is a usage error (exit 2)', async () => {
  const { kafkaBrokers } = await testServices();
  const prefix = uniqueTopicPrefix('produce-source');
  const folder = await mkdtemp(join(tmpdir(), 'produce-source-'));
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'produce-source', logger });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const env = { KAFKA_BROKERS: kafkaBrokers.join(','), TOPIC_PREFIX: prefix };
    const bad = await runCli(['--source', 'teachers'], env);
    assert.is(bad.code, 2);
    assert.match(bad.output, /unknown source "teachers"/);

    const reportFile = join(folder, 'r.json');
    const ok = await runCli(['--data-dir', DATA_DIR, '--source', 'course', 'exams', '--report-file', reportFile], env);
    assert.is(ok.code, 0, ok.output);
    assert.match(ok.output, /^course\s+279\s+279\s+0\s+0\s+0\s+0$/m);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as ProduceReport;
    assert.equal(Object.keys(report.sources), ['course', 'exams']);
  } finally {
    await admin.deleteTopics({ topics: allTopicNames(prefix) }).catch(() => {});
    await admin.disconnect();
    await rm(folder, { recursive: true });
  }
});

test.run();
