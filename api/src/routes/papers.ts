/** GET /papers/:paperId: a mock paper and all of its items in question / part order. */
import type { DatabasePool } from '@medly/shared/db';
import { paperIdParam, seenSchema } from '../params.ts';
import { HttpProblem } from '../problem.ts';
import { paperById, paperItems } from '../queries/papers.ts';
import type { ApiRouter } from '../router.ts';
import { ifNoneMatchHeader } from '../entityTag.ts';
import type { ResponseCache } from '../responseCache.ts';
import { z } from '../zod.ts';
import { containerItemSchema } from './curriculumSchemas.ts';

const paperSchema = z
  .object({
    paperId: z.string().openapi({ example: 'medlymockaqaGCSEBio_Sept_Mock1Higher' }),
    subjectId: z.string().openapi({ example: 'aqaGCSEBio' }),
    board: z.string().nullable().openapi({ example: 'aqa' }),
    qualification: z.string().nullable().openapi({ example: 'GCSE' }),
    subjectTitle: z.string().nullable().openapi({ example: 'Biology' }),
    paperType: z.string().nullable().openapi({ example: 'Medly' }),
    series: z.string().nullable().openapi({ example: 'Sept_Mock' }),
    tier: z.string().nullable().openapi({ example: 'Higher' }),
    paperNumber: z.string().nullable().openapi({ example: '1' }),
    questionCount: z.number().int().openapi({ description: 'Questions (stems) in the paper.', example: 9 }),
    totalMarks: z.number().int().openapi({ description: 'Σ markMax over the items.', example: 70 }),
    seen: seenSchema,
    items: z.array(containerItemSchema).openapi({ description: 'Every part, by question number, then part.' }),
  })
  .openapi('Paper');

export function registerPaperRoutes(router: ApiRouter, deps: { pool: DatabasePool; curriculumCache?: ResponseCache }): void {
  router.route({
    method: 'get',
    path: '/papers/:paperId',
    operationId: 'getPaper',
    summary: 'A mock paper with its items',
    description:
      'Paper metadata and every item (question part), ordered by question number, then part. ' +
      'Carries a strong ETag (If-None-Match with it answers 304) and `Cache-Control: no-cache`; the API keeps the answer until the projector changes the curriculum.',
    tags: ['curriculum'],
    access: 'public',
    request: { params: z.object({ paperId: paperIdParam }), headers: z.object({ 'if-none-match': ifNoneMatchHeader.optional() }) },
    responses: { 200: { description: 'The paper.', schema: paperSchema } },
    entityTags: true,
    responseCache: deps.curriculumCache,
    errors: [400, 404],
    handler: async ({ params: { paperId } }) => {
      const [paper, items] = await Promise.all([paperById(deps.pool, paperId), paperItems(deps.pool, paperId)]);
      if (!paper) throw new HttpProblem(404, `No paper has id "${paperId}".`);
      const totalMarks = items.reduce((sum, item) => sum + (item.markMax ?? 0), 0);
      const { firstSeenAt, lastSeenAt, ...meta } = paper;
      return { status: 200 as const, body: { ...meta, totalMarks, seen: { firstSeenAt, lastSeenAt }, items: [...items] } };
    },
  });
}
