/**
 * lessons, practice banks and papers → subjects, recomputed in SQL for the
 * touched subject ids. Title, exam board and qualification are the first
 * non-null value by (banks, then papers; then source file and pointer), and
 * provenance is the subject's first row by the same order (course lessons
 * first), so the row does not depend on event order. A subject none of the
 * three names any more is removed. Every value is the first (or least) row of
 * an index on (subject_id, …) (migration 0008), so a recompute reads a few
 * rows per subject rather than all of its lessons, banks and papers.
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
  // Each value is read through an index on (subject_id, …): a handful of rows per subject, however many
  // lessons, banks and papers it has (aggregating all of them in every batch made imports quadratic).
  const firstOf = (table: 'practice_banks' | 'papers', column: string) => sql.fragment`
    (SELECT ${sql.identifier([column])} FROM ${sql.identifier([table])} x
     WHERE x.subject_id = w.subject_id AND ${sql.identifier([column])} IS NOT NULL
     ORDER BY x.source_file, x.source_pointer LIMIT 1)`;
  const earliest = (table: string) => sql.fragment`(SELECT min(x.first_seen_at) FROM ${sql.identifier([table])} x WHERE x.subject_id = w.subject_id)`;
  const firstRow = (rank: number, table: string) => sql.fragment`
    (SELECT ${rank}::int AS rank, x.source_file, x.source_pointer, x.kafka_topic, x.kafka_partition, x.kafka_offset
     FROM ${sql.identifier([table])} x WHERE x.subject_id = w.subject_id ORDER BY x.source_file, x.source_pointer LIMIT 1)`;
  const rows = await connection.any(sql.type(writtenFlags)`
    WITH wanted AS (SELECT unnest(${ids}) AS subject_id)
    INSERT INTO subjects AS s (subject_id, title, exam_board, qualification, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset)
    SELECT w.subject_id,
           coalesce(${firstOf('practice_banks', 'subject_title')}, ${firstOf('papers', 'subject_title')}),
           coalesce(${firstOf('practice_banks', 'exam_board')}, ${firstOf('papers', 'board')}),
           coalesce(${firstOf('practice_banks', 'qualification')}, ${firstOf('papers', 'qualification')}),
           least(${earliest('lessons')}, ${earliest('practice_banks')}, ${earliest('papers')}),
           f.source_file, f.source_pointer, f.kafka_topic, f.kafka_partition, f.kafka_offset
    FROM wanted w
    CROSS JOIN LATERAL (
      SELECT * FROM (${firstRow(0, 'lessons')} UNION ALL ${firstRow(1, 'practice_banks')} UNION ALL ${firstRow(2, 'papers')}) AS firsts
      ORDER BY rank LIMIT 1
    ) f
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
