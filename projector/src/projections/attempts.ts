/** attemptRecorded → attempts: one row per Firebase path, raw timestamps kept beside the parsed ones. */
import type { BatchConnection, Queryable } from '../batchWriter.ts';
import type { Json } from '@medly/shared/events/common';
import { provenance, provenanceColumns, type EnvelopeOf, type Provenance } from '../envelope.ts';
import { removeRows } from '../removeRows.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface AttemptRow extends Provenance {
  path: string;
  uid: string;
  subject_id: string;
  context: string;
  paper_id: string | null;
  lesson_id: string | null;
  question_id: string;
  body_question_id: string | null;
  created_at: string | null;
  created_at_raw: Json;
  updated_at: string | null;
  updated_at_raw: Json;
  is_marked: boolean | null;
  user_mark: number | null;
  user_answer: Json;
  annotated_answer: Json;
  marking_table: string | null;
  options: Json;
  canvas: Json;
  extra: Record<string, Json>;
  user_first_seen_at: string;
}

export const attemptsTable: TableSpec<AttemptRow> = {
  table: 'attempts',
  key: ['path'],
  columns: {
    path: 'text',
    uid: 'text',
    subject_id: 'text',
    context: 'text',
    paper_id: 'text',
    lesson_id: 'text',
    question_id: 'text',
    body_question_id: 'text',
    created_at: 'timestamptz',
    created_at_raw: 'jsonb',
    updated_at: 'timestamptz',
    updated_at_raw: 'jsonb',
    is_marked: 'boolean',
    user_mark: 'double precision',
    user_answer: 'jsonb',
    annotated_answer: 'jsonb',
    marking_table: 'text',
    options: 'jsonb',
    canvas: 'jsonb',
    extra: 'jsonb',
    user_first_seen_at: 'timestamptz',
    ...provenanceColumns,
  },
};

const attemptsWriter = createTableWriter(attemptsTable);

export function attemptRows(envelopes: readonly EnvelopeOf<'attempts'>[]): AttemptRow[] {
  return envelopes.map(({ event, position, seen }) => ({
    path: event.path,
    uid: event.uid,
    subject_id: event.subjectId,
    context: event.context,
    paper_id: event.paperId,
    lesson_id: event.lessonId,
    question_id: event.questionId,
    body_question_id: event.bodyQuestionId,
    created_at: event.createdAt,
    created_at_raw: event.createdAtRaw,
    updated_at: event.updatedAt,
    updated_at_raw: event.updatedAtRaw,
    is_marked: event.isMarked,
    user_mark: event.userMark,
    user_answer: event.userAnswer,
    annotated_answer: event.annotatedAnswer,
    marking_table: event.markingTable,
    options: event.options,
    canvas: event.canvas,
    extra: event.extra,
    user_first_seen_at: seen.entityFirstSeenAt,
    ...provenance(event.source, position, seen),
  }));
}

export function projectAttempts(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'attempts'>[],
  runTimes: readonly string[],
): Promise<UpsertResult<AttemptRow>> {
  return attemptsWriter.upsert(connection, attemptRows(envelopes), runTimes);
}

/** Removes attempts by key; returns their users (recomputed: a user with no attempt and no profile left goes). */
export function removeAttempts(connection: Queryable, keys: readonly (readonly string[])[]): Promise<{ uid: string }[]> {
  return removeRows(connection, 'attempts', ['path'], keys, ['uid']);
}
