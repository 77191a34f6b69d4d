/**
 * itemAppeared → item_appearances: one row per (kind, container, questionID),
 * with that source's content and a hash of it (so conflicts between
 * appearances of one item can be counted, and the canonical pick compared).
 */
import { createHash } from 'node:crypto';
import type { BatchConnection, Queryable } from '../batchWriter.ts';
import type { Json } from '@medly/shared/events/common';
import type { ItemContent } from '@medly/shared/events/itemAppeared';
import { provenance, provenanceColumns, type EnvelopeOf, type Provenance } from '../envelope.ts';
import { removeRows } from '../removeRows.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface ItemContentColumns {
  question_type: string;
  text: string;
  mark_max: number | null;
  mark_scheme: string | null;
  difficulty: number | null;
  specification_point: string | null;
  options: string[] | null;
  correct_answer: number | number[] | null;
  diagram: Json;
  content_hash: string;
}

export interface ItemAppearanceRow extends ItemContentColumns, Provenance {
  kind: string;
  container_id: string;
  question_id: string;
  subject_id: string;
  stem_id: string;
  question_number: number;
  part: number;
  part_label: string | null;
  position: number;
  lesson_ids: string[];
  item_first_seen_at: string;
}

export const itemContentColumnTypes = {
  question_type: 'text',
  text: 'text',
  mark_max: 'integer',
  mark_scheme: 'text',
  difficulty: 'integer',
  specification_point: 'text',
  options: 'jsonb',
  correct_answer: 'jsonb',
  diagram: 'jsonb',
  content_hash: 'text',
} as const;

export const itemAppearancesTable: TableSpec<ItemAppearanceRow> = {
  table: 'item_appearances',
  key: ['kind', 'container_id', 'question_id'],
  columns: {
    kind: 'text',
    container_id: 'text',
    question_id: 'text',
    subject_id: 'text',
    stem_id: 'text',
    question_number: 'integer',
    part: 'integer',
    part_label: 'text',
    position: 'integer',
    lesson_ids: 'text[]',
    item_first_seen_at: 'timestamptz',
    ...itemContentColumnTypes,
    ...provenanceColumns,
  },
};

const itemAppearancesWriter = createTableWriter(itemAppearancesTable);

/** A stable hash of an item's content: the same content gives the same hash whatever its key order. */
export function contentHash(content: ItemContent): string {
  return createHash('sha256').update(stableJson(content)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${stableJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function itemContentColumns(content: ItemContent): ItemContentColumns {
  return {
    question_type: content.questionType,
    text: content.text,
    mark_max: content.markMax,
    mark_scheme: content.markScheme,
    difficulty: content.difficulty,
    specification_point: content.specificationPoint,
    options: content.options,
    correct_answer: content.correctAnswer,
    diagram: content.diagram,
    content_hash: contentHash(content),
  };
}

export function itemAppearanceRows(envelopes: readonly EnvelopeOf<'itemAppearances'>[]): ItemAppearanceRow[] {
  return envelopes.map(({ event, position, seen }) => ({
    kind: event.kind,
    container_id: event.containerId,
    question_id: event.questionId,
    subject_id: event.subjectId,
    stem_id: event.stemId,
    question_number: event.questionNumber,
    part: event.part,
    part_label: event.partLabel,
    position: event.position,
    lesson_ids: event.lessonIds,
    item_first_seen_at: seen.entityFirstSeenAt,
    ...itemContentColumns(event.content),
    ...provenance(event.source, position, seen),
  }));
}

export function projectItemAppearances(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'itemAppearances'>[],
  runTimes: readonly string[],
): Promise<UpsertResult<ItemAppearanceRow>> {
  return itemAppearancesWriter.upsert(connection, itemAppearanceRows(envelopes), runTimes);
}

/** Removes appearances by key; returns their items (recomputed: an item with no appearance left goes). */
export function removeItemAppearances(connection: Queryable, keys: readonly (readonly string[])[]): Promise<{ question_id: string }[]> {
  return removeRows(connection, 'item_appearances', ['kind', 'container_id', 'question_id'], keys, ['question_id']);
}
