/** questionDefined → questions: one stem per (kind, container, stemId). */
import type { BatchConnection, Queryable } from '../batchWriter.ts';
import type { Json } from '@medly/shared/events/common';
import { provenance, provenanceColumns, type EnvelopeOf, type Provenance } from '../envelope.ts';
import { removeRows } from '../removeRows.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface QuestionRow extends Provenance {
  kind: string;
  container_id: string;
  stem_id: string;
  subject_id: string;
  question_number: number;
  stem: string;
  stem_diagram: Json;
  validation_comment: string | null;
  validation_reason: string | null;
  part_count: number;
}

export const questionsTable: TableSpec<QuestionRow> = {
  table: 'questions',
  key: ['kind', 'container_id', 'stem_id'],
  columns: {
    kind: 'text',
    container_id: 'text',
    stem_id: 'text',
    subject_id: 'text',
    question_number: 'integer',
    stem: 'text',
    stem_diagram: 'jsonb',
    validation_comment: 'text',
    validation_reason: 'text',
    part_count: 'integer',
    ...provenanceColumns,
  },
};

const questionsWriter = createTableWriter(questionsTable);

export function questionRows(envelopes: readonly EnvelopeOf<'questions'>[]): QuestionRow[] {
  return envelopes.map(({ event, position, seen }) => ({
    kind: event.kind,
    container_id: event.containerId,
    stem_id: event.stemId,
    subject_id: event.subjectId,
    question_number: event.questionNumber,
    stem: event.stem,
    stem_diagram: event.stemDiagram,
    validation_comment: event.validationComment,
    validation_reason: event.validationReason,
    part_count: event.partCount,
    ...provenance(event.source, position, seen),
  }));
}

export function projectQuestions(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'questions'>[],
  runTimes: readonly string[],
): Promise<UpsertResult<QuestionRow>> {
  return questionsWriter.upsert(connection, questionRows(envelopes), runTimes);
}

/** Removes stems by key. */
export function removeQuestions(connection: Queryable, keys: readonly (readonly string[])[]): Promise<unknown[]> {
  return removeRows(connection, 'questions', ['kind', 'container_id', 'stem_id'], keys, []);
}
