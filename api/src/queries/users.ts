import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '@medly/shared/db';
import { isoTime, seenColumns, seenFields } from './sqlTime.ts';

const profileRow = z.object({
  uid: z.string(),
  displayName: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  profileChangedAt: z.string().nullable(),
  profileChangedBy: z.string().nullable(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  total: z.number(),
  mock: z.number(),
  practice: z.number(),
  marked: z.number(),
  ...seenFields,
});
export type ProfileRow = z.infer<typeof profileRow>;

// Constant fragments, built once rather than on every request.
const profileChangedAt = isoTime(sql.fragment`u.profile_changed_at`);
const firstSeen = isoTime(sql.fragment`u.first_seen`);
const lastSeen = isoTime(sql.fragment`u.last_seen`);
const userSeenColumns = seenColumns('u');

/** A user's profile with attempt counts computed from the attempts themselves; null when the uid is unknown. */
export async function userProfile(pool: DatabasePool, uid: string): Promise<ProfileRow | null> {
  return pool.maybeOne(sql.type(profileRow)`
    SELECT u.uid,
           u.display_name AS "displayName",
           u.metadata,
           ${profileChangedAt} AS "profileChangedAt",
           u.profile_changed_by AS "profileChangedBy",
           ${firstSeen} AS "firstSeen",
           ${lastSeen} AS "lastSeen",
           counts.total, counts.mock, counts.practice, counts.marked, ${userSeenColumns}
    FROM users u
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS total,
             count(*) FILTER (WHERE a.context = 'mock')::int AS mock,
             count(*) FILTER (WHERE a.context = 'practice')::int AS practice,
             count(*) FILTER (WHERE a.is_marked)::int AS marked
      FROM attempts a
      WHERE a.uid = u.uid
    ) counts
    WHERE u.uid = ${uid}`);
}

export async function userExists(pool: DatabasePool, uid: string): Promise<boolean> {
  return pool.exists(sql.type(z.object({ uid: z.string() }))`SELECT uid FROM users WHERE uid = ${uid}`);
}
