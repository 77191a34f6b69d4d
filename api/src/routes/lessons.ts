/** GET /lessons/:lessonId: a lesson with its unit and topic, and a page of its practice items. */
import type { DatabasePool } from '@medly/shared/db';
import { createCursorCodec, limitQuery, pageSchema, toPage } from '../pagination.ts';
import { lessonIdParam, seenSchema } from '../params.ts';
import { HttpProblem } from '../problem.ts';
import { lessonById, lessonPracticeItems } from '../queries/lessons.ts';
import type { ApiRouter } from '../router.ts';
import { ifNoneMatchHeader } from '../entityTag.ts';
import type { ResponseCache } from '../responseCache.ts';
import { z } from '../zod.ts';
import { containerItemSchema } from './curriculumSchemas.ts';

const cursor = createCursorCodec('lessonItems', {
  questionNumber: z.number().int(),
  part: z.number().int(),
  questionID: z.string().min(1).max(512),
});

const lessonSchema = z
  .object({
    lessonId: z.string().openapi({ example: 'aqaGCSEBio0.0.0' }),
    subjectId: z.string().openapi({ example: 'aqaGCSEBio' }),
    title: z.string().nullable().openapi({ example: 'Prokaryotic and Eukaryotic Cells' }),
    lessonIndex: z.number().int().nullable(),
    inCourse: z.boolean().openapi({
      description: 'False for a practice bank whose lesson the course does not define (unit and topic then come from the bank).',
    }),
    unit: z.object({ unitIndex: z.number().int(), title: z.string().nullable() }).nullable().openapi({ example: { unitIndex: 0, title: 'Cell biology' } }),
    topic: z
      .object({ topicIndex: z.number().int(), title: z.string().nullable() })
      .nullable()
      .openapi({ example: { topicIndex: 0, title: 'The Structure of Cells' } }),
    seen: seenSchema.openapi({ description: 'The course lesson\'s record, else its practice bank\'s.' }),
    practiceBank: z
      .object({
        originalLessonId: z.string().nullable().openapi({ description: 'The bank\'s original_lessonID, as given.' }),
        questionCount: z.number().int().nullable(),
      })
      .nullable(),
    practiceItems: pageSchema(containerItemSchema).openapi('PracticeItemPage', {
      description: 'The bank\'s items by question number, then part; pass `page.nextCursor` as `cursor` for more.',
    }),
  })
  .openapi('Lesson');

export function registerLessonRoutes(router: ApiRouter, deps: { pool: DatabasePool; curriculumCache?: ResponseCache }): void {
  router.route({
    method: 'get',
    path: '/lessons/:lessonId',
    operationId: 'getLesson',
    summary: 'A lesson and its practice items',
    description:
      'The lesson with its unit and topic, and one page of its practice bank\'s items (keyset-paginated). ' +
      'Carries a strong ETag (If-None-Match with it answers 304) and `Cache-Control: no-cache`; the API keeps the answer until the projector changes the curriculum.',
    tags: ['curriculum'],
    access: 'public',
    request: {
      params: z.object({ lessonId: lessonIdParam }),
      query: z.object({ limit: limitQuery, cursor: cursor.query }).strict(),
      headers: z.object({ 'if-none-match': ifNoneMatchHeader.optional() }),
    },
    responses: { 200: { description: 'The lesson.', schema: lessonSchema } },
    entityTags: true,
    responseCache: deps.curriculumCache,
    errors: [400, 404],
    handler: async ({ params: { lessonId }, query }) => {
      const [lesson, items] = await Promise.all([
        lessonById(deps.pool, lessonId),
        lessonPracticeItems(deps.pool, lessonId, query.cursor, query.limit),
      ]);
      if (!lesson) throw new HttpProblem(404, `No lesson has id "${lessonId}".`);
      const body = {
        lessonId: lesson.lessonId,
        subjectId: lesson.subjectId,
        title: lesson.title,
        lessonIndex: lesson.lessonIndex,
        inCourse: lesson.inCourse,
        unit: lesson.unitIndex === null ? null : { unitIndex: lesson.unitIndex, title: lesson.unitTitle },
        topic: lesson.topicIndex === null ? null : { topicIndex: lesson.topicIndex, title: lesson.topicTitle },
        seen: { firstSeenAt: lesson.firstSeenAt, lastSeenAt: lesson.lastSeenAt },
        practiceBank: lesson.hasPracticeBank
          ? { originalLessonId: lesson.originalLessonId, questionCount: lesson.practiceQuestionCount }
          : null,
        practiceItems: toPage(
          items,
          query.limit,
          (item) => cursor.encode({ questionNumber: item.questionNumber, part: item.part, questionID: item.questionID }),
          (item) => item,
        ),
      };
      return { status: 200 as const, body };
    },
  });
}
