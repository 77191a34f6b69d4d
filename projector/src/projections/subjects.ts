/**
 * lessons, practice banks and papers → subjects, recomputed in SQL for the
 * touched subject ids. Title, exam board and qualification are the first
 * non-null value by (banks, then papers; then source file and pointer), and
 * provenance is the subject's first row by the same order (course lessons
 * first), so the row does not depend on event order. A subject none of the
 * three names any more is removed.
 */
import { sql } from 'slonik';
import type { Queryable } from '../batchWriter.ts';
import { z } from 'zod';
import { countsOf, emptyCounts, writtenFlags, type UpsertCounts } from '../upsertCounts.ts';

const removedSubject = z.object({ subject_id: z.string() });


export async function recomputeSubjects(connection: Queryable, subjectIds: readonly string[], runTimes: readonly string[]): Promise<UpsertCounts> {
  const subjects = [...new Set(subjectIds)];
  if (subjects.length === 0) return emptyCounts();
  const ids = sql.array(subjects, 'text');
  const rows = await connection.any(sql.type(writtenFlags)`
    WITH named AS (
      SELECT subject_id, 0 AS rank, NULL::text AS title, NULL::text AS exam_board, NULL::text AS qualification,
             first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset
      FROM lessons WHERE subject_id = ANY (${ids})
      UNION ALL
      SELECT subject_id, 1, subject_title, exam_board, qualification, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset
      FROM practice_banks WHERE subject_id = ANY (${ids})
      UNION ALL
      SELECT subject_id, 2, subject_title, board, qualification, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset
      FROM papers WHERE subject_id = ANY (${ids})
    ), described AS (
      SELECT subject_id,
             (array_agg(title ORDER BY rank, source_file, source_pointer) FILTER (WHERE title IS NOT NULL))[1] AS title,
             (array_agg(exam_board ORDER BY rank, source_file, source_pointer) FILTER (WHERE exam_board IS NOT NULL))[1] AS exam_board,
             (array_agg(qualification ORDER BY rank, source_file, source_pointer) FILTER (WHERE qualification IS NOT NULL))[1] AS qualification,
             min(first_seen_at) AS first_seen_at
      FROM named GROUP BY subject_id
    ), first_row AS (
      SELECT DISTINCT ON (subject_id) subject_id, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset
      FROM named ORDER BY subject_id, rank, source_file, source_pointer
    )
    INSERT INTO subjects AS s (subject_id, title, exam_board, qualification, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset)
    SELECT d.subject_id, d.title, d.exam_board, d.qualification, d.first_seen_at, f.source_file, f.source_pointer, f.kafka_topic, f.kafka_partition, f.kafka_offset
    FROM described d JOIN first_row f USING (subject_id)
    ON CONFLICT (subject_id) DO UPDATE SET
      title = EXCLUDED.title, exam_board = EXCLUDED.exam_board, qualification = EXCLUDED.qualification,
      first_seen_at = EXCLUDED.first_seen_at, source_file = EXCLUDED.source_file, source_pointer = EXCLUDED.source_pointer,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
    WHERE (s.title, s.exam_board, s.qualification, s.first_seen_at, s.source_file, s.source_pointer)
      IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.exam_board, EXCLUDED.qualification, EXCLUDED.first_seen_at, EXCLUDED.source_file, EXCLUDED.source_pointer)
    RETURNING (xmax = 0) AS inserted, (s.first_seen_at = ANY (${sql.array([...runTimes], 'timestamptz')})) AS new_in_run`);
  const removed = await connection.any(sql.type(removedSubject)`
    DELETE FROM subjects s
    WHERE s.subject_id = ANY (${ids})
      AND NOT EXISTS (SELECT 1 FROM lessons WHERE subject_id = s.subject_id)
      AND NOT EXISTS (SELECT 1 FROM practice_banks WHERE subject_id = s.subject_id)
      AND NOT EXISTS (SELECT 1 FROM papers WHERE subject_id = s.subject_id)
    RETURNING s.subject_id`);
  return countsOf(rows, subjects.length - removed.length, removed.length);
}
