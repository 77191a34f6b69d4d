/** lessonDefined → lessons: one row per lessonId (the last event of a key wins). */
import type { BatchConnection, Queryable } from '../batchWriter.ts';
import { provenance, provenanceColumns, type EnvelopeOf, type Provenance } from '../envelope.ts';
import { removeRows } from '../removeRows.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface LessonRow extends Provenance {
  lesson_id: string;
  subject_id: string;
  unit_index: number;
  unit_title: string;
  topic_index: number;
  topic_title: string;
  lesson_index: number;
  title: string;
}

export const lessonsTable: TableSpec<LessonRow> = {
  table: 'lessons',
  key: ['lesson_id'],
  columns: {
    lesson_id: 'text',
    subject_id: 'text',
    unit_index: 'integer',
    unit_title: 'text',
    topic_index: 'integer',
    topic_title: 'text',
    lesson_index: 'integer',
    title: 'text',
    ...provenanceColumns,
  },
};

const lessonsWriter = createTableWriter(lessonsTable);

export function lessonRows(envelopes: readonly EnvelopeOf<'lessons'>[]): LessonRow[] {
  return envelopes.map(({ event, position, seen }) => ({
    lesson_id: event.lessonId,
    subject_id: event.subjectId,
    unit_index: event.unitIndex,
    unit_title: event.unitTitle,
    topic_index: event.topicIndex,
    topic_title: event.topicTitle,
    lesson_index: event.lessonIndex,
    title: event.title,
    ...provenance(event.source, position, seen),
  }));
}

export function projectLessons(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'lessons'>[],
  runTimes: readonly string[],
): Promise<UpsertResult<LessonRow>> {
  return lessonsWriter.upsert(connection, lessonRows(envelopes), runTimes);
}

/** Removes lessons by key; returns the subjects they belonged to (their units, topics and subject are recomputed). */
export function removeLessons(connection: Queryable, keys: readonly (readonly string[])[]): Promise<{ subject_id: string }[]> {
  return removeRows(connection, 'lessons', ['lesson_id'], keys, ['subject_id']);
}
