import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '@medly/shared/db';
import { isoTime } from './sqlTime.ts';

/** Where the previous page ended: its last attempt's createdAt (null for undated attempts) and path. */
export interface ActivityPosition {
  createdAt: string | null;
  path: string;
}

export interface ActivityFilter {
  uid: string;
  subject?: string | undefined;
  paper?: string | undefined;
  lesson?: string | undefined;
  /** An item's questionID: served by attempts__uid_question_id_created_at_path__idx. */
  item?: string | undefined;
}

const activityRow = z.object({
  path: z.string(),
  context: z.enum(['mock', 'practice']),
  subjectId: z.string(),
  paperId: z.string().nullable(),
  lessonId: z.string().nullable(),
  questionId: z.string(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  isMarked: z.boolean().nullable(),
  userMark: z.number().nullable(),
  itemQuestionType: z.string().nullable(),
  itemText: z.string().nullable(),
  itemMarkMax: z.number().nullable(),
  itemDifficulty: z.number().nullable(),
  itemResolved: z.boolean(),
});
export type ActivityRow = z.infer<typeof activityRow>;

// Constant fragments, built once rather than on every request.
const createdAtText = isoTime(sql.fragment`a.created_at`);
const updatedAtText = isoTime(sql.fragment`a.updated_at`);

/**
 * A user's attempts, newest first; undated attempts (createdAt the export did
 * not give or we could not read) come last, by path. Two keyset scans of
 * attempts__uid_created_at_path__idx (attempts__uid_question_id_created_at_path__idx
 * for one item), one per kind, each cut at `limit`.
 * Reads `limit + 1` rows so the caller knows whether a next page exists.
 */
export async function activityPage(
  pool: DatabasePool,
  filter: ActivityFilter,
  after: ActivityPosition | undefined,
  limit: number,
): Promise<readonly ActivityRow[]> {
  const { uid, subject, paper, lesson, item } = filter;
  const none = sql.fragment``;
  const filters = sql.fragment`
    ${item ? sql.fragment`AND a.question_id = ${item}` : none}
    ${subject ? sql.fragment`AND a.subject_id = ${subject}` : none}
    ${paper ? sql.fragment`AND a.paper_id = ${paper}` : none}
    ${
      lesson
        ? sql.fragment`AND (a.lesson_id = ${lesson} OR EXISTS (
            SELECT 1 FROM item_lessons il WHERE il.question_id = a.question_id AND il.lesson_id = ${lesson}))`
        : none
    }`;
  const datedAfter =
    after === undefined
      ? none
      : after.createdAt === null
        ? sql.fragment`AND false`
        : sql.fragment`AND (a.created_at, a.path) < (${after.createdAt}::timestamptz, ${after.path})`;
  const undatedAfter = after?.createdAt === null ? sql.fragment`AND a.path < ${after.path}` : none;
  const take = limit + 1;

  return pool.any(sql.type(activityRow)`
    SELECT a.path,
           a.context,
           a.subject_id AS "subjectId",
           a.paper_id AS "paperId",
           a.lesson_id AS "lessonId",
           a.question_id AS "questionId",
           ${createdAtText} AS "createdAt",
           ${updatedAtText} AS "updatedAt",
           a.is_marked AS "isMarked",
           a.user_mark AS "userMark",
           i.question_type AS "itemQuestionType",
           i.text AS "itemText",
           i.mark_max AS "itemMarkMax",
           i.difficulty AS "itemDifficulty",
           (i.question_id IS NOT NULL) AS "itemResolved"
    FROM (
      (SELECT a.path FROM attempts a
       WHERE a.uid = ${uid} AND a.created_at IS NOT NULL ${datedAfter} ${filters}
       ORDER BY a.created_at DESC, a.path DESC
       LIMIT ${take})
      UNION ALL
      (SELECT a.path FROM attempts a
       WHERE a.uid = ${uid} AND a.created_at IS NULL ${undatedAfter} ${filters}
       ORDER BY a.path DESC
       LIMIT ${take})
    ) page
    JOIN attempts a ON a.path = page.path
    LEFT JOIN items i ON i.question_id = a.question_id
    ORDER BY a.created_at DESC NULLS LAST, a.path DESC
    LIMIT ${take}`);
}
