import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '@medly/shared/db';
import { isoTime } from './sqlTime.ts';

const progressRow = z.object({
  level: z.enum(['subject', 'unit', 'topic', 'lesson', 'overall', 'unplaced']),
  subjectId: z.string().nullable(),
  unitIndex: z.number().nullable(),
  topicIndex: z.number().nullable(),
  lessonIndex: z.number().nullable(),
  lessonId: z.string().nullable(),
  title: z.string().nullable(),
  attempts: z.number(),
  marked: z.number(),
  marksEarned: z.number(),
  marksAvailable: z.number(),
  lastAttemptAt: z.string().nullable(),
});
export type ProgressRow = z.infer<typeof progressRow>;

/**
 * A user's progress over the course tree of every subject they attempted, in
 * one statement. An attempt counts towards a lesson when it was made in the
 * lesson (practice) or is on an item linked to it (a paper part's lessonIDs);
 * each level counts an attempt once, however many of its lessons it touches.
 * Marks: earned = Σ userMark of marked attempts, available = Σ markMax of
 * their items. `unplaced`: attempts that reach no course lesson. With
 * `wholeCourse`, every unit, topic and lesson of those subjects is listed.
 *
 * The user's attempts (`ua`) and their placements in the course (`placed`)
 * are each computed once (MATERIALIZED; a few dozen rows for one uid, found
 * by attempts__uid_… and item_lessons' primary key); every unit, topic and
 * lesson total then comes from one aggregation over the distinct (level,
 * group, attempt) rows. Inlined into each level instead, the attempts were
 * scanned fourteen times a request and planning took longer than running.
 */
export async function userProgressRows(
  pool: DatabasePool,
  uid: string,
  { subject, wholeCourse }: { subject: string | undefined; wholeCourse: boolean },
): Promise<readonly ProgressRow[]> {
  const subjectFilter = subject ? sql.fragment`AND a.subject_id = ${subject}` : sql.fragment``;
  // the whole course tree (untouched parts with zeros), or only the units, topics and lessons attempted
  const join = wholeCourse ? sql.fragment`LEFT JOIN` : sql.fragment`JOIN`;
  const totals = sql.fragment`
    count(ua.path)::int AS attempts,
    count(ua.path) FILTER (WHERE ua.is_marked)::int AS marked,
    coalesce(sum(ua.user_mark) FILTER (WHERE ua.is_marked), 0)::float8 AS earned,
    coalesce(sum(ua.mark_max) FILTER (WHERE ua.is_marked), 0)::int AS available,
    max(ua.created_at) AS last_at`;
  const columns = (level: string) => sql.fragment`
    ${level}::text AS level,
    coalesce(agg.attempts, 0) AS attempts, coalesce(agg.marked, 0) AS marked,
    coalesce(agg.earned, 0) AS "marksEarned", coalesce(agg.available, 0) AS "marksAvailable",
    ${isoTime(sql.fragment`agg.last_at`)} AS "lastAttemptAt"`;

  return pool.any(sql.type(progressRow)`
    WITH ua AS MATERIALIZED (
      SELECT a.path, a.subject_id, a.lesson_id, a.question_id, a.created_at,
             coalesce(a.is_marked, false) AS is_marked, a.user_mark, i.mark_max
      FROM attempts a
      LEFT JOIN items i ON i.question_id = a.question_id
      WHERE a.uid = ${uid} ${subjectFilter}
    ),
    placed AS MATERIALIZED (
      SELECT DISTINCT links.path, l.subject_id, l.unit_index, l.topic_index, l.lesson_id
      FROM (
        SELECT ua.path, ua.lesson_id FROM ua WHERE ua.lesson_id IS NOT NULL
        UNION ALL
        SELECT ua.path, il.lesson_id FROM ua JOIN item_lessons il ON il.question_id = ua.question_id
      ) links
      JOIN lessons l ON l.lesson_id = links.lesson_id
    ),
    per_level AS MATERIALIZED (
      SELECT pl.level, pl.subject_id, pl.unit_index, pl.topic_index, pl.lesson_id, ${totals}
      FROM (
        SELECT DISTINCT v.level, p.subject_id, p.unit_index, v.topic_index, v.lesson_id, p.path
        FROM placed p
        CROSS JOIN LATERAL (VALUES ('unit', NULL::int, NULL::text), ('topic', p.topic_index, NULL), ('lesson', p.topic_index, p.lesson_id))
          AS v(level, topic_index, lesson_id)
      ) pl
      JOIN ua ON ua.path = pl.path
      GROUP BY pl.level, pl.subject_id, pl.unit_index, pl.topic_index, pl.lesson_id
    ),
    scope AS (SELECT DISTINCT subject_id FROM ua),
    per_subject AS (SELECT ua.subject_id, ${totals} FROM ua GROUP BY ua.subject_id),
    overall AS (SELECT ${totals} FROM ua),
    unplaced AS (SELECT ${totals} FROM ua WHERE NOT EXISTS (SELECT 1 FROM placed p WHERE p.path = ua.path))
    SELECT ${columns('subject')}, s.subject_id AS "subjectId", NULL::int AS "unitIndex", NULL::int AS "topicIndex",
           NULL::int AS "lessonIndex", NULL::text AS "lessonId", subjects.title
    FROM scope s
    LEFT JOIN subjects ON subjects.subject_id = s.subject_id
    LEFT JOIN per_subject agg ON agg.subject_id = s.subject_id
    UNION ALL
    SELECT ${columns('unit')}, u.subject_id, u.unit_index, NULL, NULL, NULL, u.title
    FROM units u
    JOIN scope s ON s.subject_id = u.subject_id
    ${join} per_level agg ON agg.level = 'unit' AND agg.subject_id = u.subject_id AND agg.unit_index = u.unit_index
    UNION ALL
    SELECT ${columns('topic')}, t.subject_id, t.unit_index, t.topic_index, NULL, NULL, t.title
    FROM topics t
    JOIN scope s ON s.subject_id = t.subject_id
    ${join} per_level agg
      ON agg.level = 'topic' AND agg.subject_id = t.subject_id AND agg.unit_index = t.unit_index AND agg.topic_index = t.topic_index
    UNION ALL
    SELECT ${columns('lesson')}, l.subject_id, l.unit_index, l.topic_index, l.lesson_index, l.lesson_id, l.title
    FROM lessons l
    JOIN scope s ON s.subject_id = l.subject_id
    ${join} per_level agg ON agg.level = 'lesson' AND agg.lesson_id = l.lesson_id
    UNION ALL
    SELECT ${columns('overall')}, NULL, NULL, NULL, NULL, NULL, NULL FROM overall agg
    UNION ALL
    SELECT ${columns('unplaced')}, NULL, NULL, NULL, NULL, NULL, NULL FROM unplaced agg`);
}
