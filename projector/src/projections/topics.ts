/**
 * lessons → topics: recomputed in SQL for the touched subjects, like units:
 * the title and provenance come from the topic's first lesson by
 * (lesson index, id); topics no lesson names any more are removed.
 */
import { sql } from 'slonik';
import type { Queryable } from '../batchWriter.ts';
import { z } from 'zod';
import { countsOf, emptyCounts, writtenFlags, type UpsertCounts } from '../upsertCounts.ts';

const counted = z.object({ count: z.number() });
const removedRow = z.object({ subject_id: z.string() });

export async function recomputeTopics(connection: Queryable, subjectIds: readonly string[], runTimes: readonly string[]): Promise<UpsertCounts> {
  const subjects = [...new Set(subjectIds)];
  if (subjects.length === 0) return emptyCounts();
  const removed = await connection.any(sql.type(removedRow)`
    DELETE FROM topics t
    WHERE t.subject_id = ANY (${sql.array(subjects, 'text')})
      AND NOT EXISTS (SELECT 1 FROM lessons l
                      WHERE l.subject_id = t.subject_id AND l.unit_index = t.unit_index AND l.topic_index = t.topic_index)
    RETURNING t.subject_id`);
  const rows = await connection.any(sql.type(writtenFlags)`
    INSERT INTO topics AS t (subject_id, unit_index, topic_index, title, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset)
    SELECT DISTINCT ON (l.subject_id, l.unit_index, l.topic_index)
           l.subject_id, l.unit_index, l.topic_index, l.topic_title, min(l.first_seen_at) OVER (PARTITION BY l.subject_id, l.unit_index, l.topic_index) AS first_seen_at, l.source_file, l.source_pointer,
           l.kafka_topic, l.kafka_partition, l.kafka_offset
    FROM lessons l
    WHERE l.subject_id = ANY (${sql.array(subjects, 'text')})
    ORDER BY l.subject_id, l.unit_index, l.topic_index, l.lesson_index, l.lesson_id
    ON CONFLICT (subject_id, unit_index, topic_index) DO UPDATE SET
      title = EXCLUDED.title, source_file = EXCLUDED.source_file, source_pointer = EXCLUDED.source_pointer,
      first_seen_at = EXCLUDED.first_seen_at,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
    WHERE (t.title, t.first_seen_at, t.source_file, t.source_pointer) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.first_seen_at, EXCLUDED.source_file, EXCLUDED.source_pointer)
    RETURNING (xmax = 0) AS inserted, (t.first_seen_at = ANY (${sql.array([...runTimes], 'timestamptz')})) AS new_in_run`);
  const total = await connection.one(sql.type(counted)`
    SELECT count(*)::int AS count FROM topics WHERE subject_id = ANY (${sql.array(subjects, 'text')})`);
  return countsOf(rows, total.count, removed.length);
}
