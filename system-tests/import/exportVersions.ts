/**
 * Successive versions of the shared export, as the app would write them over
 * time: each version is the one before with records withdrawn, added,
 * edited, fixed, moved between banks, and reordered. The files are small at
 * 1×, so they are read whole here (the product never does that).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of the export the versions touch; the rest rides along as read. */
interface Lesson {
  lessonIndex: number;
  /** Absent: a course lesson the producers reject (missing_lesson_id); written as absent when undefined. */
  lessonID?: string | undefined;
  lessonTitle: string;
}
interface Part {
  questionID?: string;
  question_text?: string;
}
interface Question {
  items: Part[];
}
type Attempt = Record<string, unknown>;

export interface Export {
  users: { targets: Record<string, Attempt> };
  course: { topics: { lessons: Lesson[] }[] }[];
  practices: { items: Question[] }[];
  exams: { papers: { questions: Question[] }[] }[];
}

const FILES = {
  users: 'user_data/user_data.json',
  course: 'curriculum_data/aqaGCSEBio_course.json',
  practices: 'curriculum_data/aqaGCSEBio_practices.json',
  exams: 'curriculum_data/aqaGCSEBio_exams.json',
} as const;

export async function readExport(dataDir: string): Promise<Export> {
  const read = async (file: string): Promise<unknown> => JSON.parse(await readFile(join(dataDir, file), 'utf8'));
  return {
    users: (await read(FILES.users)) as Export['users'],
    course: (await read(FILES.course)) as Export['course'],
    practices: (await read(FILES.practices)) as Export['practices'],
    exams: (await read(FILES.exams)) as Export['exams'],
  };
}

export async function writeExport(data: Export, dataDir: string): Promise<void> {
  await mkdir(join(dataDir, 'user_data'), { recursive: true });
  await mkdir(join(dataDir, 'curriculum_data'), { recursive: true });
  for (const [source, file] of Object.entries(FILES) as [keyof Export, string][]) {
    await writeFile(join(dataDir, file), JSON.stringify(data[source], null, 1));
  }
}

const lessons = (data: Export): Lesson[] => data.course.flatMap((unit) => unit.topics.flatMap((topic) => topic.lessons));
const lessonWith = (data: Export, lessonId: string | undefined): Lesson => {
  const lesson = lessons(data).find((candidate) => candidate.lessonID === lessonId);
  if (!lesson) throw new Error(`the export has no lesson ${String(lessonId)}`);
  return lesson;
};
const uidOf = (path: string) => path.split('/')[1] ?? '';
const attemptsOf = (data: Export, uid: string) => Object.keys(data.users.targets).filter((path) => uidOf(path) === uid);
const uids = (data: Export) => [...new Set(Object.keys(data.users.targets).map(uidOf))].sort();

/** The export without the given attempts. */
export function withoutAttempts(data: Export, paths: readonly string[]): void {
  const gone = new Set(paths);
  data.users.targets = Object.fromEntries(Object.entries(data.users.targets).filter(([path]) => !gone.has(path)));
}

/** The export without every attempt of the first `count` users (by uid). */
export function withoutUsers(data: Export, count: number): void {
  const gone = new Set(uids(data).slice(0, count));
  withoutAttempts(data, Object.keys(data.users.targets).filter((path) => gone.has(uidOf(path))));
}

/** The course lesson that v0 breaks (no lessonID: a missing_lesson_id rejection) and v1 fixes. */
export const BROKEN_LESSON = 'aqaGCSEBio1.2.3';

/** The part v2 moves from one bank to another (set when v2 is applied). */
export const MOVED_PART = { questionId: '' };

export interface ExportVersion {
  name: string;
  /** Changes the export in place into this version. */
  apply(data: Export): void;
}

export const exportVersions: readonly ExportVersion[] = [
  {
    name: 'v0: the shared export, one course lesson without its lessonID',
    apply(data) {
      lessonWith(data, BROKEN_LESSON).lessonID = undefined;
    },
  },
  {
    name: 'v1: a user gone, five attempts, a bank, a lesson and an exam part withdrawn, three attempts and a title edited, the broken lesson fixed',
    apply(data) {
      const [gone = '', thinned = ''] = uids(data).filter((uid) => attemptsOf(data, uid).length > 10);
      withoutAttempts(data, [...attemptsOf(data, gone), ...attemptsOf(data, thinned).slice(0, 5)]);
      for (const path of attemptsOf(data, thinned).slice(0, 3)) data.users.targets[path] = { ...data.users.targets[path], userMark: 1, isMarked: true };
      data.practices.splice(7, 1);
      const withdrawn = lessonWith(data, 'aqaGCSEBio2.1.1');
      for (const unit of data.course) for (const topic of unit.topics) topic.lessons = topic.lessons.filter((lesson) => lesson !== withdrawn);
      lessonWith(data, 'aqaGCSEBio0.0.1').lessonTitle = 'Microscopy, retitled';
      lessonWith(data, undefined).lessonID = BROKEN_LESSON;
      data.exams[0]?.papers[0]?.questions[0]?.items.pop();
    },
  },
  {
    name: 'v2: a part moved to another bank, attempts added, a part edited, a lesson added, banks and attempts reordered',
    apply(data) {
      const moved = data.practices[3]?.items[0]?.items.pop();
      if (moved) data.practices[4]?.items[0]?.items.push(moved);
      MOVED_PART.questionId = moved?.questionID ?? '';
      const edited = data.practices[5]?.items[0]?.items[0];
      if (edited) edited.question_text = 'An edited question.';
      const [path = '', attempt = {}] = Object.entries(data.users.targets)[0] ?? [];
      data.users.targets[path.replace(/[^/]+$/, 'aqaGCSEBio_added_1')] = { ...attempt, questionID: 'aqaGCSEBio_added_1' };
      data.users.targets[path.replace(/[^/]+$/, 'aqaGCSEBio_added_2')] = { ...attempt, questionID: 'aqaGCSEBio_added_2' };
      data.users.targets = Object.fromEntries(Object.entries(data.users.targets).reverse());
      data.practices.reverse();
      data.course[0]?.topics[0]?.lessons.push({ lessonIndex: 99, lessonID: 'aqaGCSEBio0.0.99', lessonTitle: 'A new lesson' });
    },
  },
  {
    name: 'v3: the new lesson withdrawn again, another user gone, the broken lesson broken again',
    apply(data) {
      const topic = data.course[0]?.topics[0];
      if (topic) topic.lessons = topic.lessons.filter((lesson) => lesson.lessonID !== 'aqaGCSEBio0.0.99');
      withoutAttempts(data, attemptsOf(data, uids(data).at(-1) ?? ''));
      lessonWith(data, BROKEN_LESSON).lessonID = undefined;
    },
  },
];
