/**
 * PATCH /users/:id as event sourcing: the API does not write the users table.
 * It produces the user's whole new profile as a userProfileChanged event
 * (the topic is compacted, so the last event alone must rebuild the profile),
 * then waits, bounded, for the projector's checkpoint to pass that event's
 * offset. Every change is attributed: the event carries who made it and the
 * request id, and a log line says both.
 *
 * Several API instances may serve PATCH (DECISIONS.md record 21). A change
 * runs under its uid's lock, shared by every instance (profileLock.ts), and
 * first waits until every change of that uid produced before it is applied
 * (its partition's end offset), so the profile it reads, checks `If-Match`
 * against and builds on is the latest one. If those earlier changes are not
 * applied within the bound, it answers `unsettled` rather than build on a
 * profile it knows may be stale. A send that fails or times out keeps the
 * lock until it has settled: a late landing cannot overtake the next change.
 * Within one process, changes to one uid queue before the lock, so they hold
 * one lock connection at a time.
 */
import type { DatabasePool } from '@medly/shared/db';
import type { Logger } from '@medly/shared/logger';
import type { UserProfileChanged } from '@medly/shared/events/userProfileChanged';
import type { Json } from '@medly/shared/events/common';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { createCheckpointWatcher } from './checkpointWatcher.ts';
import { entityTagOf, ifMatchSatisfied } from './entityTag.ts';
import type { WithProfileLock } from './profileLock.ts';
import { userExists, userProfile, type ProfileRow } from './queries/users.ts';

export interface ProfilePatch {
  displayName?: string | null | undefined;
  metadata?: Record<string, unknown> | null | undefined;
}

/** The profile topic, as PATCH needs it (profilePublisher.ts). */
export interface ProfileEvents {
  /** Produces the event; resolves with where it landed (offset = the event's own offset + 1, Kafka's "next"). */
  publish: (event: UserProfileChanged) => Promise<PartitionOffset>;
  /** The end offset of the uid's partition now: every change of the uid produced so far lies below it. */
  endOffsetOf: (uid: string) => Promise<PartitionOffset>;
  /** Resolves once no send is in flight (a timed-out send may still land). */
  settled: () => Promise<void>;
}

export type ProfileUpdate =
  | { outcome: 'unknown-user' }
  /** An earlier change of this uid is not applied yet: its current profile cannot be known. */
  | { outcome: 'unsettled' }
  /** If-Match names none of the current profile's tags. */
  | { outcome: 'stale'; current: ProfileRow }
  | { outcome: 'applied'; profile: ProfileRow }
  | { outcome: 'pending'; event: UserProfileChanged; landedAt: PartitionOffset };

/** Who asked for a change (`user:<uid>` or `service:<token name>`), and in which request. */
export interface ChangeOrigin {
  changedBy: string;
  requestId: string;
}

export interface ProfileChange {
  patch: ProfilePatch;
  /** The request's If-Match header (validated), if it sent one. */
  ifMatch?: string | undefined;
  origin: ChangeOrigin;
}

export interface ProfileUpdaterDependencies {
  /** Reads profiles and the projector's checkpoints. */
  pool: DatabasePool;
  withLock: WithProfileLock;
  events: ProfileEvents;
  /** The projector's consumer group, whose checkpoints say what is applied. */
  projectorGroup: string;
  waitMs: number;
  logger: Logger;
  now?: () => Date;
  /** Told every outcome, and `failed` for a change that threw (metrics). */
  onOutcome?: (outcome: ProfileUpdate['outcome'] | 'failed') => void;
}

export function createProfileUpdater(deps: ProfileUpdaterDependencies) {
  const { pool, withLock, events, projectorGroup, waitMs, logger, now = () => new Date() } = deps;
  const queues = new Map<string, Promise<void>>();
  const watcher = createCheckpointWatcher({ pool, group: projectorGroup });
  const applied = (target: PartitionOffset) => watcher.applied([target], waitMs);

  /** Runs under the uid's lock. */
  async function decide(uid: string, { patch, ifMatch, origin }: ProfileChange): Promise<ProfileUpdate> {
    // The API changes only users that exist, and a change never removes one: no need to wait to know.
    if (!(await userExists(pool, uid))) return { outcome: 'unknown-user' };
    if (!(await applied(await events.endOffsetOf(uid)))) return { outcome: 'unsettled' };
    const current = await userProfile(pool, uid);
    if (!current) return { outcome: 'unknown-user' };
    if (ifMatch !== undefined && !ifMatchSatisfied(ifMatch, entityTagOf(current))) return { outcome: 'stale', current };
    const event: UserProfileChanged = {
      uid,
      displayName: patch.displayName === undefined ? current.displayName : patch.displayName,
      metadata: (patch.metadata === undefined ? current.metadata : patch.metadata) as Record<string, Json> | null,
      changedAt: now().toISOString(),
      changedBy: origin.changedBy,
      requestId: origin.requestId,
    };
    const landedAt = await events.publish(event);
    logger.info({ uid, changedBy: origin.changedBy, requestId: origin.requestId, partition: landedAt.partition, offset: landedAt.offset - 1 }, 'profile change produced');
    if (!(await applied(landedAt))) return { outcome: 'pending', event, landedAt };
    const profile = await userProfile(pool, uid);
    return profile ? { outcome: 'applied', profile } : { outcome: 'unknown-user' };
  }

  return function updateProfile(uid: string, change: ProfileChange): Promise<ProfileUpdate> {
    const { promise: answer, resolve, reject } = Promise.withResolvers<ProfileUpdate>();
    const turn = queues.get(uid) ?? Promise.resolve();
    const released = turn
      .then(() =>
        withLock(uid, async () => {
          try {
            resolve(await decide(uid, change));
          } catch (error) {
            reject(error);
            await events.settled();
          }
        }),
      )
      .catch(reject);
    queues.set(uid, released);
    void released.finally(() => {
      if (queues.get(uid) === released) queues.delete(uid);
    });
    answer.then(
      (update) => deps.onOutcome?.(update.outcome),
      () => deps.onOutcome?.('failed'),
    );
    return answer;
  };
}

export type UpdateProfile = ReturnType<typeof createProfileUpdater>;
