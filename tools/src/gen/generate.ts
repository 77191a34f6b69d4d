import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCourse, retiredLessonIds } from './course.ts';
import type { EdgeTally } from './edgeCases.ts';
import { buildExams } from './exams.ts';
import { createFileWriter } from './fileWriter.ts';
import { writeArray, writeObject } from './jsonLayout.ts';
import { practiceBanks } from './practices.ts';
import { createRandom } from './random.ts';
import type { PracticeTarget } from './refs.ts';
import { createReservoir } from './reservoir.ts';
import { SUBJECT_ID } from './text.ts';
import { attemptEntries, type UsersCounts } from './users.ts';

export interface GenerateOptions {
  /** Multiple of the real export's size; fractions give smaller data (tests). */
  scale: number;
  outDir: string;
  seed?: string;
}

export interface FileSummary {
  file: string;
  bytes: number;
  /** Record counts, finest last (lessons, exam parts, practice parts, attempts). */
  records: Record<string, number>;
}

export interface GenerateResult {
  files: FileSummary[];
  edgeCases: EdgeTally;
}

/** Banks kept for practice attempts to point at: enough variety, bounded memory at 100×. */
const PRACTICE_TARGETS_KEPT = 2_000;

/**
 * Writes the four exports at `scale` × the real size under `outDir`, in the
 * real folder layout. The same scale and seed give byte-identical files: every
 * random choice comes from sfc32 streams seeded by `<seed>:<file>`.
 * Course and exams are small and built in memory; practice banks and attempts
 * are streamed.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { scale, outDir } = options;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, got ${scale}`);
  const seed = options.seed ?? 'medly';
  const edgeCases: EdgeTally = {};
  const curriculumDir = join(outDir, 'curriculum_data');
  const userDir = join(outDir, 'user_data');
  await mkdir(curriculumDir, { recursive: true });
  await mkdir(userDir, { recursive: true });
  const files: FileSummary[] = [];
  const retired = retiredLessonIds(scale);

  const course = buildCourse(scale, createRandom(`${seed}:course`), edgeCases);
  const coursePath = join(curriculumDir, `${SUBJECT_ID}_course.json`);
  const courseWriter = createFileWriter(coursePath);
  await writeArray(courseWriter, course.units, { indent: 2, depth: 0 });
  files.push({
    file: coursePath,
    bytes: await courseWriter.close(),
    records: { units: course.units.length, topics: course.units.reduce((sum, unit) => sum + unit.topics.length, 0), lessons: course.lessonEntries },
  });

  const exams = buildExams(scale, { lessons: course.lessons, retiredLessonIds: retired }, createRandom(`${seed}:exams`), edgeCases);
  const examsPath = join(curriculumDir, `${SUBJECT_ID}_exams.json`);
  const examsWriter = createFileWriter(examsPath);
  await writeArray(examsWriter, exams.paperSets, { indent: 2, depth: 0 });
  files.push({
    file: examsPath,
    bytes: await examsWriter.close(),
    records: { paperSets: exams.paperSets.length, papers: exams.papers.length, questions: exams.questionCount, parts: exams.partCount },
  });

  const practiceRandom = createRandom(`${seed}:practices`);
  const targets = createReservoir<PracticeTarget>(PRACTICE_TARGETS_KEPT, createRandom(`${seed}:practice-targets`));
  const practiceCounts = { banks: 0, questions: 0, parts: 0 };
  const practicesPath = join(curriculumDir, `${SUBJECT_ID}_practices.json`);
  const practicesWriter = createFileWriter(practicesPath);
  const banks = practiceBanks({
    scale,
    lessons: course.lessons,
    retiredLessonIds: retired,
    reusedByLesson: exams.reusedByLesson,
    random: practiceRandom,
    tally: edgeCases,
    onBank: (target, questions) => {
      practiceCounts.banks++;
      practiceCounts.questions += questions;
      practiceCounts.parts += target.parts.length;
      if (target.parts.length > 0) targets.offer(target);
    },
  });
  await writeArray(practicesWriter, banks, { indent: 1, depth: 0 });
  files.push({ file: practicesPath, bytes: await practicesWriter.close(), records: practiceCounts });

  const usersCounts: UsersCounts = { users: 0, attempts: 0, mockAttempts: 0, practiceAttempts: 0 };
  const usersPath = join(userDir, 'user_data.json');
  const usersWriter = createFileWriter(usersPath);
  await usersWriter.write('{\n  "targets": ');
  const entries = attemptEntries(
    { scale, papers: exams.papers, practiceTargets: targets.items(), random: createRandom(`${seed}:users`), tally: edgeCases },
    usersCounts,
  );
  await writeObject(usersWriter, entries, { indent: 2, depth: 1 });
  await usersWriter.write('\n}');
  files.push({ file: usersPath, bytes: await usersWriter.close(), records: { ...usersCounts } });

  return { files, edgeCases };
}
