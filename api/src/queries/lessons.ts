import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '@medly/shared/db';
import { seenColumns, seenFields } from './sqlTime.ts';

const lessonRow = z.object({
  lessonId: z.string(),
  subjectId: z.string(),
  title: z.string().nullable(),
  lessonIndex: z.number().nullable(),
  inCourse: z.boolean(),
  unitIndex: z.number().nullable(),
  unitTitle: z.string().nullable(),
  topicIndex: z.number().nullable(),
  topicTitle: z.string().nullable(),
  hasPracticeBank: z.boolean(),
  originalLessonId: z.string().nullable(),
  practiceQuestionCount: z.number().nullable(),
  ...seenFields,
});
export type LessonRow = z.infer<typeof lessonRow>;

/**
 * A course lesson with its unit and topic, and its practice bank if any. A
 * bank whose lesson is not in the course is still a lesson here (inCourse
 * false, unit and topic as the bank states them): its items stay reachable.
 */
export async function lessonById(pool: DatabasePool, lessonId: string): Promise<LessonRow | null> {
  return pool.maybeOne(sql.type(lessonRow)`
    SELECT k.id AS "lessonId",
           coalesce(l.subject_id, b.subject_id) AS "subjectId",
           coalesce(l.title, b.lesson_title) AS title,
           coalesce(l.lesson_index, b.lesson_index) AS "lessonIndex",
           (l.lesson_id IS NOT NULL) AS "inCourse",
           coalesce(l.unit_index, b.unit_index) AS "unitIndex",
           CASE WHEN l.lesson_id IS NOT NULL THEN u.title ELSE b.unit_title END AS "unitTitle",
           coalesce(l.topic_index, b.topic_index) AS "topicIndex",
           CASE WHEN l.lesson_id IS NOT NULL THEN t.title ELSE b.topic_title END AS "topicTitle",
           (b.lesson_id IS NOT NULL) AS "hasPracticeBank",
           b.original_lesson_id AS "originalLessonId",
           b.question_count AS "practiceQuestionCount",
           ${seenColumns('seen')}
    FROM (SELECT ${lessonId}::text AS id) k
    LEFT JOIN lessons l ON l.lesson_id = k.id
    LEFT JOIN practice_banks b ON b.lesson_id = k.id
    -- The course lesson's record when there is one, else its practice bank's.
    CROSS JOIN LATERAL (SELECT coalesce(l.first_seen_at, b.first_seen_at) AS first_seen_at,
                               CASE WHEN l.lesson_id IS NOT NULL THEN l.source_file ELSE b.source_file END AS source_file) seen
    LEFT JOIN units u ON u.subject_id = l.subject_id AND u.unit_index = l.unit_index
    LEFT JOIN topics t ON t.subject_id = l.subject_id AND t.unit_index = l.unit_index AND t.topic_index = l.topic_index
    WHERE l.lesson_id IS NOT NULL OR b.lesson_id IS NOT NULL`);
}

/** Where the previous page ended, in (questionNumber, part, questionID) order. */
export interface ItemPosition {
  questionNumber: number;
  part: number;
  questionID: string;
}

export const appearanceItemRow = z.object({
  questionID: z.string(),
  stemId: z.string(),
  questionNumber: z.number(),
  part: z.number(),
  partLabel: z.string().nullable(),
  questionType: z.string(),
  text: z.string(),
  markMax: z.number().nullable(),
  difficulty: z.number().nullable(),
  specificationPoint: z.string().nullable(),
  lessonIds: z.array(z.string()),
});
export type AppearanceItemRow = z.infer<typeof appearanceItemRow>;

/** The select list of appearanceItemRow, over `item_appearances ia`. */
export const appearanceItemColumns = sql.fragment`
  ia.question_id AS "questionID",
  ia.stem_id AS "stemId",
  ia.question_number AS "questionNumber",
  ia.part,
  ia.part_label AS "partLabel",
  ia.question_type AS "questionType",
  ia.text,
  ia.mark_max AS "markMax",
  ia.difficulty,
  ia.specification_point AS "specificationPoint",
  ia.lesson_ids AS "lessonIds"`;

/** A lesson's practice items in bank order; keyset on item_appearances__kind_container_id_question_number_part__idx. */
export async function lessonPracticeItems(
  pool: DatabasePool,
  lessonId: string,
  after: ItemPosition | undefined,
  limit: number,
): Promise<readonly AppearanceItemRow[]> {
  const resume = after
    ? sql.fragment`AND (ia.question_number, ia.part, ia.question_id) > (${after.questionNumber}, ${after.part}, ${after.questionID})`
    : sql.fragment``;
  return pool.any(sql.type(appearanceItemRow)`
    SELECT ${appearanceItemColumns}
    FROM item_appearances ia
    WHERE ia.kind = 'practice' AND ia.container_id = ${lessonId} ${resume}
    ORDER BY ia.question_number, ia.part, ia.question_id
    LIMIT ${limit + 1}`);
}
