/** practiceBankDefined → practice_banks: one row per bank lessonId, chunks kept as jsonb. */
import type { BatchConnection, Queryable } from '../batchWriter.ts';
import { provenance, provenanceColumns, type EnvelopeOf, type Provenance } from '../envelope.ts';
import { removeRows } from '../removeRows.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface PracticeBankRow extends Provenance {
  lesson_id: string;
  subject_id: string;
  original_lesson_id: string | null;
  exam_board: string | null;
  qualification: string | null;
  subject_title: string | null;
  unit_index: number | null;
  unit_title: string | null;
  topic_index: number | null;
  topic_title: string | null;
  lesson_index: number | null;
  lesson_title: string | null;
  chunks: { index: number; title: string }[];
  question_count: number;
}

export const practiceBanksTable: TableSpec<PracticeBankRow> = {
  table: 'practice_banks',
  key: ['lesson_id'],
  columns: {
    lesson_id: 'text',
    subject_id: 'text',
    original_lesson_id: 'text',
    exam_board: 'text',
    qualification: 'text',
    subject_title: 'text',
    unit_index: 'integer',
    unit_title: 'text',
    topic_index: 'integer',
    topic_title: 'text',
    lesson_index: 'integer',
    lesson_title: 'text',
    chunks: 'jsonb',
    question_count: 'integer',
    ...provenanceColumns,
  },
};

const practiceBanksWriter = createTableWriter(practiceBanksTable);

export function practiceBankRows(envelopes: readonly EnvelopeOf<'practiceBanks'>[]): PracticeBankRow[] {
  return envelopes.map(({ event, position, seen }) => ({
    lesson_id: event.lessonId,
    subject_id: event.subjectId,
    original_lesson_id: event.originalLessonId,
    exam_board: event.examBoard,
    qualification: event.qualification,
    subject_title: event.subjectTitle,
    unit_index: event.unitIndex,
    unit_title: event.unitTitle,
    topic_index: event.topicIndex,
    topic_title: event.topicTitle,
    lesson_index: event.lessonIndex,
    lesson_title: event.lessonTitle,
    chunks: event.chunks.map(({ index, title }) => ({ index, title })),
    question_count: event.questionCount,
    ...provenance(event.source, position, seen),
  }));
}

export function projectPracticeBanks(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'practiceBanks'>[],
  runTimes: readonly string[],
): Promise<UpsertResult<PracticeBankRow>> {
  return practiceBanksWriter.upsert(connection, practiceBankRows(envelopes), runTimes);
}

/** Removes banks by key; returns the subjects they belonged to. */
export function removePracticeBanks(connection: Queryable, keys: readonly (readonly string[])[]): Promise<{ subject_id: string }[]> {
  return removeRows(connection, 'practice_banks', ['lesson_id'], keys, ['subject_id']);
}
