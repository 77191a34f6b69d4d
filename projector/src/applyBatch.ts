/**
 * Applies one batch of decoded messages (from any topics and partitions) in
 * the caller's transaction: base projections, then the tables derived from
 * them, then projection_stats and the checkpoints, all or nothing.
 *
 * It is a pure function of the batch and the database state, so the
 * transaction may be retried: it takes the group's advisory lock, reads the
 * checkpoints, and skips any message at or below what is already applied
 * (a redelivery after a crash or a rebalance applies nothing twice). A
 * checkpoint only moves from where the batch says it started, so it never
 * jumps over offsets nobody applied (after a replay emptied the tables under
 * a running consumer, say).
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { partitionKey, type PartitionOffset } from '@medly/shared/partitionOffset';
import { topics } from '@medly/shared/topics';
import type { BatchConnection, Queryable } from './batchWriter.ts';
import { readCheckpointMap, saveCheckpoints } from './checkpoints.ts';
import { positionOf, type Decoded } from './decode.ts';
import { envelopesOf } from './envelope.ts';
import { projectAttempts } from './projections/attempts.ts';
import { projectItemAppearances } from './projections/itemAppearances.ts';
import { projectItemLessons } from './projections/itemLessons.ts';
import { recomputeItems } from './projections/items.ts';
import { projectLessons } from './projections/lessons.ts';
import { projectPapers } from './projections/papers.ts';
import { projectPracticeBanks } from './projections/practiceBanks.ts';
import { projectQuestions } from './projections/questions.ts';
import { projectRejections } from './projections/rejections.ts';
import { recomputeSubjects } from './projections/subjects.ts';
import { recomputeTopics } from './projections/topics.ts';
import { recomputeUnits } from './projections/units.ts';
import { projectUserProfiles, recomputeUserActivity } from './projections/users.ts';
import { noRows } from './noRows.ts';
import { addCounts, saveStats, type TableCounts } from './stats.ts';

/** A run of one partition a batch covers: every offset in [from, next) was consumed. */
export interface PartitionRange {
  topic: string;
  partition: number;
  /** Where the consumer believed the partition stood (the checkpoint it sought to, or the end of its last batch). */
  from: number;
  /** Last consumed offset + 1. */
  next: number;
}

export interface Batch {
  items: readonly Decoded[];
  ranges: readonly PartitionRange[];
}

export interface BatchOutcome {
  tables: TableCounts;
  /** Messages applied (events and dead letters). */
  applied: number;
  /** Messages at or below a stored checkpoint, skipped. */
  skipped: number;
  /** The checkpoints after the batch (next offsets), for the partitions it applied. */
  checkpoints: PartitionOffset[];
  /**
   * Ranges that start past the stored checkpoint (the tables were emptied by
   * a replay, or another writer diverged): nothing of them was applied; the
   * consumer must seek back to `storedOffset`, the checkpoint after this batch.
   */
  diverged: DivergedRange[];
}

export interface DivergedRange {
  topic: string;
  partition: number;
  from: number;
  storedOffset: number;
}

const locked = z.object({ locked: z.string() });
const subjectRow = z.object({ source: z.string(), subject_id: z.string() });

/** The distinct subject ids the given lessons, banks and papers have now (before the batch changes them). */
async function subjectsBefore(
  connection: Queryable,
  ids: { lessons: string[]; practice_banks: string[]; papers: string[] },
): Promise<{ lessons: string[]; practice_banks: string[]; papers: string[] }> {
  const found = { lessons: [] as string[], practice_banks: [] as string[], papers: [] as string[] };
  if (ids.lessons.length + ids.practice_banks.length + ids.papers.length === 0) return found;
  const rows = await connection.any(sql.type(subjectRow)`
    SELECT DISTINCT 'lessons' AS source, subject_id FROM lessons WHERE lesson_id = ANY (${sql.array(ids.lessons, 'text')})
    UNION SELECT DISTINCT 'practice_banks', subject_id FROM practice_banks WHERE lesson_id = ANY (${sql.array(ids.practice_banks, 'text')})
    UNION SELECT DISTINCT 'papers', subject_id FROM papers WHERE paper_id = ANY (${sql.array(ids.papers, 'text')})`);
  for (const row of rows) found[row.source as keyof typeof found].push(row.subject_id);
  return found;
}

export async function applyBatch(connection: BatchConnection, group: string, batch: Batch): Promise<BatchOutcome> {
  await connection.one(sql.type(locked)`SELECT pg_advisory_xact_lock(hashtext(${group}))::text AS locked`);
  // Batches are many short statements: JIT compilation, triggered by the row
  // estimates of a table not yet analysed, cost more than it saved (656 ms of
  // one 1.7 s recompute at 100×).
  await connection.query(sql.type(noRows)`SET LOCAL jit = off`);
  const stored = await readCheckpointMap(connection, group, true);
  const storedOf = (topic: string, partition: number) => stored.get(partitionKey(topic, partition)) ?? 0;

  // A partition may bring several ranges (batches handed over one after another): taken in order,
  // each must start at or before where the previous left off, or it and the rest are refused.
  const diverged: DivergedRange[] = [];
  const checkpoints: PartitionOffset[] = [];
  const acceptedUntil = new Map<string, number>();
  const byPartition = Map.groupBy(batch.ranges, (range) => partitionKey(range.topic, range.partition));
  for (const [key, ranges] of byPartition) {
    const first = ranges[0];
    if (!first) continue;
    const stored = storedOf(first.topic, first.partition);
    let until = stored;
    for (const range of ranges.toSorted((a, b) => a.from - b.from)) {
      if (range.from > until) diverged.push({ topic: range.topic, partition: range.partition, from: range.from, storedOffset: -1 });
      else until = Math.max(until, range.next);
    }
    for (const refused of diverged) if (partitionKey(refused.topic, refused.partition) === key) refused.storedOffset = until;
    acceptedUntil.set(key, until);
    if (until > stored) checkpoints.push({ topic: first.topic, partition: first.partition, offset: until });
  }
  const isNew = ({ topic, partition, offset }: PartitionOffset) =>
    offset >= storedOf(topic, partition) && offset < (acceptedUntil.get(partitionKey(topic, partition)) ?? 0);
  const items = batch.items.filter((item) => isNew(positionOf(item)));
  const envelopes = items.flatMap((item) => (item.kind === 'event' ? [item.envelope] : []));
  const deadLetters = items.flatMap((item) => (item.kind === 'deadLetter' ? [item.deadLetter] : []));
  const tables: TableCounts = {};

  // The subjects these rows belonged to before this batch: a row that moves leaves its old subject to recompute.
  const lessonEvents = envelopesOf(envelopes, 'lessons');
  const bankEvents = envelopesOf(envelopes, 'practiceBanks');
  const paperEvents = envelopesOf(envelopes, 'papers');
  const previousSubjects = await subjectsBefore(connection, {
    lessons: lessonEvents.map(({ event }) => event.lessonId),
    practice_banks: bankEvents.map(({ event }) => event.lessonId),
    papers: paperEvents.map(({ event }) => event.paperId),
  });
  const lessons = await projectLessons(connection, lessonEvents);
  addCounts(tables, 'lessons', lessons);
  const papers = await projectPapers(connection, paperEvents);
  addCounts(tables, 'papers', papers);
  const banks = await projectPracticeBanks(connection, bankEvents);
  addCounts(tables, 'practice_banks', banks);
  addCounts(tables, 'questions', await projectQuestions(connection, envelopesOf(envelopes, 'questions')));

  // Links and canonical items are functions of the appearances: only changed appearances need a look.
  const appearanceEvents = envelopesOf(envelopes, 'itemAppearances');
  const appearances = await projectItemAppearances(connection, appearanceEvents);
  addCounts(tables, 'item_appearances', appearances);
  const changedAppearances = new Set(appearances.changed.map((row) => `${row.kind}/${row.container_id}/${row.question_id}`));
  const changedAppearanceEvents = appearanceEvents.filter(({ event }) => changedAppearances.has(topics.itemAppearances.key(event)));
  addCounts(tables, 'item_lessons', await projectItemLessons(connection, changedAppearanceEvents));
  addCounts(tables, 'items', await recomputeItems(connection, appearances.changed.map((row) => row.question_id)));

  const attemptEvents = envelopesOf(envelopes, 'attempts');
  addCounts(tables, 'attempts', await projectAttempts(connection, attemptEvents));
  addCounts(tables, 'users', await recomputeUserActivity(connection, attemptEvents.map(({ event }) => event.uid)));
  addCounts(tables, 'users', await projectUserProfiles(connection, envelopesOf(envelopes, 'userProfiles')));

  addCounts(tables, 'rejections', await projectRejections(connection, envelopesOf(envelopes, 'rejections'), deadLetters));

  // Derived curriculum: only subjects whose lessons / banks / papers changed need a look.
  const lessonSubjects = [...lessons.changed.map((row) => row.subject_id), ...previousSubjects.lessons];
  addCounts(tables, 'units', await recomputeUnits(connection, lessonSubjects));
  addCounts(tables, 'topics', await recomputeTopics(connection, lessonSubjects));
  addCounts(
    tables,
    'subjects',
    await recomputeSubjects(connection, [
      ...lessonSubjects,
      ...banks.changed.map((row) => row.subject_id),
      ...papers.changed.map((row) => row.subject_id),
      ...previousSubjects.practice_banks,
      ...previousSubjects.papers,
    ]),
  );

  await saveStats(connection, tables);
  await saveCheckpoints(connection, group, checkpoints);
  return {
    tables,
    applied: envelopes.length + deadLetters.length,
    skipped: batch.items.length - items.length,
    checkpoints,
    diverged,
  };
}
