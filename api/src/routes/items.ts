/** GET /items/:questionID: the canonical item, every appearance, and the lessons it links to. */
import type { DatabasePool } from '@medly/shared/db';
import { questionIdParam, timestamp } from '../params.ts';
import { HttpProblem } from '../problem.ts';
import { itemAppearances, itemById, itemLessons } from '../queries/items.ts';
import type { ApiRouter } from '../router.ts';
import { ifNoneMatchHeader } from '../entityTag.ts';
import type { ResponseCache } from '../responseCache.ts';
import { z } from '../zod.ts';

const kind = z.enum(['paper', 'practice']).openapi({ description: '`paper`: a mock paper; `practice`: a lesson\'s practice bank.' });

const itemSchema = z
  .object({
    questionID: z.string().openapi({ example: 'aqaGCSEBio_1_1_1_EBc0BgD11T' }),
    subjectId: z.string().openapi({ example: 'aqaGCSEBio' }),
    questionType: z.string().openapi({ example: 'long_answer' }),
    text: z.string(),
    markMax: z.number().int().nullable(),
    markScheme: z.string().nullable(),
    difficulty: z.number().int().nullable().openapi({ example: 2 }),
    specificationPoint: z.string().nullable(),
    options: z.unknown().openapi({ description: 'Multiple-choice options, when the item has them.' }),
    correctAnswer: z.unknown().openapi({ description: 'Index (or indices) of the correct option(s).' }),
    diagram: z.unknown().openapi({ description: 'The part\'s diagram, as given.' }),
    canonical: z
      .object({ kind, containerId: z.string(), contentVariants: z.number().int() })
      .openapi({ description: 'Whose content is canonical (paper beats practice, then the greater source position), and how many distinct contents the appearances carry (> 1: conflicting).' }),
    appearances: z.array(
      z
        .object({
          kind,
          containerId: z.string().openapi({ description: 'The paper id, or the practice bank\'s lesson id.', example: 'medlymockaqaGCSEBio_Sept_Mock1Higher' }),
          questionNumber: z.number().int(),
          part: z.number().int().openapi({ description: 'Order within the question (see ContainerItem.part).' }),
          partLabel: z.string().nullable().openapi({ description: 'The part label as the export gives it; null when it gave none.', example: '1' }),
          position: z.number().int().openapi({ description: 'Ordinal of the part in its source file.' }),
          contentHash: z.string(),
          lessonIds: z.array(z.string()),
          source: z.object({ file: z.string(), pointer: z.string() }),
        })
        .openapi('ItemAppearance'),
    ),
    lessons: z.array(
      z
        .object({
          lessonId: z.string().openapi({ example: 'aqaGCSEBio0.0.0' }),
          resolved: z.boolean().openapi({ description: 'False when no course lesson has this id (the link is kept).' }),
          title: z.string().nullable(),
          via: z.array(z.object({ kind, containerId: z.string() })).openapi({ description: 'The appearances that make the link.' }),
        })
        .openapi('ItemLesson'),
    ),
    provenance: z.object({ file: z.string(), pointer: z.string(), firstSeenAt: timestamp, lastSeenAt: timestamp }),
  })
  .openapi('Item');

export function registerItemRoutes(router: ApiRouter, deps: { pool: DatabasePool; curriculumCache?: ResponseCache }): void {
  router.route({
    method: 'get',
    path: '/items/:questionID',
    operationId: 'getItem',
    summary: 'An item with its appearances and lessons',
    description:
      'The canonical item for a part-level questionID, every paper and practice appearance, and its lessons. ' +
      'Carries a strong ETag (If-None-Match with it answers 304) and `Cache-Control: no-cache`; the API keeps the answer until the projector changes the curriculum.',
    tags: ['curriculum'],
    access: 'public',
    request: { params: z.object({ questionID: questionIdParam }), headers: z.object({ 'if-none-match': ifNoneMatchHeader.optional() }) },
    responses: { 200: { description: 'The item.', schema: itemSchema } },
    entityTags: true,
    responseCache: deps.curriculumCache,
    errors: [400, 404],
    handler: async ({ params: { questionID } }) => {
      const [item, appearances, lessons] = await Promise.all([
        itemById(deps.pool, questionID),
        itemAppearances(deps.pool, questionID),
        itemLessons(deps.pool, questionID),
      ]);
      if (!item) throw new HttpProblem(404, `No item has questionID "${questionID}".`);
      const body = {
        questionID: item.questionID,
        subjectId: item.subjectId,
        questionType: item.questionType,
        text: item.text,
        markMax: item.markMax,
        markScheme: item.markScheme,
        difficulty: item.difficulty,
        specificationPoint: item.specificationPoint,
        options: item.options,
        correctAnswer: item.correctAnswer,
        diagram: item.diagram,
        canonical: { kind: item.canonicalKind, containerId: item.canonicalContainerId, contentVariants: item.contentVariants },
        appearances: appearances.map(({ sourceFile, sourcePointer, ...appearance }) => ({
          ...appearance,
          source: { file: sourceFile, pointer: sourcePointer },
        })),
        lessons: [...lessons],
        provenance: { file: item.sourceFile, pointer: item.sourcePointer, firstSeenAt: item.firstSeenAt, lastSeenAt: item.lastSeenAt },
      };
      return { status: 200 as const, body };
    },
  });
}
