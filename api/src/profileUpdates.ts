/**
 * PATCH /users/:id as event sourcing: the API does not write the users table.
 * It produces the user's whole new profile as a userProfileChanged event
 * (the topic is compacted, so the last event alone must rebuild the profile),
 * then waits, bounded, for the projector's checkpoint to pass that event's
 * offset. Changes to one uid are serialised in this process so that two
 * concurrent PATCHes do not both start from the same old profile. Every
 * change is attributed: the event carries who made it and the request id,
 * and a log line says both.
 */
import type { DatabasePool } from '@medly/shared/db';
import type { Logger } from '@medly/shared/logger';
import type { UserProfileChanged } from '@medly/shared/events/userProfileChanged';
import type { Json } from '@medly/shared/events/common';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { waitForCheckpoints } from '@medly/shared/progress';
import { userProfile, type ProfileRow } from './queries/users.ts';

export interface ProfilePatch {
  displayName?: string | null | undefined;
  metadata?: Record<string, unknown> | null | undefined;
}

/** Produces the event; resolves with where it landed (offset = the event's own offset + 1, Kafka's "next"). */
export type PublishProfileChange = (event: UserProfileChanged) => Promise<PartitionOffset>;

export type ProfileUpdate =
  | { outcome: 'unknown-user' }
  | { outcome: 'applied'; profile: ProfileRow }
  | { outcome: 'pending'; event: UserProfileChanged; landedAt: PartitionOffset };

/** Who asked for a change (`user:<uid>` or `service:<token name>`), and in which request. */
export interface ChangeOrigin {
  changedBy: string;
  requestId: string;
}

export interface ProfileUpdaterDependencies {
  pool: DatabasePool;
  publish: PublishProfileChange;
  /** The projector's consumer group, whose checkpoints say what is applied. */
  projectorGroup: string;
  waitMs: number;
  logger: Logger;
  now?: () => Date;
}

export function createProfileUpdater({ pool, publish, projectorGroup, waitMs, logger, now = () => new Date() }: ProfileUpdaterDependencies) {
  const queues = new Map<string, Promise<unknown>>();

  async function update(uid: string, patch: ProfilePatch, { changedBy, requestId }: ChangeOrigin): Promise<ProfileUpdate> {
    const current = await userProfile(pool, uid);
    if (!current) return { outcome: 'unknown-user' };
    const event: UserProfileChanged = {
      uid,
      displayName: patch.displayName === undefined ? current.displayName : patch.displayName,
      metadata: (patch.metadata === undefined ? current.metadata : patch.metadata) as Record<string, Json> | null,
      changedAt: now().toISOString(),
      changedBy,
      requestId,
    };
    const landedAt = await publish(event);
    logger.info({ uid, changedBy, requestId, partition: landedAt.partition, offset: landedAt.offset - 1 }, 'profile change produced');
    const waited = await waitForCheckpoints(pool, projectorGroup, [landedAt], { timeoutMs: waitMs, pollMs: 25 });
    if (!waited.caughtUp) return { outcome: 'pending', event, landedAt };
    const profile = await userProfile(pool, uid);
    return profile ? { outcome: 'applied', profile } : { outcome: 'unknown-user' };
  }

  return function updateProfile(uid: string, patch: ProfilePatch, origin: ChangeOrigin): Promise<ProfileUpdate> {
    const previous = queues.get(uid) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => update(uid, patch, origin));
    queues.set(uid, next);
    void next
      .finally(() => {
        if (queues.get(uid) === next) queues.delete(uid);
      })
      .catch(() => undefined);
    return next;
  };
}

export type UpdateProfile = ReturnType<typeof createProfileUpdater>;
