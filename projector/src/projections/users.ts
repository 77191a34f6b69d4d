/**
 * users, from two writers that never touch each other's columns, so the row
 * does not depend on which arrived first:
 * - attempts → first_seen / last_seen / attempt_count (+ provenance of the
 *   user's first attempt by path), recomputed in SQL for the touched uids;
 * - userProfileChanged → display_name / metadata / profile_changed_at (the
 *   event carries the whole profile).
 */
import { sql } from 'slonik';
import type { Queryable } from '../batchWriter.ts';
import type { Json } from '@medly/shared/events/common';
import type { EnvelopeOf } from '../envelope.ts';
import { dedupeByKey } from '../dedupeByKey.ts';
import { jsonRows } from '../jsonRows.ts';
import { countsOf, emptyCounts, insertedFlag, type UpsertCounts } from '../upsertCounts.ts';


export async function recomputeUserActivity(connection: Queryable, uids: readonly string[]): Promise<UpsertCounts> {
  const touched = [...new Set(uids)];
  if (touched.length === 0) return emptyCounts();
  const rows = await connection.any(sql.type(insertedFlag)`
    WITH activity AS (
      SELECT a.uid,
             min(coalesce(a.created_at, a.updated_at)) AS first_seen,
             max(greatest(a.created_at, a.updated_at)) AS last_seen,
             count(*)::int AS attempt_count
      FROM attempts a
      WHERE a.uid = ANY (${sql.array(touched, 'text')})
      GROUP BY a.uid
    ), first_attempt AS (
      SELECT DISTINCT ON (a.uid) a.uid, a.source_file, a.source_pointer, a.kafka_topic, a.kafka_partition, a.kafka_offset
      FROM attempts a
      WHERE a.uid = ANY (${sql.array(touched, 'text')})
      ORDER BY a.uid, a.path
    )
    INSERT INTO users AS u (uid, first_seen, last_seen, attempt_count, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset)
    SELECT activity.uid, first_seen, last_seen, attempt_count, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset
    FROM activity JOIN first_attempt USING (uid)
    ON CONFLICT (uid) DO UPDATE SET
      first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, attempt_count = EXCLUDED.attempt_count,
      source_file = EXCLUDED.source_file, source_pointer = EXCLUDED.source_pointer,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset,
      last_seen_at = now()
    WHERE (u.first_seen, u.last_seen, u.attempt_count, u.source_file, u.source_pointer)
      IS DISTINCT FROM (EXCLUDED.first_seen, EXCLUDED.last_seen, EXCLUDED.attempt_count, EXCLUDED.source_file, EXCLUDED.source_pointer)
    RETURNING (xmax = 0) AS inserted`);
  return countsOf(rows, touched.length);
}

export interface UserProfileRow {
  uid: string;
  display_name: string | null;
  metadata: Record<string, Json> | null;
  profile_changed_at: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: number;
}

export function userProfileRows(envelopes: readonly EnvelopeOf<'userProfiles'>[]): UserProfileRow[] {
  return envelopes.map(({ event, position }) => ({
    uid: event.uid,
    display_name: event.displayName,
    metadata: event.metadata,
    profile_changed_at: event.changedAt,
    kafka_topic: position.topic,
    kafka_partition: position.partition,
    kafka_offset: position.offset,
  }));
}

export async function projectUserProfiles(
  connection: Queryable,
  envelopes: readonly EnvelopeOf<'userProfiles'>[],
): Promise<UpsertCounts> {
  const rows = dedupeByKey(userProfileRows(envelopes), ['uid']);
  if (rows.length === 0) return emptyCounts();
  const changed = await connection.any(sql.type(insertedFlag)`
    INSERT INTO users AS u (uid, display_name, metadata, profile_changed_at, kafka_topic, kafka_partition, kafka_offset)
    SELECT uid, display_name, metadata, profile_changed_at, kafka_topic, kafka_partition, kafka_offset
    FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS input(
      uid text, display_name text, metadata jsonb, profile_changed_at timestamptz,
      kafka_topic text, kafka_partition integer, kafka_offset bigint)
    ON CONFLICT (uid) DO UPDATE SET
      display_name = EXCLUDED.display_name, metadata = EXCLUDED.metadata, profile_changed_at = EXCLUDED.profile_changed_at,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset,
      last_seen_at = now()
    WHERE (u.display_name, u.metadata, u.profile_changed_at)
      IS DISTINCT FROM (EXCLUDED.display_name, EXCLUDED.metadata, EXCLUDED.profile_changed_at)
    RETURNING (xmax = 0) AS inserted`);
  return countsOf(changed, rows.length);
}
