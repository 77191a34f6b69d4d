/**
 * GET /users/:id (profile and attempt counts, with a strong ETag) and PATCH
 * /users/:id (an event, answered once projected; `If-Match` makes it
 * conditional on the profile's ETag: DECISIONS.md record 21).
 */
import { principalName } from '../auth/principal.ts';
import { entityTagOf, ifMatchHeader, ifNoneMatchHeader } from '../entityTag.ts';
import { HttpProblem, RETRY_AFTER_SECONDS } from '../problem.ts';
import { userProfile, type ProfileRow } from '../queries/users.ts';
import type { UpdateProfile } from '../profileUpdates.ts';
import type { ApiRouter } from '../router.ts';
import type { DatabasePool } from '@medly/shared/db';
import { uidParam } from '../params.ts';
import { z } from '../zod.ts';
import { pendingProfileSchema, profilePatchSchema, toUserProfile, userProfileSchema } from './userProfileSchemas.ts';

export interface UserRouteDependencies {
  pool: DatabasePool;
  updateProfile: UpdateProfile;
  /** PATCH without If-Match is a 428 (PATCH_REQUIRES_IF_MATCH); otherwise it changes the latest profile. */
  requireIfMatch: boolean;
}

const etagHeader = (row: ProfileRow): Record<string, string> => ({ ETag: entityTagOf(row) });

export function registerUserRoutes(router: ApiRouter, deps: UserRouteDependencies): void {
  const params = z.object({ id: uidParam });

  router.route({
    method: 'get',
    path: '/users/:id',
    operationId: 'getUser',
    summary: 'A user\'s profile',
    description:
      'Profile fields set through PATCH (and who last changed them), first and last attempt times, and attempt counts. ' +
      'Needs a credential that may read this uid: the student\'s own user token, a staff token, or a service token with `read`. ' +
      'The answer carries a strong ETag, the one PATCH\'s If-Match compares with; If-None-Match with it answers 304.',
    tags: ['users'],
    access: { readUser: 'id' },
    request: { params, headers: z.object({ 'if-none-match': ifNoneMatchHeader.optional() }) },
    responses: { 200: { description: 'The user.', schema: userProfileSchema } },
    entityTags: true,
    errors: [400, 404],
    handler: async ({ params: { id } }) => {
      const row = await userProfile(deps.pool, id);
      if (!row) throw new HttpProblem(404, `No user has id "${id}".`);
      return { status: 200 as const, body: toUserProfile(row), headers: etagHeader(row) };
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
      'with the updated profile and its new ETag once the projector has applied it (within about 2 s), otherwise 202: the change is ' +
      'accepted and will be visible shortly. Absent fields are left as they are; `metadata` replaces the whole object. ' +
      'Send `If-Match` with the ETag of the profile you read: if the profile changed since (another client, another API instance), ' +
      'the answer is 412 with the current ETag and nothing is changed. Without If-Match the change applies to the latest profile ' +
      '(428 instead when the server requires If-Match). Changes to one user are made one at a time across every API instance; ' +
      'while an earlier one is not yet applied, the answer is 503 with Retry-After.',
    tags: ['users'],
    access: { writeUser: 'id' },
    request: { params, body: profilePatchSchema, headers: z.object({ 'if-match': ifMatchHeader.optional() }) },
    responses: {
      200: { description: 'Applied; the profile as it now reads.', schema: userProfileSchema },
      202: { description: 'Accepted, not yet applied by the projector.', schema: pendingProfileSchema },
    },
    entityTags: true,
    errors: [400, 401, 404, 412, 413, 415, 428, 503],
    handler: async ({ params: { id }, body, headers, requestId, caller }) => {
      if (!caller) throw new Error('updateUser ran without a verified caller');
      const ifMatch = headers['if-match'];
      if (ifMatch === undefined && deps.requireIfMatch) {
        throw new HttpProblem(428, 'Send If-Match with the profile\'s ETag (from GET /users/{id}), so that a change made meanwhile is not overwritten.');
      }
      const result = await deps.updateProfile(id, { patch: body, ifMatch, origin: { changedBy: principalName(caller), requestId } });
      switch (result.outcome) {
        case 'unknown-user':
          throw new HttpProblem(404, `No user has id "${id}".`);
        case 'unsettled':
          throw new HttpProblem(503, 'An earlier change to this profile is still being applied; try again shortly.', {
            headers: { 'Retry-After': RETRY_AFTER_SECONDS },
          });
        case 'stale':
          throw new HttpProblem(412, 'The profile has changed since the ETag sent in If-Match; the ETag header holds the current one.', {
            headers: etagHeader(result.current),
          });
        case 'applied':
          return { status: 200 as const, body: toUserProfile(result.profile), headers: etagHeader(result.profile) };
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
