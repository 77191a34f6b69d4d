/**
 * Successive versions of the shared export, as the app would write them over
 * time: each version is the one before with records withdrawn, added,
 * edited, fixed, moved between banks, and reordered. The files are small at
 * 1×, so they are read whole here (the product never does that).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any -- free-form export JSON, mutated by hand */
type Json = any;

export interface Export {
  users: { targets: Record<string, Json> };
  course: Json[];
  practices: Json[];
  exams: Json[];
}

const FILES = {
  users: 'user_data/user_data.json',
  course: 'curriculum_data/aqaGCSEBio_course.json',
  practices: 'curriculum_data/aqaGCSEBio_practices.json',
  exams: 'curriculum_data/aqaGCSEBio_exams.json',
} as const;

export async function readExport(dataDir: string): Promise<Export> {
  const read = async (file: string) => JSON.parse(await readFile(join(dataDir, file), 'utf8')) as Json;
  return { users: await read(FILES.users), course: await read(FILES.course), practices: await read(FILES.practices), exams: await read(FILES.exams) };
}

export async function writeExport(data: Export, dataDir: string): Promise<void> {
  await mkdir(join(dataDir, 'user_data'), { recursive: true });
  await mkdir(join(dataDir, 'curriculum_data'), { recursive: true });
  for (const [source, file] of Object.entries(FILES) as [keyof Export, string][]) {
    await writeFile(join(dataDir, file), JSON.stringify(data[source], null, 1));
  }
}

const lessons = (data: Export): Json[] => data.course.flatMap((unit: Json) => unit.topics.flatMap((topic: Json) => topic.lessons));
const uidOf = (path: string) => path.split('/')[1] ?? '';
const attemptsOf = (data: Export, uid: string) => Object.keys(data.users.targets).filter((path) => uidOf(path) === uid);
const uids = (data: Export) => [...new Set(Object.keys(data.users.targets).map(uidOf))].sort();

/** The course lesson that v0 breaks (no lessonID: a missing_lesson_id rejection) and v1 fixes. */
export const BROKEN_LESSON = 'aqaGCSEBio1.2.3';

export interface ExportVersion {
  name: string;
  /** Changes the export in place into this version. */
  apply(data: Export): void;
}

export const exportVersions: readonly ExportVersion[] = [
  {
    name: 'v0: the shared export, one course lesson without its lessonID',
    apply(data) {
      const lesson = lessons(data).find((candidate) => candidate.lessonID === BROKEN_LESSON);
      delete lesson.lessonID;
    },
  },
  {
    name: 'v1: a user gone, five attempts, a bank, a lesson and an exam part withdrawn, three attempts and a title edited, the broken lesson fixed',
    apply(data) {
      const [gone = '', thinned = ''] = uids(data).filter((uid) => attemptsOf(data, uid).length > 10);
      for (const path of attemptsOf(data, gone)) delete data.users.targets[path];
      for (const path of attemptsOf(data, thinned).slice(0, 5)) delete data.users.targets[path];
      for (const path of attemptsOf(data, thinned).slice(0, 3)) data.users.targets[path] = { ...data.users.targets[path], userMark: 1, isMarked: true };
      data.practices.splice(7, 1);
      const course = lessons(data);
      const withdrawn = course.find((lesson) => lesson.lessonID === 'aqaGCSEBio2.1.1');
      for (const unit of data.course) for (const topic of unit.topics) topic.lessons = topic.lessons.filter((lesson: Json) => lesson !== withdrawn);
      course.find((lesson) => lesson.lessonID === 'aqaGCSEBio0.0.1').lessonTitle = 'Microscopy, retitled';
      const broken = course.find((lesson) => lesson.lessonID === undefined);
      broken.lessonID = BROKEN_LESSON;
      data.exams[0].papers[0].questions[0].items.pop();
    },
  },
  {
    name: 'v2: a part moved to another bank, attempts added, a part edited, a lesson added, banks and attempts reordered',
    apply(data) {
      const [from, to] = [data.practices[3], data.practices[4]];
      const moved = from.items[0].items.pop();
      to.items[0].items.push(moved);
      data.practices[5].items[0].items[0].question_text = 'An edited question.';
      const [path, attempt] = Object.entries(data.users.targets)[0] as [string, Json];
      data.users.targets[path.replace(/[^/]+$/, 'aqaGCSEBio_added_1')] = { ...attempt, questionID: 'aqaGCSEBio_added_1' };
      data.users.targets[path.replace(/[^/]+$/, 'aqaGCSEBio_added_2')] = { ...attempt, questionID: 'aqaGCSEBio_added_2' };
      data.users.targets = Object.fromEntries(Object.entries(data.users.targets).reverse());
      data.practices.reverse();
      data.course[0].topics[0].lessons.push({ lessonIndex: 99, lessonID: 'aqaGCSEBio0.0.99', lessonTitle: 'A new lesson' });
    },
  },
  {
    name: 'v3: the new lesson withdrawn again, another user gone, the broken lesson broken again',
    apply(data) {
      data.course[0].topics[0].lessons = data.course[0].topics[0].lessons.filter((lesson: Json) => lesson.lessonID !== 'aqaGCSEBio0.0.99');
      const gone = uids(data).at(-1) ?? '';
      for (const path of attemptsOf(data, gone)) delete data.users.targets[path];
      delete lessons(data).find((lesson) => lesson.lessonID === BROKEN_LESSON).lessonID;
    },
  },
];
