/**
 * itemAppeared → item_lessons: the lessons one appearance links its item to
 * (an exam part's lessonIDs[]; a practice part's bank lessonID, which is its
 * container). Links that no longer appear in an appearance's newest event are
 * removed; links to lessons that do not exist are kept (no foreign key) and
 * resolve when the lesson arrives.
 */
import { sql } from 'slonik';
import type { BatchConnection, Queryable } from '../batchWriter.ts';
import { provenance, provenanceColumns, type EnvelopeOf, type Provenance } from '../envelope.ts';
import { topics } from '@medly/shared/topics';
import { noRows } from '../noRows.ts';
import { jsonRows } from '../jsonRows.ts';
import { removeRows } from '../removeRows.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface ItemLessonRow extends Provenance {
  question_id: string;
  lesson_id: string;
  kind: string;
  container_id: string;
}

export const itemLessonsTable: TableSpec<ItemLessonRow> = {
  table: 'item_lessons',
  key: ['question_id', 'lesson_id', 'kind', 'container_id'],
  columns: {
    question_id: 'text',
    lesson_id: 'text',
    kind: 'text',
    container_id: 'text',
    ...provenanceColumns,
  },
};

const itemLessonsWriter = createTableWriter(itemLessonsTable);

/** The lesson ids one appearance links to, each once, in the order given. */
export function linkedLessonIds(event: EnvelopeOf<'itemAppearances'>['event']): string[] {
  const ids = event.kind === 'practice' ? [...event.lessonIds, event.containerId] : event.lessonIds;
  return [...new Set(ids)];
}

export function itemLessonRows(envelopes: readonly EnvelopeOf<'itemAppearances'>[]): ItemLessonRow[] {
  return envelopes.flatMap(({ event, position, seen }) =>
    linkedLessonIds(event).map((lessonId) => ({
      question_id: event.questionId,
      lesson_id: lessonId,
      kind: event.kind,
      container_id: event.containerId,
      ...provenance(event.source, position, seen),
    })),
  );
}

export async function projectItemLessons(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'itemAppearances'>[],
  runTimes: readonly string[],
): Promise<UpsertResult<ItemLessonRow>> {
  // The newest event of each appearance decides its whole set of links.
  const latest = [
    ...new Map(envelopes.map((envelope) => [topics.itemAppearances.key(envelope.event), envelope])).values(),
  ];
  if (latest.length === 0) return itemLessonsWriter.upsert(connection, [], runTimes);
  const wanted = latest.map(({ event }) => ({
    kind: event.kind,
    container_id: event.containerId,
    question_id: event.questionId,
    lesson_ids: linkedLessonIds(event),
  }));
  await connection.query(sql.type(noRows)`
    DELETE FROM item_lessons il
    USING jsonb_to_recordset(${jsonRows(wanted)}::jsonb) AS wanted(kind text, container_id text, question_id text, lesson_ids text[])
    WHERE il.kind = wanted.kind AND il.container_id = wanted.container_id AND il.question_id = wanted.question_id
      AND NOT (il.lesson_id = ANY (wanted.lesson_ids))`);
  return itemLessonsWriter.upsert(connection, itemLessonRows(latest), runTimes);
}

/** Removes the links of removed appearances (keys [kind, container_id, question_id]); returns how many. */
export async function removeItemLessonsOf(connection: Queryable, appearanceKeys: readonly (readonly string[])[]): Promise<number> {
  return (await removeRows(connection, 'item_lessons', ['kind', 'container_id', 'question_id'], appearanceKeys, [])).length;
}
