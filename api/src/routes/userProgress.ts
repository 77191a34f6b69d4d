/** GET /users/:id/progress: marks and attempts per unit → topic → lesson, from one SQL aggregation. */
import type { DatabasePool } from '@medly/shared/db';
import { subjectIdParam, timestamp, uidParam } from '../params.ts';
import { HttpProblem } from '../problem.ts';
import { userProgressRows, type ProgressRow } from '../queries/progress.ts';
import { userExists } from '../queries/users.ts';
import type { ResponseCache } from '../responseCache.ts';
import type { ApiRouter } from '../router.ts';
import { ifNoneMatchHeader } from '../entityTag.ts';
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

const progressSchema = z
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
type Progress = z.input<typeof progressSchema>;
type Totals = z.input<typeof totalsSchema>;

const totalsOf = (row: ProgressRow): Totals => ({
  attempts: row.attempts,
  marked: row.marked,
  marksEarned: row.marksEarned,
  marksAvailable: row.marksAvailable,
  lastAttemptAt: row.lastAttemptAt,
});
const EMPTY: Totals = { attempts: 0, marked: 0, marksEarned: 0, marksAvailable: 0, lastAttemptAt: null };

/** Nests the flat rows of the aggregation into subjects → units → topics → lessons, each in course order; linear time. */
function buildProgressTree(uid: string, rows: readonly ProgressRow[]): Progress {
  type Lesson = Progress['subjects'][number]['units'][number]['topics'][number]['lessons'][number];
  type Topic = Progress['subjects'][number]['units'][number]['topics'][number];
  type Unit = Progress['subjects'][number]['units'][number];
  type Subject = Progress['subjects'][number];
  const subjects = new Map<string, Subject>();
  const units = new Map<string, Unit>();
  const topics = new Map<string, Topic>();
  const lessons: [string, Lesson][] = [];
  const topicsOf: [string, Topic][] = [];
  const unitsOf: [string, Unit][] = [];
  let overall = EMPTY;
  let unplaced = EMPTY;
  for (const row of rows) {
    const subject = row.subjectId ?? '';
    const unitKey = `${subject}\u0000${String(row.unitIndex)}`;
    const topicKey = `${unitKey}\u0000${String(row.topicIndex)}`;
    switch (row.level) {
      case 'subject':
        subjects.set(subject, { subjectId: subject, title: row.title, totals: totalsOf(row), units: [] });
        break;
      case 'unit': {
        const unit = { unitIndex: row.unitIndex ?? 0, title: row.title ?? '', totals: totalsOf(row), topics: [] };
        units.set(unitKey, unit);
        unitsOf.push([subject, unit]);
        break;
      }
      case 'topic': {
        const topic = { topicIndex: row.topicIndex ?? 0, title: row.title ?? '', totals: totalsOf(row), lessons: [] };
        topics.set(topicKey, topic);
        topicsOf.push([unitKey, topic]);
        break;
      }
      case 'lesson':
        lessons.push([topicKey, { lessonId: row.lessonId ?? '', lessonIndex: row.lessonIndex ?? 0, title: row.title ?? '', totals: totalsOf(row) }]);
        break;
      case 'overall':
        overall = totalsOf(row);
        break;
      case 'unplaced':
        unplaced = totalsOf(row);
        break;
    }
  }
  // The projector derives units and topics from lessons, so every lesson finds its topic and every topic its unit.
  for (const [topicKey, lesson] of lessons) topics.get(topicKey)?.lessons.push(lesson);
  for (const [unitKey, topic] of topicsOf) units.get(unitKey)?.topics.push(topic);
  for (const [subject, unit] of unitsOf) subjects.get(subject)?.units.push(unit);
  const byIndex = <T>(index: (item: T) => number) => (a: T, b: T) => index(a) - index(b);
  for (const subject of subjects.values()) {
    subject.units.sort(byIndex((unit) => unit.unitIndex));
    for (const unit of subject.units) {
      unit.topics.sort(byIndex((topic) => topic.topicIndex));
      for (const topic of unit.topics) topic.lessons.sort(byIndex((lesson) => lesson.lessonIndex));
    }
  }
  return {
    uid,
    totals: overall,
    unplaced,
    subjects: [...subjects.values()].sort((a, b) => a.subjectId.localeCompare(b.subjectId)),
  };
}

export function registerUserProgressRoutes(router: ApiRouter, deps: { pool: DatabasePool; userCache?: ResponseCache }): void {
  router.route({
    method: 'get',
    path: '/users/:id/progress',
    operationId: 'getUserProgress',
    summary: 'A user\'s progress per unit, topic and lesson',
    description:
      'For every subject the user attempted, the course tree (what was attempted, or with `include=all` all of it) ' +
      'with, at each level, attempts, marked attempts, ' +
      'marks earned / available and the last attempt time. An attempt counts towards a lesson when it was made in ' +
      'the lesson\'s practice or is on an item linked to the lesson; each level counts an attempt once. Needs a credential ' +
      'that may read this uid: the student\'s own user token, a staff token, or a service token with `read`. The answer carries a ' +
      'strong ETag; If-None-Match with it answers 304. The API keeps the answer until this user\'s attempts or profile, or the curriculum, change.',
    tags: ['users'],
    access: { readUser: 'id' },
    request: {
      params: z.object({ id: uidParam }),
      query: z
        .object({
          subject: subjectIdParam.optional(),
          include: z
            .enum(['attempted', 'all'])
            .default('attempted')
            .openapi({
              description: '`attempted`: only the units, topics and lessons the user has attempts in; `all`: the whole course tree.',
              example: 'attempted',
              param: { description: '`attempted` (default): only what the user attempted; `all`: the whole course tree, zeros included.' },
            }),
        })
        .strict(),
      headers: z.object({ 'if-none-match': ifNoneMatchHeader.optional() }),
    },
    responses: { 200: { description: 'The progress tree.', schema: progressSchema } },
    entityTags: true,
    responseCache: deps.userCache,
    errors: [400, 404],
    handler: async ({ params: { id }, query }) => {
      if (!(await userExists(deps.pool, id))) throw new HttpProblem(404, `No user has id "${id}".`);
      const rows = await userProgressRows(deps.pool, id, { subject: query.subject, wholeCourse: query.include === 'all' });
      return { status: 200 as const, body: buildProgressTree(id, rows) };
    },
  });
}
