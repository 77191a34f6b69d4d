/** GET /users/:id (profile and attempt counts) and PATCH /users/:id (an event, answered once projected). */
import { principalName } from '../auth/principal.ts';
import { HttpProblem } from '../problem.ts';
import type { ProfileRow } from '../queries/users.ts';
import { userProfile } from '../queries/users.ts';
import type { UpdateProfile } from '../profileUpdates.ts';
import type { ApiRouter } from '../router.ts';
import type { DatabasePool } from '@medly/shared/db';
import { seenSchema, timestamp, uidParam } from '../params.ts';
import { z } from '../zod.ts';

const METADATA_MAX_BYTES = 16 * 1024;

const metadataSchema = z
  .record(z.string(), z.unknown())
  .openapi({ description: 'Free-form JSON object kept for the user.', example: { school: 'Springfield High', year: 10 } });

const userProfileSchema = z
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

const pendingProfileSchema = z
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

const profilePatchSchema = z
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

function toUserProfile(row: ProfileRow): z.input<typeof userProfileSchema> {
  const { total, mock, practice, marked, firstSeenAt, lastSeenAt, ...profile } = row;
  return { ...profile, seen: { firstSeenAt, lastSeenAt }, attempts: { total, mock, practice, marked } };
}

export function registerUserRoutes(router: ApiRouter, deps: { pool: DatabasePool; updateProfile: UpdateProfile }): void {
  const params = z.object({ id: uidParam });

  router.route({
    method: 'get',
    path: '/users/:id',
    operationId: 'getUser',
    summary: 'A user\'s profile',
    description:
      'Profile fields set through PATCH (and who last changed them), first and last attempt times, and attempt counts. ' +
      'Needs a credential that may read this uid: the student\'s own user token, a staff token, or a service token with `read`.',
    tags: ['users'],
    access: { readUser: 'id' },
    request: { params },
    responses: { 200: { description: 'The user.', schema: userProfileSchema } },
    errors: [400, 404],
    handler: async ({ params: { id } }) => {
      const row = await userProfile(deps.pool, id);
      if (!row) throw new HttpProblem(404, `No user has id "${id}".`);
      return { status: 200 as const, body: toUserProfile(row) };
    },
  });

  router.route({
    method: 'patch',
    path: '/users/:id',
    operationId: 'updateUser',
    summary: 'Change a user\'s display name or metadata',
    description:
      'Needs the write right: a staff user token, or a service token with `write` (API_TOKEN has it). The change, with who ' +
      'made it and the request id, is produced as an event to Kafka; the answer is 200 ' +
      'with the updated profile once the projector has applied it (within about 2 s), otherwise 202: the change is ' +
      'accepted and will be visible shortly. Absent fields are left as they are; `metadata` replaces the whole object.',
    tags: ['users'],
    access: { writeUser: 'id' },
    request: { params, body: profilePatchSchema },
    responses: {
      200: { description: 'Applied; the profile as it now reads.', schema: userProfileSchema },
      202: { description: 'Accepted, not yet applied by the projector.', schema: pendingProfileSchema },
    },
    errors: [400, 401, 404, 413, 415, 503],
    handler: async ({ params: { id }, body, requestId, caller }) => {
      if (!caller) throw new Error('updateUser ran without a verified caller');
      const result = await deps.updateProfile(id, body, { changedBy: principalName(caller), requestId });
      switch (result.outcome) {
        case 'unknown-user':
          throw new HttpProblem(404, `No user has id "${id}".`);
        case 'applied':
          return { status: 200 as const, body: toUserProfile(result.profile) };
        case 'pending': {
          const { uid, displayName, metadata, changedAt, changedBy } = result.event;
          const { topic, partition, offset } = result.landedAt;
          return {
            status: 202 as const,
            headers: { Location: `/users/${uid}` },
            body: { status: 'pending' as const, uid, displayName, metadata, changedAt, changedBy: changedBy ?? null, event: { topic, partition, offset: offset - 1 } },
          };
        }
      }
    },
  });
}
