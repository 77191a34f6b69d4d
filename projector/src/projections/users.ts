/**
 * users, from two writers that never touch each other's columns, so the row
 * does not depend on which arrived first:
 * - attempts → first_seen / last_seen / attempt_count (+ provenance of the
 *   user's first attempt by path, and first_seen_at: the earliest of its
 *   attempts' user_first_seen_at), recomputed in SQL for the touched uids;
 *   a user left with no attempt and no profile is removed;
 * - userProfileChanged → display_name / metadata / profile_changed_at / _by (the
 *   event carries the whole profile; a tombstone clears it). A user known
 *   only from the API was first seen when its profile changed.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import type { Queryable } from '../batchWriter.ts';
import type { Json } from '@medly/shared/events/common';
import type { EnvelopeOf } from '../envelope.ts';
import { dedupeByKey } from '../dedupeByKey.ts';
import { jsonRows } from '../jsonRows.ts';
import { noRows } from '../noRows.ts';
import { countsOf, emptyCounts, writtenFlags, type UpsertCounts } from '../upsertCounts.ts';

const removedUser = z.object({ uid: z.string() });

export async function recomputeUserActivity(connection: Queryable, uids: readonly string[], runTimes: readonly string[]): Promise<UpsertCounts> {
  const touched = [...new Set(uids)];
  if (touched.length === 0) return emptyCounts();
  const ids = sql.array(touched, 'text');
  const runs = sql.array([...runTimes], 'timestamptz');
  const rows = await connection.any(sql.type(writtenFlags)`
    WITH activity AS (
      SELECT a.uid,
             min(coalesce(a.created_at, a.updated_at)) AS first_seen,
             max(greatest(a.created_at, a.updated_at)) AS last_seen,
             count(*)::int AS attempt_count,
             min(a.user_first_seen_at) AS first_seen_at
      FROM attempts a
      WHERE a.uid = ANY (${ids})
      GROUP BY a.uid
    ), first_attempt AS (
      SELECT DISTINCT ON (a.uid) a.uid, a.source_file, a.source_pointer, a.kafka_topic, a.kafka_partition, a.kafka_offset
      FROM attempts a
      WHERE a.uid = ANY (${ids})
      ORDER BY a.uid, a.path
    )
    INSERT INTO users AS u (uid, first_seen, last_seen, attempt_count, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset)
    SELECT activity.uid, first_seen, last_seen, attempt_count, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset
    FROM activity JOIN first_attempt USING (uid)
    ON CONFLICT (uid) DO UPDATE SET
      first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, attempt_count = EXCLUDED.attempt_count,
      first_seen_at = EXCLUDED.first_seen_at, source_file = EXCLUDED.source_file, source_pointer = EXCLUDED.source_pointer,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
    WHERE (u.first_seen, u.last_seen, u.attempt_count, u.first_seen_at, u.source_file, u.source_pointer)
      IS DISTINCT FROM (EXCLUDED.first_seen, EXCLUDED.last_seen, EXCLUDED.attempt_count, EXCLUDED.first_seen_at, EXCLUDED.source_file, EXCLUDED.source_pointer)
    RETURNING (xmax = 0) AS inserted, (u.first_seen_at = ANY (${runs})) AS new_in_run`);
  // No attempt left: a user with a profile keeps it, as a profile-only user; any other goes.
  const emptied = await connection.any(sql.type(writtenFlags)`
    UPDATE users u SET first_seen = NULL, last_seen = NULL, attempt_count = 0, first_seen_at = u.profile_changed_at,
           source_file = NULL, source_pointer = NULL
    WHERE u.uid = ANY (${ids}) AND u.profile_changed_at IS NOT NULL AND u.attempt_count > 0
      AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.uid = u.uid)
    RETURNING false AS inserted, (u.first_seen_at = ANY (${runs})) AS new_in_run`);
  const removed = await connection.any(sql.type(removedUser)`
    DELETE FROM users u
    WHERE u.uid = ANY (${ids}) AND u.profile_changed_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.uid = u.uid)
    RETURNING u.uid`);
  return countsOf([...rows, ...emptied], touched.length - removed.length, removed.length);
}

export interface UserProfileRow {
  uid: string;
  display_name: string | null;
  metadata: Record<string, Json> | null;
  profile_changed_at: string;
  profile_changed_by: string | null;
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
    profile_changed_by: event.changedBy ?? null,
    kafka_topic: position.topic,
    kafka_partition: position.partition,
    kafka_offset: position.offset,
  }));
}

export async function projectUserProfiles(
  connection: Queryable,
  envelopes: readonly EnvelopeOf<'userProfiles'>[],
  runTimes: readonly string[],
): Promise<UpsertCounts> {
  const rows = dedupeByKey(userProfileRows(envelopes), ['uid']);
  if (rows.length === 0) return emptyCounts();
  const changed = await connection.any(sql.type(writtenFlags)`
    INSERT INTO users AS u (uid, display_name, metadata, profile_changed_at, profile_changed_by, first_seen_at, kafka_topic, kafka_partition, kafka_offset)
    SELECT uid, display_name, metadata, profile_changed_at, profile_changed_by, profile_changed_at, kafka_topic, kafka_partition, kafka_offset
    FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS input(
      uid text, display_name text, metadata jsonb, profile_changed_at timestamptz, profile_changed_by text,
      kafka_topic text, kafka_partition integer, kafka_offset bigint)
    ON CONFLICT (uid) DO UPDATE SET
      display_name = EXCLUDED.display_name, metadata = EXCLUDED.metadata, profile_changed_at = EXCLUDED.profile_changed_at,
      profile_changed_by = EXCLUDED.profile_changed_by,
      first_seen_at = CASE WHEN u.attempt_count = 0 THEN EXCLUDED.profile_changed_at ELSE u.first_seen_at END,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
    WHERE (u.display_name, u.metadata, u.profile_changed_at, u.profile_changed_by)
      IS DISTINCT FROM (EXCLUDED.display_name, EXCLUDED.metadata, EXCLUDED.profile_changed_at, EXCLUDED.profile_changed_by)
    RETURNING (xmax = 0) AS inserted, (u.first_seen_at = ANY (${sql.array([...runTimes], 'timestamptz')})) AS new_in_run`);
  return countsOf(changed, rows.length);
}

/** A profile's tombstone clears it; recomputeUserActivity then removes a user left with nothing. */
export async function clearUserProfiles(connection: Queryable, uids: readonly string[]): Promise<void> {
  if (uids.length === 0) return;
  await connection.query(sql.type(noRows)`
    UPDATE users SET display_name = NULL, metadata = NULL, profile_changed_at = NULL, profile_changed_by = NULL
    WHERE uid = ANY (${sql.array([...uids], 'text')})`);
}
