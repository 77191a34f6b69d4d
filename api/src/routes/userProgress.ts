/** GET /users/:id/progress: marks and attempts per unit → topic → lesson, from one SQL aggregation. */
import type { DatabasePool } from '@medly/shared/db';
import { subjectIdParam, timestamp, uidParam } from '../params.ts';
import { HttpProblem } from '../problem.ts';
import { userProgressRows, type ProgressRow } from '../queries/progress.ts';
import { userExists } from '../queries/users.ts';
import type { ApiRouter } from '../router.ts';
import { z } from '../zod.ts';

const totalsSchema = z
  .object({
    attempts: z.number().int().openapi({ example: 4 }),
    marked: z.number().int().openapi({ description: 'Attempts that have been marked.', example: 3 }),
    marksEarned: z.number().openapi({ description: 'Σ userMark over marked attempts.', example: 5 }),
    marksAvailable: z.number().int().openapi({ description: 'Σ markMax of the items of marked attempts.', example: 7 }),
    lastAttemptAt: timestamp.nullable(),
  })
  .openapi('ProgressTotals');

const lessonProgress = z.object({
  lessonId: z.string(),
  lessonIndex: z.number().int(),
  title: z.string(),
  totals: totalsSchema,
});
const topicProgress = z.object({ topicIndex: z.number().int(), title: z.string(), totals: totalsSchema, lessons: z.array(lessonProgress) });
const unitProgress = z.object({ unitIndex: z.number().int(), title: z.string(), totals: totalsSchema, topics: z.array(topicProgress) });
const subjectProgress = z.object({ subjectId: z.string(), title: z.string().nullable(), totals: totalsSchema, units: z.array(unitProgress) });

export const progressSchema = z
  .object({
    uid: z.string(),
    totals: totalsSchema,
    unplaced: totalsSchema,
    subjects: z.array(subjectProgress),
  })
  .openapi('UserProgress', {
    description:
      '`totals`: every attempt of the user (in the subject, when filtered); `unplaced`: attempts that reach no ' +
      'course lesson (unresolved items or lessons, or items linked to none); `subjects`: the course trees.',
  });
export type Progress = z.input<typeof progressSchema>;
type Totals = z.input<typeof totalsSchema>;

const totalsOf = (row: ProgressRow): Totals => ({
  attempts: row.attempts,
  marked: row.marked,
  marksEarned: row.marksEarned,
  marksAvailable: row.marksAvailable,
  lastAttemptAt: row.lastAttemptAt,
});
const EMPTY: Totals = { attempts: 0, marked: 0, marksEarned: 0, marksAvailable: 0, lastAttemptAt: null };

/** Nests the flat rows of the aggregation into subjects → units → topics → lessons, each in course order. */
export function buildProgressTree(uid: string, rows: readonly ProgressRow[]): Progress {
  const byIndex = <T>(items: T[], index: (item: T) => number) => items.sort((a, b) => index(a) - index(b));
  const subjects = rows
    .filter((row) => row.level === 'subject')
    .map((subject) => {
      const inSubject = rows.filter((row) => row.subjectId === subject.subjectId);
      const units = inSubject
        .filter((row) => row.level === 'unit')
        .map((unit) => {
          const topics = inSubject
            .filter((row) => row.level === 'topic' && row.unitIndex === unit.unitIndex)
            .map((topic) => {
              const lessons = inSubject
                .filter((row) => row.level === 'lesson' && row.unitIndex === unit.unitIndex && row.topicIndex === topic.topicIndex)
                .map((lesson) => ({
                  lessonId: lesson.lessonId ?? '',
                  lessonIndex: lesson.lessonIndex ?? 0,
                  title: lesson.title ?? '',
                  totals: totalsOf(lesson),
                }));
              return { topicIndex: topic.topicIndex ?? 0, title: topic.title ?? '', totals: totalsOf(topic), lessons: byIndex(lessons, (l) => l.lessonIndex) };
            });
          return { unitIndex: unit.unitIndex ?? 0, title: unit.title ?? '', totals: totalsOf(unit), topics: byIndex(topics, (t) => t.topicIndex) };
        });
      return { subjectId: subject.subjectId ?? '', title: subject.title, totals: totalsOf(subject), units: byIndex(units, (u) => u.unitIndex) };
    })
    .sort((a, b) => a.subjectId.localeCompare(b.subjectId));
  const overall = rows.find((row) => row.level === 'overall');
  const unplaced = rows.find((row) => row.level === 'unplaced');
  return { uid, totals: overall ? totalsOf(overall) : EMPTY, unplaced: unplaced ? totalsOf(unplaced) : EMPTY, subjects };
}

export function registerUserProgressRoutes(router: ApiRouter, deps: { pool: DatabasePool }): void {
  router.route({
    method: 'get',
    path: '/users/:id/progress',
    operationId: 'getUserProgress',
    summary: 'A user\'s progress per unit, topic and lesson',
    description:
      'For every subject the user attempted, the whole course tree with, at each level, attempts, marked attempts, ' +
      'marks earned / available and the last attempt time. An attempt counts towards a lesson when it was made in ' +
      'the lesson\'s practice or is on an item linked to the lesson; each level counts an attempt once.',
    tags: ['users'],
    request: {
      params: z.object({ id: uidParam }),
      query: z.object({ subject: subjectIdParam.optional() }).strict(),
    },
    responses: { 200: { description: 'The progress tree.', schema: progressSchema } },
    errors: [400, 404],
    handler: async ({ params: { id }, query }) => {
      if (!(await userExists(deps.pool, id))) throw new HttpProblem(404, `No user has id "${id}".`);
      const rows = await userProgressRows(deps.pool, id, query.subject);
      return { status: 200 as const, body: buildProgressTree(id, rows) };
    },
  });
}
