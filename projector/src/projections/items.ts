/**
 * item_appearances → items: the canonical item of each touched questionID,
 * recomputed in SQL from all its appearances by DESIGN §3's rule (paper beats
 * practice, then the greater position, then the greater container id), so the
 * result is the same whatever order the appearances arrived in. An item whose
 * appearances carry more than one content hash is a conflict
 * (content_variants > 1, counted as conflicting_item_content).
 */
import { sql } from 'slonik';
import type { Queryable } from '../batchWriter.ts';
import { z } from 'zod';
import { addTo, countsOf, emptyCounts, writtenFlags, type UpsertCounts } from '../upsertCounts.ts';

const removedItem = z.object({ question_id: z.string() });

const CHUNK = 5_000;

export async function recomputeItems(connection: Queryable, questionIds: readonly string[], runTimes: readonly string[]): Promise<UpsertCounts> {
  const ids = [...new Set(questionIds)];
  const counts = emptyCounts();
  for (let start = 0; start < ids.length; start += CHUNK) addTo(counts, await recomputeChunk(connection, ids.slice(start, start + CHUNK), runTimes));
  return counts;
}

async function recomputeChunk(connection: Queryable, ids: readonly string[], runTimes: readonly string[]): Promise<UpsertCounts> {
  // An item whose last appearance went goes with it. One index probe per id
  // (LATERAL … LIMIT 1): a NOT EXISTS may be planned as an anti-join over all of
  // item_appearances, once per batch, which made this statement a quarter of a
  // 100× projection and grew with the table (BENCHMARKS.md, run of 2026-12-03).
  const removed = await connection.any(sql.type(removedItem)`
    DELETE FROM items i
    WHERE i.question_id = ANY (ARRAY(
      SELECT touched.question_id
      FROM unnest(${sql.array(ids, 'text')}) AS touched(question_id)
      LEFT JOIN LATERAL (SELECT 1 AS present FROM item_appearances a WHERE a.question_id = touched.question_id LIMIT 1) p ON true
      WHERE p.present IS NULL))
    RETURNING i.question_id`);
  // Per id, two index lookups (LATERAL) rather than a join, a sort and a group
  // over all touched appearances: the plan then does not hinge on table
  // statistics, which a first import has none of until it is caught up
  // (measured at 100×: 1.7 s a batch unanalysed with the join, 22 ms analysed).
  const rows = await connection.any(sql.type(writtenFlags)`
    INSERT INTO items AS i (
      question_id, subject_id, question_type, text, mark_max, mark_scheme, difficulty, specification_point,
      options, correct_answer, diagram, content_hash, canonical_kind, canonical_container_id,
      appearance_count, content_variants, first_seen_at, source_file, source_pointer, kafka_topic, kafka_partition, kafka_offset
    )
    SELECT c.question_id, c.subject_id, c.question_type, c.text, c.mark_max, c.mark_scheme, c.difficulty, c.specification_point,
           c.options, c.correct_answer, c.diagram, c.content_hash, c.kind, c.container_id,
           s.appearance_count, s.content_variants, s.first_seen_at, c.source_file, c.source_pointer, c.kafka_topic, c.kafka_partition, c.kafka_offset
    FROM unnest(${sql.array(ids, 'text')}) AS touched(question_id)
    CROSS JOIN LATERAL (
      SELECT a.* FROM item_appearances a
      WHERE a.question_id = touched.question_id
      ORDER BY (a.kind = 'paper') DESC, a.position DESC, a.container_id DESC
      LIMIT 1
    ) c
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS appearance_count, count(DISTINCT a.content_hash)::int AS content_variants,
             min(a.item_first_seen_at) AS first_seen_at
      FROM item_appearances a
      WHERE a.question_id = touched.question_id
    ) s
    ON CONFLICT (question_id) DO UPDATE SET
      subject_id = EXCLUDED.subject_id, question_type = EXCLUDED.question_type, text = EXCLUDED.text,
      mark_max = EXCLUDED.mark_max, mark_scheme = EXCLUDED.mark_scheme, difficulty = EXCLUDED.difficulty,
      specification_point = EXCLUDED.specification_point, options = EXCLUDED.options,
      correct_answer = EXCLUDED.correct_answer, diagram = EXCLUDED.diagram, content_hash = EXCLUDED.content_hash,
      canonical_kind = EXCLUDED.canonical_kind, canonical_container_id = EXCLUDED.canonical_container_id,
      appearance_count = EXCLUDED.appearance_count, content_variants = EXCLUDED.content_variants,
      first_seen_at = EXCLUDED.first_seen_at, source_file = EXCLUDED.source_file, source_pointer = EXCLUDED.source_pointer,
      kafka_topic = EXCLUDED.kafka_topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
    WHERE (i.subject_id, i.content_hash, i.canonical_kind, i.canonical_container_id, i.appearance_count,
           i.content_variants, i.first_seen_at, i.source_file, i.source_pointer)
      IS DISTINCT FROM (EXCLUDED.subject_id, EXCLUDED.content_hash, EXCLUDED.canonical_kind, EXCLUDED.canonical_container_id,
           EXCLUDED.appearance_count, EXCLUDED.content_variants, EXCLUDED.first_seen_at, EXCLUDED.source_file, EXCLUDED.source_pointer)
    RETURNING (xmax = 0) AS inserted, (i.first_seen_at = ANY (${sql.array([...runTimes], 'timestamptz')})) AS new_in_run`);
  return countsOf(rows, ids.length - removed.length, removed.length);
}
