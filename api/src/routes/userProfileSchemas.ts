/** The user profile as the API shows and takes it: GET's answer, PATCH's body, a pending change. */
import type { ProfileRow } from '../queries/users.ts';
import { seenSchema, timestamp } from '../params.ts';
import { z } from '../zod.ts';

const METADATA_MAX_BYTES = 16 * 1024;

const metadataSchema = z
  .record(z.string(), z.unknown())
  .openapi({ description: 'Free-form JSON object kept for the user.', example: { school: 'Springfield High', year: 10 } });

export const userProfileSchema = z
  .object({
    uid: z.string().openapi({ example: '05IsdAyoSnekvovtyr2fC5cNOnF3' }),
    displayName: z.string().nullable().openapi({ example: 'Ada L.' }),
    metadata: metadataSchema.nullable(),
    profileChangedAt: timestamp.nullable().openapi({ description: 'When the profile was last changed through the API.' }),
    profileChangedBy: z.string().nullable().openapi({
      description: 'Who last changed the profile: `user:<uid>` (a user token\'s subject) or `service:<token name>`; null if never, or changed before changes were attributed.',
      example: 'service:api-token',
    }),
    firstSeen: timestamp.nullable().openapi({ description: 'Earliest attempt time.' }),
    lastSeen: timestamp.nullable().openapi({ description: 'Latest attempt time.' }),
    seen: seenSchema.openapi({ description: 'When the user was first and last seen in an export (a user known only from the API: when its profile changed).' }),
    attempts: z
      .object({
        total: z.number().int().openapi({ example: 35 }),
        mock: z.number().int().openapi({ description: 'In mock papers.', example: 35 }),
        practice: z.number().int().openapi({ description: 'In lesson practice.', example: 0 }),
        marked: z.number().int().openapi({ example: 12 }),
      })
      .openapi('AttemptCounts'),
  })
  .openapi('UserProfile');

export const pendingProfileSchema = z
  .object({
    status: z.literal('pending'),
    uid: z.string(),
    displayName: z.string().nullable(),
    metadata: metadataSchema.nullable(),
    changedAt: timestamp,
    changedBy: z.string().nullable().openapi({ description: 'Who made the change: `user:<uid>` or `service:<token name>`.', example: 'user:staff-uid-1' }),
    event: z
      .object({ topic: z.string(), partition: z.number().int(), offset: z.number().int() })
      .openapi({ description: 'Where the change landed; it is visible once the projector passes this offset.' }),
  })
  .openapi('PendingProfileChange');

export const profilePatchSchema = z
  .object({
    displayName: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^\P{Cc}*$/u, 'must not contain control characters')
      .nullable()
      .optional()
      .openapi({ description: '1–100 characters after trimming; null clears it.', example: 'Ada L.' }),
    metadata: metadataSchema
      .refine((value) => Buffer.byteLength(JSON.stringify(value)) < METADATA_MAX_BYTES, {
        message: `must serialise to less than ${METADATA_MAX_BYTES} bytes of JSON`,
      })
      .nullable()
      .optional()
      .openapi({ description: 'Replaces the whole metadata object (under 16 KiB as JSON); null clears it.' }),
  })
  .strict()
  .refine((patch) => patch.displayName !== undefined || patch.metadata !== undefined, {
    message: 'send displayName, metadata or both',
  })
  .openapi('UserProfilePatch');

export function toUserProfile(row: ProfileRow): z.input<typeof userProfileSchema> {
  const { total, mock, practice, marked, firstSeenAt, lastSeenAt, ...profile } = row;
  return { ...profile, seen: { firstSeenAt, lastSeenAt }, attempts: { total, mock, practice, marked } };
}
