/**
 * snapshotTaken → source_snapshots: per source, its latest complete snapshot
 * (files, time, counts). Every row of the source was last seen then: the API
 * reads a row's last_seen from here by its source file.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import type { Queryable } from '../batchWriter.ts';
import type { EnvelopeOf } from '../envelope.ts';
import { dedupeByKey } from '../dedupeByKey.ts';
import { jsonRows } from '../jsonRows.ts';
import { removeRows } from '../removeRows.ts';

const written = z.object({ source: z.string() });

export async function projectSourceSnapshots(connection: Queryable, envelopes: readonly EnvelopeOf<'snapshots'>[]): Promise<void> {
  const rows = dedupeByKey(
    envelopes.map(({ event, position }) => ({
      source: event.source,
      files: event.files,
      taken_at: event.takenAt,
      read: event.read,
      removed: event.removed,
      kafka_topic: position.topic,
      kafka_partition: position.partition,
      kafka_offset: position.offset,
    })),
    ['source'],
  );
  if (rows.length === 0) return;
  await connection.any(sql.type(written)`
    INSERT INTO source_snapshots AS s (source, files, taken_at, read, removed, kafka_topic, kafka_partition, kafka_offset)
    SELECT source, files, taken_at, read, removed, kafka_topic, kafka_partition, kafka_offset
    FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS input(
      source text, files text[], taken_at timestamptz, read integer, removed integer,
      kafka_topic text, kafka_partition integer, kafka_offset bigint)
    ON CONFLICT (source) DO UPDATE SET
      files = EXCLUDED.files, taken_at = EXCLUDED.taken_at, read = EXCLUDED.read, removed = EXCLUDED.removed,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
    RETURNING s.source`);
}

export async function removeSourceSnapshots(connection: Queryable, keys: readonly (readonly string[])[]): Promise<void> {
  await removeRows(connection, 'source_snapshots', ['source'], keys, []);
}
