/** paperDefined → papers: one row per paperId. */
import type { BatchConnection, Queryable } from '../batchWriter.ts';
import { provenance, provenanceColumns, type EnvelopeOf, type Provenance } from '../envelope.ts';
import { removeRows } from '../removeRows.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface PaperRow extends Provenance {
  paper_id: string;
  subject_id: string;
  board: string | null;
  qualification: string | null;
  subject_title: string | null;
  paper_type: string | null;
  series: string | null;
  tier: string | null;
  paper_number: string | null;
  question_count: number;
}

export const papersTable: TableSpec<PaperRow> = {
  table: 'papers',
  key: ['paper_id'],
  columns: {
    paper_id: 'text',
    subject_id: 'text',
    board: 'text',
    qualification: 'text',
    subject_title: 'text',
    paper_type: 'text',
    series: 'text',
    tier: 'text',
    paper_number: 'text',
    question_count: 'integer',
    ...provenanceColumns,
  },
};

const papersWriter = createTableWriter(papersTable);

export function paperRows(envelopes: readonly EnvelopeOf<'papers'>[]): PaperRow[] {
  return envelopes.map(({ event, position, seen }) => ({
    paper_id: event.paperId,
    subject_id: event.subjectId,
    board: event.board,
    qualification: event.qualification,
    subject_title: event.subjectTitle,
    paper_type: event.paperType,
    series: event.series,
    tier: event.tier,
    paper_number: event.paperNumber,
    question_count: event.questionCount,
    ...provenance(event.source, position, seen),
  }));
}

export function projectPapers(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'papers'>[],
  runTimes: readonly string[],
): Promise<UpsertResult<PaperRow>> {
  return papersWriter.upsert(connection, paperRows(envelopes), runTimes);
}

/** Removes papers by key; returns the subjects they belonged to. */
export function removePapers(connection: Queryable, keys: readonly (readonly string[])[]): Promise<{ subject_id: string }[]> {
  return removeRows(connection, 'papers', ['paper_id'], keys, ['subject_id']);
}
