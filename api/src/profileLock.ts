/**
 * One writer per uid across every API instance: a Postgres advisory lock held
 * for the whole of a PATCH (settling earlier changes, reading the profile,
 * checking If-Match, producing, waiting for the projection). Every instance
 * must take it on the same server, the primary: advisory locks are not
 * replicated. Waiting for it is bounded by the lock pool's statement timeout
 * (a retryable error: 503).
 *
 * The lock is session-level on a connection of its own pool, not
 * transaction-scoped: the PATCH reads through the API's read pool meanwhile,
 * which slonik refuses inside another connection's transaction. So it is
 * released explicitly, in `finally` (a lost connection releases it too), and
 * no pooled connection keeps it (DECISIONS.md record 16).
 */
import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '@medly/shared/db';
import type { Logger } from '@medly/shared/logger';

/** The advisory lock's first key: keeps profile locks apart from any other use of hashtext(uid). */
const PROFILE_LOCK_SPACE = 20_017;

const locked = z.object({ locked: z.string() });
const released = z.object({ released: z.boolean() });

export type WithProfileLock = <T>(uid: string, work: () => Promise<T>) => Promise<T>;

export function createProfileLock(locks: DatabasePool, logger: Logger): WithProfileLock {
  return (uid, work) =>
    locks.connect(async (connection) => {
      await connection.one(sql.type(locked)`SELECT pg_advisory_lock(${PROFILE_LOCK_SPACE}, hashtext(${uid}))::text AS locked`);
      try {
        return await work();
      } finally {
        const { released: wasHeld } = await connection.one(
          sql.type(released)`SELECT pg_advisory_unlock(${PROFILE_LOCK_SPACE}, hashtext(${uid})) AS released`,
        );
        if (!wasHeld) logger.error({ uid }, 'a profile lock was not held when released');
      }
    });
}
