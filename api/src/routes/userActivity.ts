/** GET /users/:id/activity: a user's attempts, newest first, keyset-paginated, with each attempt's item summary. */
import type { DatabasePool } from '@medly/shared/db';
import { createCursorCodec, limitQuery, pageSchema, toPage } from '../pagination.ts';
import { lessonIdParam, paperIdParam, questionIdParam, subjectIdParam, timestamp, uidParam } from '../params.ts';
import { HttpProblem } from '../problem.ts';
import { activityPage, type ActivityRow } from '../queries/activity.ts';
import { userExists } from '../queries/users.ts';
import type { ResponseCache } from '../responseCache.ts';
import type { ApiRouter } from '../router.ts';
import { ifNoneMatchHeader } from '../entityTag.ts';
import { z } from '../zod.ts';

const cursor = createCursorCodec('activity', {
  createdAt: z.string().datetime({ offset: true }).nullable(),
  path: z.string().min(1).max(2048),
});

const itemSummarySchema = z
  .object({
    questionID: z.string(),
    questionType: z.string().openapi({ example: 'long_answer' }),
    text: z.string(),
    markMax: z.number().int().nullable().openapi({ example: 2 }),
    difficulty: z.number().int().nullable().openapi({ example: 3 }),
  })
  .openapi('ItemSummary');

const attemptSchema = z
  .object({
    path: z.string().openapi({
      description: 'The attempt\'s Firebase path: its identity.',
      example:
        'users/05IsdAyoSnekvovtyr2fC5cNOnF3/subjectsWeb/aqaGCSEBio/mocks/medlymockaqaGCSEBio_Sept_Mock1Higher/questions/aqaGCSEBio_1_1_1_EBc0BgD11T',
    }),
    context: z.enum(['mock', 'practice']),
    subjectId: z.string().openapi({ example: 'aqaGCSEBio' }),
    paperId: z.string().nullable().openapi({ example: 'medlymockaqaGCSEBio_Sept_Mock1Higher' }),
    lessonId: z.string().nullable().openapi({ example: null }),
    questionID: z.string().openapi({ example: 'aqaGCSEBio_1_1_1_EBc0BgD11T' }),
    createdAt: timestamp.nullable().openapi({ description: 'Null when the export\'s value could not be read.' }),
    updatedAt: timestamp.nullable(),
    isMarked: z.boolean().nullable(),
    userMark: z.number().nullable(),
    // a union, not .nullable(): that would carry the refId along and make the ItemSummary component nullable
    item: z.union([itemSummarySchema, z.null()]),
  })
  .openapi('Attempt', { description: 'One attempt; `item` is null when its questionID matches no known item (unresolved).' });

const activityPageSchema = pageSchema(attemptSchema).openapi('ActivityPage');

function toAttempt(row: ActivityRow): z.input<typeof attemptSchema> {
  return {
    path: row.path,
    context: row.context,
    subjectId: row.subjectId,
    paperId: row.paperId,
    lessonId: row.lessonId,
    questionID: row.questionId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    isMarked: row.isMarked,
    userMark: row.userMark,
    item:
      row.itemResolved && row.itemQuestionType !== null && row.itemText !== null
        ? {
            questionID: row.questionId,
            questionType: row.itemQuestionType,
            text: row.itemText,
            markMax: row.itemMarkMax,
            difficulty: row.itemDifficulty,
          }
        : null,
  };
}

export function registerUserActivityRoutes(router: ApiRouter, deps: { pool: DatabasePool; userCache?: ResponseCache }): void {
  router.route({
    method: 'get',
    path: '/users/:id/activity',
    operationId: 'listUserActivity',
    summary: 'A user\'s attempts, newest first',
    description:
      'Keyset-paginated; attempts without a readable time come last. Filters combine: `subject`, `paper`, ' +
      '`lesson` (an attempt made in that lesson\'s practice, or on an item linked to that lesson), and `item` ' +
      '(the user\'s attempts at one item, by its questionID: has this user attempted this item?). Needs a credential that ' +
      'may read this uid: the student\'s own user token, a staff token, or a service token with `read`. The page carries a strong ETag; ' +
      'If-None-Match with it answers 304. The API keeps the page until this user\'s attempts or profile, or the curriculum, change.',
    tags: ['users'],
    access: { readUser: 'id' },
    request: {
      params: z.object({ id: uidParam }),
      query: z
        .object({
          subject: subjectIdParam.optional(),
          paper: paperIdParam.optional(),
          lesson: lessonIdParam.optional(),
          item: questionIdParam.optional(),
          limit: limitQuery,
          cursor: cursor.query,
        })
        .strict(),
      headers: z.object({ 'if-none-match': ifNoneMatchHeader.optional() }),
    },
    responses: { 200: { description: 'One page of attempts.', schema: activityPageSchema } },
    entityTags: true,
    responseCache: deps.userCache,
    errors: [400, 404],
    handler: async ({ params: { id }, query }) => {
      if (!(await userExists(deps.pool, id))) throw new HttpProblem(404, `No user has id "${id}".`);
      const rows = await activityPage(
        deps.pool,
        { uid: id, subject: query.subject, paper: query.paper, lesson: query.lesson, item: query.item },
        query.cursor,
        query.limit,
      );
      const body = toPage(rows, query.limit, (row) => cursor.encode({ createdAt: row.createdAt, path: row.path }), toAttempt);
      return { status: 200 as const, body };
    },
  });
}
