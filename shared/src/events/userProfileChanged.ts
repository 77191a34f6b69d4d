import { z } from 'zod';
import { externalId, json } from './common.ts';

/**
 * A user's profile after a change made through the API. Key: uid.
 *
 * It carries the whole profile, not the patch: the topic is compacted, so only
 * the last event of a uid survives, and replaying it alone must rebuild the profile.
 * `changedBy` says who made the change (`user:<uid>` for a user token's
 * subject, `service:<token name>` for a service token); events written before
 * changes were attributed have none.
 */
export const userProfileChanged = z.object({
  uid: externalId,
  displayName: z.string().nullable(),
  metadata: z.record(z.string(), json).nullable(),
  changedAt: z.string().datetime({ offset: true }),
  requestId: z.string().nullable(),
  changedBy: z.string().min(1).max(300).nullable().optional(),
});
export type UserProfileChanged = z.infer<typeof userProfileChanged>;
