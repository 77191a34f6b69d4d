/**
 * recordRejected → rejections (origin 'producer'): source records that never
 * became events; a tombstone of its key (the record was fixed, or is gone)
 * removes the row, so `rejections` describes the current export.
 * Dead letters → rejections (origin 'projector'): messages the projector
 * could not decode or apply, keyed by their topic and message key, so a
 * replay or a re-import finds the same row again instead of adding one, and
 * the key's next good event (or its tombstone) clears it.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import type { BatchConnection, Queryable } from '../batchWriter.ts';
import type { DeadLetter, EnvelopeOf } from '../envelope.ts';
import { removeRows } from '../removeRows.ts';
import { createTableWriter, type TableSpec, type UpsertResult } from '../tableWriter.ts';

export interface RejectionRow {
  file: string;
  pointer: string;
  origin: 'producer' | 'projector';
  source: string | null;
  reason: string;
  message: string;
  excerpt: string;
  first_seen_at: string;
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
    first_seen_at: 'timestamptz',
    kafka_topic: 'text',
    kafka_partition: 'integer',
    kafka_offset: 'bigint',
  },
};

const rejectionsWriter = createTableWriter(rejectionsTable);

export function rejectionRows(envelopes: readonly EnvelopeOf<'rejections'>[]): RejectionRow[] {
  return envelopes.map(({ event, position, seen }) => ({
    file: event.file,
    pointer: event.pointer,
    origin: 'producer',
    source: event.source,
    reason: event.reason,
    message: event.message,
    excerpt: event.excerpt,
    first_seen_at: seen.firstSeenAt,
    kafka_topic: position.topic,
    kafka_partition: position.partition,
    kafka_offset: position.offset,
  }));
}

export function deadLetterRows(deadLetters: readonly DeadLetter[]): RejectionRow[] {
  return deadLetters.map(({ position, key, seen, reason, message, excerpt }) => ({
    ...deadLetterKey(position.topic, key ?? `/${String(position.partition)}/${String(position.offset)}`),
    origin: 'projector',
    source: null,
    reason,
    message,
    excerpt,
    first_seen_at: seen.firstSeenAt,
    kafka_topic: position.topic,
    kafka_partition: position.partition,
    kafka_offset: position.offset,
  }));
}

export function projectRejections(
  connection: BatchConnection,
  envelopes: readonly EnvelopeOf<'rejections'>[],
  deadLetters: readonly DeadLetter[],
  runTimes: readonly string[],
): Promise<UpsertResult<RejectionRow>> {
  return rejectionsWriter.upsert(connection, [...rejectionRows(envelopes), ...deadLetterRows(deadLetters)], runTimes);
}

/** Where a dead letter of a topic's key is kept in `rejections`. */
export function deadLetterKey(topic: string, key: string): { file: string; pointer: string } {
  return { file: `kafka:${topic}`, pointer: key };
}

const deleted = z.object({ file: z.string() });

/** Removes producer rejections by key ([file, pointer]): their record was fixed, or is gone. */
export async function removeRejections(connection: Queryable, keys: readonly (readonly string[])[]): Promise<number> {
  return (await removeRows(connection, 'rejections', ['file', 'pointer'], keys, [])).length;
}

const anyDeadLetter = z.object({ present: z.boolean() });

/**
 * Clears the dead letters of keys that were just applied or removed (a key's
 * newest message decides its row). Costs one cheap probe when there are none.
 */
export async function clearDeadLetters(connection: Queryable, keysByTopic: ReadonlyMap<string, readonly string[]>): Promise<number> {
  const { present } = await connection.one(sql.type(anyDeadLetter)`
    SELECT EXISTS (SELECT 1 FROM rejections WHERE origin = 'projector') AS present`);
  if (!present) return 0;
  let cleared = 0;
  for (const [topic, keys] of keysByTopic) {
    if (keys.length === 0) continue;
    const rows = await connection.any(sql.type(deleted)`
      DELETE FROM rejections
      WHERE file = ${deadLetterKey(topic, '').file} AND pointer = ANY (${sql.array([...keys], 'text')}) AND origin = 'projector'
      RETURNING file`);
    cleared += rows.length;
  }
  return cleared;
}
