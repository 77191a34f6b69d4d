/**
 * lessons → units: recomputed in SQL for the touched subjects. A unit's title
 * (and provenance) comes from its first lesson by (topic, lesson index, id),
 * a pick that does not depend on event order; units no lesson names any more
 * are removed. Only course lessons make units: a practice bank that names a
 * unit the course lacks does not invent one.
 */
import { sql } from 'slonik';
import type { Queryable } from '../batchWriter.ts';
import { z } from 'zod';
import { countsOf, emptyCounts, writtenFlags, type UpsertCounts } from '../upsertCounts.ts';

const counted = z.object({ count: z.number() });
const removedRow = z.object({ subject_id: z.string() });

export async function recomputeUnits(connection: Queryable, subjectIds: readonly string[], runTimes: readonly string[]): Promise<UpsertCounts> {
  const subjects = [...new Set(subjectIds)];
  if (subjects.length === 0) return emptyCounts();
  const removed = await connection.any(sql.type(removedRow)`
    DELETE FROM units u
    WHERE u.subject_id = ANY (${sql.array(subjects, 'text')})
      AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.subject_id = u.subject_id AND l.unit_index = u.unit_index)
    RETURNING u.subject_id`);
  const rows = await connection.any(sql.type(writtenFlags)`
    INSERT INTO units AS u (subject_id, unit_index, title, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset)
    SELECT DISTINCT ON (l.subject_id, l.unit_index)
           l.subject_id, l.unit_index, l.unit_title, min(l.first_seen_at) OVER (PARTITION BY l.subject_id, l.unit_index) AS first_seen_at, l.source_file, l.source_pointer, l.kafka_topic, l.kafka_partition, l.kafka_offset
    FROM lessons l
    WHERE l.subject_id = ANY (${sql.array(subjects, 'text')})
    ORDER BY l.subject_id, l.unit_index, l.topic_index, l.lesson_index, l.lesson_id
    ON CONFLICT (subject_id, unit_index) DO UPDATE SET
      title = EXCLUDED.title, source_file = EXCLUDED.source_file, source_pointer = EXCLUDED.source_pointer,
      first_seen_at = EXCLUDED.first_seen_at,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
    WHERE (u.title, u.first_seen_at, u.source_file, u.source_pointer) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.first_seen_at, EXCLUDED.source_file, EXCLUDED.source_pointer)
    RETURNING (xmax = 0) AS inserted, (u.first_seen_at = ANY (${sql.array([...runTimes], 'timestamptz')})) AS new_in_run`);
  const total = await connection.one(sql.type(counted)`
    SELECT count(*)::int AS count FROM units WHERE subject_id = ANY (${sql.array(subjects, 'text')})`);
  return countsOf(rows, total.count, removed.length);
}
