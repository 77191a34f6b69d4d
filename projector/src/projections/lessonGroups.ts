/**
 * lessons → units and topics: each recomputed in SQL for the units or topics
 * a batch's lessons touched (where a changed lesson is now, where it was, and
 * where a removed one was). A unit's or topic's title and provenance come
 * from its first lesson (a unit: by topic, lesson index, id; a topic: by
 * lesson index, id), a pick that does not depend on event order, and its
 * first_seen_at is its lessons' earliest; one no lesson names any more is
 * removed. Only course lessons make them: a practice bank that names a unit
 * the course lacks does not invent one.
 *
 * Each value is read through an index on the lessons (the first row of
 * lessons__subject_id_unit_index_topic_index_lesson_index__idx, the least of
 * lessons__subject_id_unit_index_first_seen_at__idx for a unit), so a
 * recompute reads a few rows per unit or topic, however large the course.
 */
import { sql, type IdentifierSqlToken } from 'slonik';
import { z } from 'zod';
import type { Queryable } from '../batchWriter.ts';
import { countsOf, emptyCounts, writtenFlags, type UpsertCounts } from '../upsertCounts.ts';

/** Where a lesson sits in the course. */
export interface LessonPlace {
  subject_id: string;
  unit_index: number;
  topic_index: number;
}

const LEVELS = {
  units: { key: ['subject_id', 'unit_index'], title: 'unit_title', firstBy: ['topic_index', 'lesson_index', 'lesson_id'] },
  topics: { key: ['subject_id', 'unit_index', 'topic_index'], title: 'topic_title', firstBy: ['lesson_index', 'lesson_id'] },
} as const;

const counted = z.object({ count: z.number() });

export async function recomputeLessonGroups(
  connection: Queryable,
  level: keyof typeof LEVELS,
  places: readonly LessonPlace[],
  runTimes: readonly string[],
): Promise<UpsertCounts> {
  const { key, title, firstBy } = LEVELS[level];
  const touched = new Map(places.map((place) => [JSON.stringify(key.map((column) => place[column])), place]));
  if (touched.size === 0) return emptyCounts();
  const keys = [...touched.values()];
  const column = (name: string) => sql.identifier([name]);
  const qualified = (alias: string, name: string) => sql.identifier([alias, name]);
  const table = column(level);
  const matches = (left: string, right: string) => sql.join(key.map((name) => sql.fragment`${qualified(left, name)} = ${qualified(right, name)}`), sql.fragment` AND `);
  const keyList = (alias?: string) => sql.join(key.map((name): IdentifierSqlToken => (alias ? qualified(alias, name) : column(name))), sql.fragment`, `);
  const touchedRows = sql.fragment`
    SELECT * FROM unnest(${sql.array(keys.map((place) => place.subject_id), 'text')}, ${sql.array(keys.map((place) => place.unit_index), 'int4')},
                         ${sql.array(keys.map((place) => place.topic_index), 'int4')}) AS k(subject_id, unit_index, topic_index)`;

  const removed = await connection.any(sql.type(counted)`
    DELETE FROM ${table} g
    USING (${touchedRows}) k
    WHERE ${matches('g', 'k')} AND NOT EXISTS (SELECT 1 FROM lessons l WHERE ${matches('l', 'g')})
    RETURNING 1 AS count`);
  const rows = await connection.any(sql.type(writtenFlags)`
    WITH touched AS (SELECT DISTINCT ${keyList()} FROM (${touchedRows}) k)
    INSERT INTO ${table} AS g (${keyList()}, title, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset)
    SELECT ${keyList('k')}, f.title, (SELECT min(l.first_seen_at) FROM lessons l WHERE ${matches('l', 'k')}),
           f.source_file, f.source_pointer, f.kafka_topic, f.kafka_partition, f.kafka_offset
    FROM touched k
    CROSS JOIN LATERAL (
      SELECT ${qualified('l', title)} AS title, l.source_file, l.source_pointer, l.kafka_topic, l.kafka_partition, l.kafka_offset
      FROM lessons l WHERE ${matches('l', 'k')}
      ORDER BY ${sql.join(firstBy.map((name) => qualified('l', name)), sql.fragment`, `)} LIMIT 1
    ) f
    ON CONFLICT (${keyList()}) DO UPDATE SET
      title = EXCLUDED.title, source_file = EXCLUDED.source_file, source_pointer = EXCLUDED.source_pointer,
      first_seen_at = EXCLUDED.first_seen_at,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
    WHERE (g.title, g.first_seen_at, g.source_file, g.source_pointer) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.first_seen_at, EXCLUDED.source_file, EXCLUDED.source_pointer)
    RETURNING (xmax = 0) AS inserted, (g.first_seen_at = ANY (${sql.array([...runTimes], 'timestamptz')})) AS new_in_run`);
  const total = await connection.one(sql.type(counted)`
    SELECT count(*)::int AS count FROM ${table} g WHERE EXISTS (SELECT 1 FROM (${touchedRows}) k WHERE ${matches('g', 'k')})`);
  return countsOf(rows, total.count, removed.length);
}
