import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '@medly/shared/db';
import { seenColumns, seenFields } from './sqlTime.ts';
import { appearanceItemColumns, appearanceItemRow, type AppearanceItemRow } from './lessons.ts';

const paperRow = z.object({
  paperId: z.string(),
  subjectId: z.string(),
  board: z.string().nullable(),
  qualification: z.string().nullable(),
  subjectTitle: z.string().nullable(),
  paperType: z.string().nullable(),
  series: z.string().nullable(),
  tier: z.string().nullable(),
  paperNumber: z.string().nullable(),
  questionCount: z.number(),
  ...seenFields,
});
export type PaperRow = z.infer<typeof paperRow>;

export async function paperById(pool: DatabasePool, paperId: string): Promise<PaperRow | null> {
  return pool.maybeOne(sql.type(paperRow)`
    SELECT paper_id AS "paperId", subject_id AS "subjectId", board, qualification,
           subject_title AS "subjectTitle", paper_type AS "paperType", series, tier,
           paper_number AS "paperNumber", question_count AS "questionCount", ${seenColumns('p')}
    FROM papers p
    WHERE paper_id = ${paperId}`);
}

/** Every item of a paper by question number, then part (a paper is tens of parts: not paginated). */
export async function paperItems(pool: DatabasePool, paperId: string): Promise<readonly AppearanceItemRow[]> {
  return pool.any(sql.type(appearanceItemRow)`
    SELECT ${appearanceItemColumns}
    FROM item_appearances ia
    WHERE ia.kind = 'paper' AND ia.container_id = ${paperId}
    ORDER BY ia.question_number, ia.part, ia.question_id`);
}
