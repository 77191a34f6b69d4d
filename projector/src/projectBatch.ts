/**
 * One batch's content into the tables, in the caller's transaction, in two
 * stages. The base stage writes the rows the batch's partitions own (upserts
 * of the keys whose newest message is an event, removals of those whose
 * newest is a tombstone, and what hangs on one key: an appearance's
 * item–lesson links, a key's dead letter); projectors apply it side by side.
 * The derived stage, entered through `enterDerivedStage` (a lock held to the
 * commit: batchLocks.ts), recomputes what rows of many partitions make:
 * items, users, units, topics, subjects, only for what changed. Returns the
 * per-table counts.
 *
 * A derived row is a function of its inputs as they stand when it is
 * recomputed, and recomputes run one at a time, each after the commits
 * before it: the result does not depend on the order the batches came in,
 * nor on which projector applied which partition.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { joinKey } from '@medly/shared/topics';
import type { BatchConnection, Queryable } from './batchWriter.ts';
import { tombstoneKeys, type BatchContent } from './batchContent.ts';
import { envelopesOf } from './envelope.ts';
import { projectAttempts, removeAttempts } from './projections/attempts.ts';
import { projectItemAppearances, removeItemAppearances } from './projections/itemAppearances.ts';
import { projectItemLessons, removeItemLessonsOf } from './projections/itemLessons.ts';
import { recomputeItems } from './projections/items.ts';
import { recomputeLessonGroups, type LessonPlace } from './projections/lessonGroups.ts';
import { projectLessons, removeLessons } from './projections/lessons.ts';
import { projectPapers, removePapers } from './projections/papers.ts';
import { projectPracticeBanks, removePracticeBanks } from './projections/practiceBanks.ts';
import { projectQuestions, removeQuestions } from './projections/questions.ts';
import { clearDeadLetters, projectRejections, removeRejections } from './projections/rejections.ts';
import { projectSourceSnapshots, removeSourceSnapshots } from './projections/sourceSnapshots.ts';
import { recomputeSubjects } from './projections/subjects.ts';
import { clearUserProfiles, projectUserProfiles, recomputeUserActivity } from './projections/users.ts';
import { addCounts, type TableCounts } from './stats.ts';
import { emptyCounts } from './upsertCounts.ts';

const placeBefore = z.object({ source: z.string(), id: z.string(), subject_id: z.string(), unit_index: z.number(), topic_index: z.number() });

type Containers = Record<'lessons' | 'practice_banks' | 'papers', string[]>;

/**
 * Where each given lesson, bank and paper is now, before the batch changes
 * it: a row that moves to another subject (a lesson: to another unit or
 * topic) leaves its old one to recompute. Returns, for the ids `changed`
 * names, the old subjects of banks and papers and the old places of lessons.
 */
async function placesBefore(
  connection: Queryable,
  ids: Containers,
): Promise<(changed: Containers) => { subjects: Omit<Containers, 'lessons'>; lessons: LessonPlace[] }> {
  const before = new Map<string, LessonPlace>();
  if (ids.lessons.length + ids.practice_banks.length + ids.papers.length > 0) {
    const rows = await connection.any(sql.type(placeBefore)`
      SELECT 'lessons' AS source, lesson_id AS id, subject_id, unit_index, topic_index FROM lessons WHERE lesson_id = ANY (${sql.array(ids.lessons, 'text')})
      UNION ALL SELECT 'practice_banks', lesson_id, subject_id, 0, 0 FROM practice_banks WHERE lesson_id = ANY (${sql.array(ids.practice_banks, 'text')})
      UNION ALL SELECT 'papers', paper_id, subject_id, 0, 0 FROM papers WHERE paper_id = ANY (${sql.array(ids.papers, 'text')})`);
    for (const { source, id, ...place } of rows) before.set(`${source}\u0000${id}`, place);
  }
  const old = (source: keyof Containers, changed: readonly string[]) => changed.flatMap((id) => before.get(`${source}\u0000${id}`) ?? []);
  return (changed) => ({
    subjects: {
      practice_banks: old('practice_banks', changed.practice_banks).map((place) => place.subject_id),
      papers: old('papers', changed.papers).map((place) => place.subject_id),
    },
    lessons: old('lessons', changed.lessons),
  });
}
const placeOf = ({ subject_id, unit_index, topic_index }: LessonPlace): LessonPlace => ({ subject_id, unit_index, topic_index });

const deleted = (count: number) => ({ ...emptyCounts(), deleted: count });

/** What the base stage changed that derived rows depend on. */
interface DerivedInputs {
  questionIds: string[];
  uids: string[];
  clearedProfiles: string[];
  /** Where the changed and removed lessons are and were: their units and topics are recomputed. */
  lessonPlaces: LessonPlace[];
  subjects: string[];
}

export async function projectBatch(connection: BatchConnection, content: BatchContent, enterDerivedStage: () => Promise<void>): Promise<TableCounts> {
  const tables: TableCounts = {};
  const inputs = await projectBase(connection, content, tables);
  await enterDerivedStage();
  await projectDerived(connection, content, inputs, tables);
  return tables;
}

async function projectBase(connection: BatchConnection, content: BatchContent, tables: TableCounts): Promise<DerivedInputs> {
  const { events, tombstones, deadLetters, runTimes } = content;
  const gone = (topicId: Parameters<typeof tombstoneKeys>[1]) => tombstoneKeys(tombstones, topicId);

  // Curriculum containers. The subjects these rows belonged to before this batch: a row that
  // moves leaves its old subject to recompute (a removed row's subject comes back from its DELETE).
  const lessonEvents = envelopesOf(events, 'lessons');
  const bankEvents = envelopesOf(events, 'practiceBanks');
  const paperEvents = envelopesOf(events, 'papers');
  const removedLessonIds = gone('lessons').map(([lessonId]) => lessonId ?? '');
  const previousPlacesOf = await placesBefore(connection, {
    lessons: [...lessonEvents.map(({ event }) => event.lessonId), ...removedLessonIds],
    practice_banks: bankEvents.map(({ event }) => event.lessonId),
    papers: paperEvents.map(({ event }) => event.paperId),
  });
  const lessons = await projectLessons(connection, lessonEvents, runTimes);
  const removedLessons = await removeLessons(connection, gone('lessons'));
  addCounts(tables, 'lessons', { ...lessons, deleted: removedLessons.length });
  const papers = await projectPapers(connection, paperEvents, runTimes);
  const removedPapers = await removePapers(connection, gone('papers'));
  addCounts(tables, 'papers', { ...papers, deleted: removedPapers.length });
  const banks = await projectPracticeBanks(connection, bankEvents, runTimes);
  const removedBanks = await removePracticeBanks(connection, gone('practiceBanks'));
  addCounts(tables, 'practice_banks', { ...banks, deleted: removedBanks.length });
  addCounts(tables, 'questions', await projectQuestions(connection, envelopesOf(events, 'questions'), runTimes));
  addCounts(tables, 'questions', deleted((await removeQuestions(connection, gone('questions'))).length));

  // An appearance's links hang on its key alone; its item waits for the derived stage.
  const appearanceEvents = envelopesOf(events, 'itemAppearances');
  const appearances = await projectItemAppearances(connection, appearanceEvents, runTimes);
  const removedAppearanceKeys = gone('itemAppearances');
  const removedAppearances = await removeItemAppearances(connection, removedAppearanceKeys);
  addCounts(tables, 'item_appearances', { ...appearances, deleted: removedAppearances.length });
  const changedAppearances = new Set(appearances.changed.map((row) => joinKey([row.kind, row.container_id, row.question_id], '/')));
  const changedAppearanceEvents = appearanceEvents.filter(({ event }) =>
    changedAppearances.has(joinKey([event.kind, event.containerId, event.questionId], '/')),
  );
  addCounts(tables, 'item_lessons', await projectItemLessons(connection, changedAppearanceEvents, runTimes));
  addCounts(tables, 'item_lessons', deleted(await removeItemLessonsOf(connection, removedAppearanceKeys)));

  const attempts = await projectAttempts(connection, envelopesOf(events, 'attempts'), runTimes);
  const removedAttempts = await removeAttempts(connection, gone('attempts'));
  addCounts(tables, 'attempts', { ...attempts, deleted: removedAttempts.length });

  addCounts(tables, 'rejections', await projectRejections(connection, envelopesOf(events, 'rejections'), deadLetters, runTimes));
  addCounts(tables, 'rejections', deleted(await removeRejections(connection, gone('rejections'))));
  addCounts(tables, 'rejections', deleted(await clearDeadLetters(connection, content.settledKeys)));

  await projectSourceSnapshots(connection, envelopesOf(events, 'snapshots'));
  await removeSourceSnapshots(connection, gone('snapshots'));

  const previous = previousPlacesOf({
    lessons: [...lessons.changed.map((row) => row.lesson_id), ...removedLessonIds],
    practice_banks: banks.changed.map((row) => row.lesson_id),
    papers: papers.changed.map((row) => row.paper_id),
  });
  const previousSubjects = previous.subjects;
  // A removed lesson's place is where it was (a key that named no lesson has none).
  const lessonPlaces = [...lessons.changed.map(placeOf), ...previous.lessons];
  const clearedProfiles = gone('userProfiles').map(([uid]) => uid ?? '');
  return {
    questionIds: [...appearances.changed.map((row) => row.question_id), ...removedAppearances.map((row) => row.question_id)],
    uids: [...attempts.changed.map((row) => row.uid), ...removedAttempts.map((row) => row.uid), ...clearedProfiles],
    clearedProfiles,
    lessonPlaces,
    subjects: [
      ...lessonPlaces.map((place) => place.subject_id),
      ...banks.changed.map((row) => row.subject_id),
      ...papers.changed.map((row) => row.subject_id),
      ...previousSubjects.practice_banks,
      ...previousSubjects.papers,
      ...removedBanks.map((row) => row.subject_id),
      ...removedPapers.map((row) => row.subject_id),
    ],
  };
}

async function projectDerived(connection: BatchConnection, content: BatchContent, inputs: DerivedInputs, tables: TableCounts): Promise<void> {
  const { runTimes } = content;
  addCounts(tables, 'items', await recomputeItems(connection, inputs.questionIds, runTimes));
  // Profiles share the users row with the attempts' recompute, so they are written here too.
  addCounts(tables, 'users', await projectUserProfiles(connection, envelopesOf(content.events, 'userProfiles'), runTimes));
  await clearUserProfiles(connection, inputs.clearedProfiles);
  addCounts(tables, 'users', await recomputeUserActivity(connection, inputs.uids, runTimes));
  addCounts(tables, 'units', await recomputeLessonGroups(connection, 'units', inputs.lessonPlaces, runTimes));
  addCounts(tables, 'topics', await recomputeLessonGroups(connection, 'topics', inputs.lessonPlaces, runTimes));
  addCounts(tables, 'subjects', await recomputeSubjects(connection, inputs.subjects, runTimes));
}
