import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '@medly/shared/db';
import { seenColumns, seenFields } from './sqlTime.ts';

const json = z.unknown();

const itemRow = z.object({
  questionID: z.string(),
  subjectId: z.string(),
  questionType: z.string(),
  text: z.string(),
  markMax: z.number().nullable(),
  markScheme: z.string().nullable(),
  difficulty: z.number().nullable(),
  specificationPoint: z.string().nullable(),
  options: json,
  correctAnswer: json,
  diagram: json,
  canonicalKind: z.enum(['paper', 'practice']),
  canonicalContainerId: z.string(),
  contentVariants: z.number(),
  sourceFile: z.string(),
  sourcePointer: z.string(),
  ...seenFields,
});
export type ItemRow = z.infer<typeof itemRow>;

export async function itemById(pool: DatabasePool, questionId: string): Promise<ItemRow | null> {
  return pool.maybeOne(sql.type(itemRow)`
    SELECT question_id AS "questionID", subject_id AS "subjectId", question_type AS "questionType", text,
           mark_max AS "markMax", mark_scheme AS "markScheme", difficulty,
           specification_point AS "specificationPoint", options, correct_answer AS "correctAnswer", diagram,
           canonical_kind AS "canonicalKind", canonical_container_id AS "canonicalContainerId",
           content_variants AS "contentVariants",
           source_file AS "sourceFile", source_pointer AS "sourcePointer",
           ${seenColumns('i')}
    FROM items i
    WHERE question_id = ${questionId}`);
}

const appearanceRow = z.object({
  kind: z.enum(['paper', 'practice']),
  containerId: z.string(),
  stemId: z.string(),
  questionNumber: z.number(),
  part: z.number(),
  partLabel: z.string().nullable(),
  position: z.number(),
  contentHash: z.string(),
  lessonIds: z.array(z.string()),
  sourceFile: z.string(),
  sourcePointer: z.string(),
});
export type AppearanceRow = z.infer<typeof appearanceRow>;

/** Every place the item appears: papers first, then practice banks. */
export async function itemAppearances(pool: DatabasePool, questionId: string): Promise<readonly AppearanceRow[]> {
  return pool.any(sql.type(appearanceRow)`
    SELECT kind, container_id AS "containerId", stem_id AS "stemId", question_number AS "questionNumber", part,
           part_label AS "partLabel", position, content_hash AS "contentHash", lesson_ids AS "lessonIds",
           source_file AS "sourceFile", source_pointer AS "sourcePointer"
    FROM item_appearances
    WHERE question_id = ${questionId}
    ORDER BY kind, container_id`);
}

const itemLessonRow = z.object({
  lessonId: z.string(),
  resolved: z.boolean(),
  title: z.string().nullable(),
  via: z.array(z.object({ kind: z.enum(['paper', 'practice']), containerId: z.string() })),
});
export type ItemLessonRow = z.infer<typeof itemLessonRow>;

/** The lessons the item's appearances link it to; unresolved ones (no such course lesson) are kept and flagged. */
export async function itemLessons(pool: DatabasePool, questionId: string): Promise<readonly ItemLessonRow[]> {
  return pool.any(sql.type(itemLessonRow)`
    SELECT links.lesson_id AS "lessonId",
           bool_or(links.resolved) AS resolved,
           l.title,
           json_agg(json_build_object('kind', links.kind, 'containerId', links.container_id)
                    ORDER BY links.kind, links.container_id) AS via
    FROM item_lesson_links links
    LEFT JOIN lessons l ON l.lesson_id = links.lesson_id
    WHERE links.question_id = ${questionId}
    GROUP BY links.lesson_id, l.title, l.subject_id, l.unit_index, l.topic_index, l.lesson_index
    ORDER BY l.subject_id, l.unit_index, l.topic_index, l.lesson_index, links.lesson_id`);
}
