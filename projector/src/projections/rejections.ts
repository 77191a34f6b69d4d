/**
 * recordRejected → rejections (origin 'producer'): source records that never
 * became events. Dead letters → rejections (origin 'projector'): messages the
 * projector could not decode or apply, keyed by where they sit on Kafka, so a
 * replay finds the same row again instead of adding one.
 */
import type { BatchConnection } from '../batchWriter.ts';
import type { DeadLetter, EnvelopeOf } from '../envelope.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface RejectionRow {
  file: string;
  pointer: string;
  origin: 'producer' | 'projector';
  source: string | null;
  reason: string;
  message: string;
  excerpt: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: number;
}

export const rejectionsTable: TableSpec<RejectionRow> = {
  table: 'rejections',
  key: ['file', 'pointer'],
  columns: {
    file: 'text',
    pointer: 'text',
    origin: 'text',
    source: 'text',
    reason: 'text',
    message: 'text',
    excerpt: 'text',
    kafka_topic: 'text',
    kafka_partition: 'integer',
    kafka_offset: 'bigint',
  },
};

const rejectionsWriter = createTableWriter(rejectionsTable);

export function rejectionRows(envelopes: readonly EnvelopeOf<'rejections'>[]): RejectionRow[] {
  return envelopes.map(({ event, position }) => ({
    file: event.file,
    pointer: event.pointer,
    origin: 'producer',
    source: event.source,
    reason: event.reason,
    message: event.message,
    excerpt: event.excerpt,
    kafka_topic: position.topic,
    kafka_partition: position.partition,
    kafka_offset: position.offset,
  }));
}

export function deadLetterRows(deadLetters: readonly DeadLetter[]): RejectionRow[] {
  return deadLetters.map(({ position, reason, message, excerpt }) => ({
    file: `kafka:${position.topic}`,
    pointer: `/${String(position.partition)}/${String(position.offset)}`,
    origin: 'projector',
    source: null,
    reason,
    message,
    excerpt,
    kafka_topic: position.topic,
    kafka_partition: position.partition,
    kafka_offset: position.offset,
  }));
}

export function projectRejections(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'rejections'>[],
  deadLetters: readonly DeadLetter[],
): Promise<UpsertResult<RejectionRow>> {
  return rejectionsWriter.upsert(connection, [...rejectionRows(envelopes), ...deadLetterRows(deadLetters)]);
}
