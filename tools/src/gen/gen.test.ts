import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FileWriter } from './fileWriter.ts';
import { generate } from './generate.ts';
import { writeArray, writeObject } from './jsonLayout.ts';
import { createRandom } from './random.ts';
import { createSampler } from './sampler.ts';

type Json = Record<string, unknown>;

const FILES = [
  'user_data/user_data.json',
  'curriculum_data/aqaGCSEBio_course.json',
  'curriculum_data/aqaGCSEBio_exams.json',
  'curriculum_data/aqaGCSEBio_practices.json',
] as const;
const PATH_SHAPE = /^users\/([^/]+)\/subjectsWeb\/([^/]+)\/(?:mocks\/([^/]+)\/questions|lessons\/([^/]+)\/practice)\/([^/]+)$/;

const dirs: string[] = [];
async function generated(scale: number, seed?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'medly-gen-'));
  dirs.push(dir);
  await generate({ scale, outDir: dir, ...(seed === undefined ? {} : { seed }) });
  return dir;
}

async function digests(dir: string): Promise<string[]> {
  return Promise.all(FILES.map(async (file) => createHash('sha256').update(await readFile(join(dir, file))).digest('hex')));
}

interface Data {
  course: { unitIndex: number; topics: { topicIndex: number; lessons: Json[] }[] }[];
  exams: { papers: { paper_id: string; questions: { items: Json[] }[] }[] }[];
  practices: (Json & { original_lessonID: string; items: { items: Json[] }[] })[];
  targets: Record<string, unknown>;
}

async function load(dir: string): Promise<Data> {
  const read = async (file: string): Promise<unknown> => JSON.parse(await readFile(join(dir, file), 'utf8'));
  const [users, course, exams, practices] = await Promise.all(FILES.map(read));
  return { course, exams, practices, targets: (users as { targets: Record<string, unknown> }).targets } as Data;
}

const lessonsOf = (data: Data): Json[] => data.course.flatMap((unit) => unit.topics.flatMap((topic) => topic.lessons));
const examPartsOf = (data: Data): Json[] =>
  data.exams.flatMap((set) => set.papers.flatMap((paper) => paper.questions.flatMap((question) => question.items)));
const practicePartsOf = (data: Data): Json[] => data.practices.flatMap((bank) => bank.items.flatMap((question) => question.items));
const bankLessonId = (bank: Json & { original_lessonID: string }): string =>
  typeof bank.lessonID === 'string' ? bank.lessonID : bank.original_lessonID;
const near = (actual: number, expected: number, tolerance: number): boolean => Math.abs(actual - expected) <= expected * tolerance;

let one: Data;
let oneDir: string;

test.before(async () => {
  oneDir = await generated(1);
  one = await load(oneDir);
});

test.after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

test('the same scale and seed give byte-identical files; another seed does not', async () => {
  const again = await generated(1);
  assert.equal(await digests(again), await digests(oneDir));
  const other = await digests(await generated(1, 'another'));
  const same = await digests(oneDir);
  assert.ok(other.every((digest, index) => digest !== same[index]));
});

test('1× has the real files’ top-level shapes and about their counts', () => {
  assert.is(one.course.length, 8);
  assert.is(one.course.reduce((sum, unit) => sum + unit.topics.length, 0), 25);
  const lessons = lessonsOf(one);
  assert.ok(near(lessons.length, 279, 0.02), `${lessons.length} course lessons`);
  assert.ok(lessons.every((lesson) => typeof lesson.lessonID === 'string' && typeof lesson.lessonTitle === 'string'));

  assert.is(one.exams.length, 1);
  assert.equal(one.exams[0]?.papers.map((paper) => paper.paper_id), ['medlymockaqaGCSEBio_Sept_Mock1Higher', 'medlymockaqaGCSEBio_Sept_Mock2Higher']);
  const examParts = examPartsOf(one);
  assert.ok(near(examParts.length, 64, 0.2), `${examParts.length} exam parts`);
  assert.ok(examParts.every((part) => Array.isArray(part.lessonIDs) && typeof part.questionID === 'string'));

  assert.ok(near(one.practices.length, 281, 0.01), `${one.practices.length} banks`);
  assert.ok(near(practicePartsOf(one).length, 5183, 0.1), `${practicePartsOf(one).length} practice parts`);

  const paths = Object.keys(one.targets);
  assert.ok(near(paths.length, 1061, 0.1), `${paths.length} attempts`);
  const uids = new Set(paths.map((path) => path.split('/')[1]));
  assert.is(uids.size, 36);
});

test('practice banks follow the real file’s JSON schema, except where an edge case is injected', async () => {
  const schema = JSON.parse(await readFile(new URL('../../../data/curriculum_data/aqaGCSEBio_practices.schema.json', import.meta.url), 'utf8')) as Json;
  delete schema.$schema; // "http://json-schema.org/schema#" names no draft Ajv knows; the keywords are draft-07.
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.not.ok(validate(one.practices), 'the injected edge cases break the schema on purpose');
  const reasons = new Set(
    (validate.errors ?? []).map((error) =>
      error.keyword === 'required'
        ? `required ${String(error.params.missingProperty)}`
        : `${error.keyword} ${error.instancePath.split('/').at(-1) ?? ''}`,
    ),
  );
  assert.equal([...reasons].sort(), ['required difficulty', 'required lessonID', 'type difficulty', 'type markmax']);
});

test('links mostly resolve, as in the real data', () => {
  const lessonIds = new Set(lessonsOf(one).map((lesson) => lesson.lessonID));
  const resolvedBanks = one.practices.filter((bank) => lessonIds.has(bankLessonId(bank))).length;
  assert.ok(resolvedBanks / one.practices.length > 0.99, `${resolvedBanks} banks resolve`);
  assert.ok(lessonsOf(one).every((lesson) => one.practices.some((bank) => bankLessonId(bank) === lesson.lessonID)), 'every lesson has a bank');

  const practiceIds = new Set(practicePartsOf(one).map((part) => part.questionID));
  const examIds = examPartsOf(one).map((part) => part.questionID as string);
  const reused = examIds.filter((id) => practiceIds.has(id)).length;
  assert.ok(reused / examIds.length > 0.8 && reused < examIds.length, `${reused} of ${examIds.length} exam parts reused in practice`);

  const known = new Set([...practiceIds, ...examIds]);
  const parsed = Object.keys(one.targets).map((path) => PATH_SHAPE.exec(path)).filter((match) => match !== null);
  const resolved = parsed.filter((match) => known.has(match[5])).length;
  assert.ok(resolved / parsed.length > 0.98, `${resolved} of ${parsed.length} attempts name a known question`);
  const mocks = parsed.filter((match) => match[3] !== undefined).length;
  const practice = parsed.filter((match) => match[4] !== undefined).length;
  assert.ok(mocks > 500 && practice > 100, `${mocks} mock and ${practice} practice attempts`);
});

test('every kind of edge case is present at 1×', () => {
  const lessonEntries = lessonsOf(one);
  const lessonIds = new Set(lessonEntries.map((lesson) => lesson.lessonID));
  assert.ok(lessonIds.size < lessonEntries.length, 'a duplicate course lessonID');
  assert.ok(lessonEntries.some((lesson) => typeof lesson.lessonIndex === 'string'), 'a numeric-string lessonIndex');

  const examParts = examPartsOf(one);
  assert.ok(examParts.some((part) => !('difficulty' in part)), 'an exam part without difficulty');
  assert.ok(examParts.some((part) => typeof part.difficulty === 'string'), 'a numeric-string exam difficulty');
  assert.ok(examParts.some((part) => (part.lessonIDs as string[]).some((id) => !lessonIds.has(id))), 'an exam lessonID naming no lesson');

  assert.ok(one.practices.some((bank) => !('lessonID' in bank)), 'a bank without lessonID');
  assert.ok(one.practices.some((bank) => typeof bank.lessonID === 'string' && !lessonIds.has(bank.lessonID)), 'a bank for no course lesson');
  const legacy = one.practices.filter((bank) => typeof bank.lessonID === 'string' && bank.lessonID !== bank.original_lessonID);
  assert.ok(legacy.length > 0, 'a legacy original_lessonID');
  const banksPerLesson = new Map<string, number>();
  for (const bank of one.practices) banksPerLesson.set(bankLessonId(bank), (banksPerLesson.get(bankLessonId(bank)) ?? 0) + 1);
  assert.ok([...banksPerLesson.values()].some((count) => count > 1), 'a repeated bank lessonID');
  const parts = practicePartsOf(one);
  assert.ok(parts.some((part) => /^\d+$/.test(String(part.difficulty)) && typeof part.difficulty === 'string'), 'a numeric-string difficulty');
  assert.ok(parts.some((part) => !('difficulty' in part)), 'a practice part without difficulty');
  const contentById = new Map<unknown, string>();
  let conflicts = 0;
  for (const part of parts) {
    const content = JSON.stringify(part);
    const seen = contentById.get(part.questionID);
    if (seen !== undefined && seen !== content) conflicts++;
    contentById.set(part.questionID, content);
  }
  assert.ok(conflicts > 0, 'a questionID in two banks with different content');

  const entries = Object.entries(one.targets);
  const bodies = entries.map(([, body]) => body).filter((body): body is Json => typeof body === 'object' && body !== null && !Array.isArray(body));
  assert.ok(bodies.length < entries.length, 'an attempt body that is not an object');
  assert.ok(entries.some(([path]) => !PATH_SHAPE.test(path)), 'a path of neither shape');
  assert.ok(bodies.some((body) => typeof body.createdAt === 'number'), 'an epoch-milliseconds createdAt');
  assert.ok(bodies.some((body) => typeof body.createdAt === 'string' && Number.isNaN(Date.parse(body.createdAt))), 'a garbage createdAt');
  for (const form of [/\.\d{6}Z$/, /\.\d{6}\+00:00$/, /:\d\dZ$/, /\.\d{3}Z$/, /\.\d{3}$/, /\+01:00$/]) {
    assert.ok(bodies.some((body) => typeof body.createdAt === 'string' && form.test(body.createdAt)), `a createdAt like ${form}`);
  }
  const early = bodies.filter(
    (body) => typeof body.createdAt === 'string' && typeof body.updatedAt === 'string' && Date.parse(body.updatedAt) < Date.parse(body.createdAt),
  ).length;
  assert.ok(early / entries.length > 0.03 && early / entries.length < 0.06, `${early} attempts updated before created`);
  const pathQuestion = (path: string): string | undefined => path.split('/').at(-1);
  assert.ok(bodies.some((body) => !('questionID' in body)), 'a body without questionID');
  assert.ok(
    entries.some(([path, body]) => typeof body === 'object' && body !== null && 'questionID' in body && body.questionID !== pathQuestion(path)),
    'a body questionID other than the path’s',
  );
});

test('files are laid out as the real ones: same indentation, no final newline, raw UTF-8, escaped NUL', async () => {
  const real = await Promise.all(FILES.map((file) => readFile(new URL(`../../../data/${file}`, import.meta.url), 'utf8')));
  const made = await Promise.all(FILES.map((file) => readFile(join(oneDir, file), 'utf8')));
  FILES.forEach((file, index) => {
    const [expected, actual] = [real[index] ?? '', made[index] ?? ''];
    // The first lines are structure and the real first record's leading fields.
    const head = file.startsWith('user_data') ? 27 : 60;
    assert.is(actual.slice(0, head), expected.slice(0, head), `${file} begins as the real one`);
    const closing = (text: string): string | undefined => /[\s\]}]*$/.exec(text)?.[0];
    assert.is(closing(actual), closing(expected), `${file} ends as the real one`);
  });
  const [users, course, exams, practices] = made;
  for (const text of [users, exams, practices]) assert.ok(text?.includes('\\u0000'), 'an escaped NUL');
  for (const text of [users, course, practices]) assert.ok(/\p{Extended_Pictographic}/u.test(text ?? ''), 'a raw emoji');
});

test('counts grow with the scale', async () => {
  const two = await load(await generated(2));
  assert.is(new Set(Object.keys(two.targets).map((path) => path.split('/')[1])).size, 72);
  assert.is(two.exams.flatMap((set) => set.papers).length, 4);
  assert.ok(near(lessonsOf(two).length, 2 * 279, 0.02));
  assert.ok(near(practicePartsOf(two).length, 2 * practicePartsOf(one).length, 0.05));
  assert.ok(near(Object.keys(two.targets).length, 2 * Object.keys(one.targets).length, 0.15));
  const tenth = await load(await generated(0.1));
  assert.ok(near(practicePartsOf(tenth).length, 518, 0.25), `${practicePartsOf(tenth).length} practice parts at 0.1×`);
});

test('the layout writers print what JSON.stringify prints, record by record', async () => {
  const chunks: string[] = [];
  const writer: FileWriter = { write: async (text) => void chunks.push(text), close: async () => 0 };
  const value = [{ a: 1, b: [1, { c: 'x\ny\u0000' }], d: {}, e: [] }, 'two', null];
  await writeArray(writer, value, { indent: 1, depth: 0 });
  assert.is(chunks.join(''), JSON.stringify(value, null, 1));
  chunks.length = 0;
  await writeArray(writer, [], { indent: 2, depth: 0 });
  assert.is(chunks.join(''), '[]');
  chunks.length = 0;
  const entries: [string, unknown][] = [['users/a/x', { createdAt: 1, canvas: { maths: [] } }], ['k', [1, 2]]];
  await writer.write('{\n  "targets": ');
  await writeObject(writer, entries, { indent: 2, depth: 1 });
  await writer.write('\n}');
  assert.is(chunks.join(''), JSON.stringify({ targets: Object.fromEntries(entries) }, null, 2));
});

test('a sampler hits about rate × calls, the first within 1 / rate calls', () => {
  const hit = createSampler(0.01, createRandom('sampler'));
  const hits = Array.from({ length: 10_000 }, () => hit())
    .map((wasHit, index) => (wasHit ? index : -1))
    .filter((index) => index >= 0);
  assert.ok(hits.length >= 90 && hits.length <= 110, `${hits.length} hits`);
  assert.ok((hits[0] ?? Infinity) < 100);
  const never = createSampler(0, createRandom('sampler'));
  assert.not.ok(Array.from({ length: 1000 }, never).some(Boolean));
});

test.run();
