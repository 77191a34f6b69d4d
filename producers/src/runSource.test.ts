import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonCodec, decode } from '@medly/shared/codec';
import type { Producer } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import type { SourceName } from '@medly/shared/reasons';
import { discoverSourceFiles } from './discover.ts';
import { silentProgress } from './progressDisplay.ts';
import { createPublisher } from './publish.ts';
import { runSource, tooLargeMessage, type RecordLimits } from './runSource.ts';

type Batch = Parameters<Producer['sendBatch']>[0];
const logger = createLogger({ level: 'silent', name: 'test' });
const roomy: RecordLimits = { maxValueBytes: 1024 * 1024, maxMessageBytes: 1_048_588 };

let dataDir = '';
test.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'run-source-'));
  await mkdir(join(dataDir, 'curriculum_data'));
  await mkdir(join(dataDir, 'user_data'));
});
test.after(async () => {
  await rm(dataDir, { recursive: true });
});

async function run(source: 'course' | 'users' | 'practices' | 'exams', limits = roomy) {
  const batches: Batch[] = [];
  const publisher = createPublisher({
    producer: {
      async sendBatch(batch: Batch) {
        batches.push(batch);
        return [];
      },
    },
  });
  const files = (await discoverSourceFiles(dataDir, [source])).get(source) ?? [];
  const provenance = (from: SourceName) => ({ source: from });
  const { report } = await runSource(source, files, {
    codec: createJsonCodec(),
    publisher,
    topicPrefix: 'p.',
    limits,
    logger,
    progress: silentProgress,
    provenance,
    importStartedAt: Date.UTC(2025, 9, 1),
  });
  await publisher.flush();
  const messages = batches.flatMap((batch) => (batch.topicMessages ?? []).flatMap((t) => t.messages.map((m) => ({ topic: t.topic, ...m }))));
  return { report, messages };
}

const lesson = (id: string, title: string) => ({ lessonIndex: 0, lessonID: id, lessonTitle: title });
const course = (lessons: unknown[]) => JSON.stringify([{ unitIndex: 0, unitTitle: 'u', topics: [{ topicIndex: 0, topicTitle: 't', lessons }] }]);

test('duplicate_lesson_id: both lessons are produced under one key, the later last; counted and deduplicated', async () => {
  await writeFile(join(dataDir, 'curriculum_data', 'bio_course.json'), course([lesson('bio0.0.1', 'First'), lesson('bio0.0.2', 'Other'), lesson('bio0.0.1', 'Second')]));
  const { report, messages } = await run('course');
  assert.is(report.read, 3);
  assert.is(report.produced, 3);
  assert.is(report.deduplicated, 1);
  assert.equal(report.warnings, { duplicate_lesson_id: 1 });
  const sameKey = messages.filter((m) => m.key === 'bio0.0.1').map((m) => decode('lessons', { value: m.value as Buffer, headers: {} }).title);
  assert.equal(sameKey, ['First', 'Second']);
  assert.ok(messages.every((m) => m.topic === 'p.curriculum.lessons'));
  await rm(join(dataDir, 'curriculum_data', 'bio_course.json'));
});

test('too_large: a value over MAX_RECORD_BYTES is a rejection on the rejections topic, not a crash', async () => {
  await writeFile(join(dataDir, 'curriculum_data', 'bio_course.json'), course([lesson('bio0.0.1', 'x'.repeat(3000)), lesson('bio0.0.2', 'small')]));
  const { report, messages } = await run('course', { maxValueBytes: 1024, maxMessageBytes: 1_048_588 });
  assert.is(report.produced, 1);
  assert.equal(report.rejected, { too_large: 1 });
  const rejection = messages.find((m) => m.topic === 'p.ingest.rejections');
  assert.is(rejection?.key, 'curriculum_data/bio_course.json#/0/topics/0/lessons/0');
  const event = decode('rejections', { value: rejection?.value as Buffer, headers: {} });
  assert.is(event.reason, 'too_large');
  assert.match(event.message, /lessons: value is \d+ bytes, over the 1024-byte limit/);
  assert.ok(event.excerpt.startsWith('{"subjectId":"bio"'));
  assert.ok(event.excerpt.length <= 1024);
  await rm(join(dataDir, 'curriculum_data', 'bio_course.json'));
});

test('tooLargeMessage also respects the topic\'s max.message.bytes', () => {
  const encoded = { key: 'k', value: Buffer.alloc(6000), headers: {} };
  assert.is(tooLargeMessage(encoded, roomy), undefined);
  assert.match(tooLargeMessage(encoded, { maxValueBytes: 1024 * 1024, maxMessageBytes: 8000 }) ?? '', /max\.message\.bytes \(8000\)/);
});

test('a broken file fails its source with file and position; the source\'s other files are still produced', async () => {
  await writeFile(join(dataDir, 'curriculum_data', 'a_course.json'), '[{"unitIndex": 0,, }]');
  await writeFile(join(dataDir, 'curriculum_data', 'b_course.json'), course([lesson('b0.0.1', 'Fine')]));
  const { report, messages } = await run('course');
  assert.equal(report.files, ['curriculum_data/a_course.json', 'curriculum_data/b_course.json']);
  assert.is(report.failures.length, 1);
  assert.is(report.failures[0]?.file, 'curriculum_data/a_course.json');
  assert.match(report.failures[0]?.message ?? '', /curriculum_data\/a_course\.json: invalid JSON at line 1, column 18/);
  assert.is(report.produced, 1);
  assert.equal(messages.map((m) => m.key), ['b0.0.1']);
  await rm(join(dataDir, 'curriculum_data', 'a_course.json'));
  await rm(join(dataDir, 'curriculum_data', 'b_course.json'));
});

test('users: rejections and warnings are tallied by reason, uids counted', async () => {
  await writeFile(
    join(dataDir, 'user_data', 'u.json'),
    JSON.stringify({
      targets: {
        'users/u1/subjectsWeb/bio/mocks/p1/questions/q1': { createdAt: '2025-09-15T08:00:00Z', updatedAt: '2025-09-15T07:00:00Z' },
        'users/u2/subjectsWeb/bio/lessons/l1/practice/q2': { createdAt: 'soon' },
        'users/u2/elsewhere': {},
        'users/u3/subjectsWeb/bio/mocks/p1/questions/q3': 'not an object',
      },
    }),
  );
  const { report, messages } = await run('users');
  assert.is(report.read, 4);
  assert.is(report.produced, 2);
  assert.is(report.users, 2);
  assert.equal(report.rejected, { unparseable_key: 1, invalid_body: 1 });
  assert.equal(report.warnings, { updated_before_created: 1, invalid_timestamp: 1 });
  assert.equal(messages.filter((m) => m.topic === 'p.ingest.rejections').map((m) => m.key), [
    'user_data/u.json#/targets/users~1u2~1elsewhere',
    'user_data/u.json#/targets/users~1u3~1subjectsWeb~1bio~1mocks~1p1~1questions~1q3',
  ]);
  await rm(join(dataDir, 'user_data', 'u.json'));
});

test.run();
