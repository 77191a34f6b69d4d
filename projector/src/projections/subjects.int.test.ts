/**
 * The subject recompute against hand-made rows: each value is the first
 * non-null one by (banks, then papers; source file, pointer), provenance the
 * first row with course lessons first, first_seen_at the earliest of all
 * three tables; a subject nothing names any more is removed; a recompute
 * with nothing changed writes nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { migratedTestDatabase, type MigratedDatabase } from '../testing/migratedDatabase.ts';
import { recomputeSubjects } from './subjects.ts';

let database: MigratedDatabase;
test.before(async () => {
  database = await migratedTestDatabase('subjects');
  await database.pool.query(sql.unsafe`
    INSERT INTO lessons (lesson_id, subject_id, unit_index, topic_index, lesson_index, title, unit_title, topic_title, source_file, source_pointer, first_seen_at, kafka_offset)
    VALUES ('bio.b', 'bio', 0, 0, 1, 'B', 'U', 'T', 'course.json', '/0/topics/0/lessons/1', '2025-03-01Z', 11),
           ('bio.a', 'bio', 0, 0, 0, 'A', 'U', 'T', 'course.json', '/0/topics/0/lessons/0', '2025-03-02Z', 10)`);
  await database.pool.query(sql.unsafe`
    INSERT INTO practice_banks (lesson_id, subject_id, exam_board, qualification, subject_title, chunks, question_count, source_file, source_pointer, first_seen_at, kafka_offset)
    VALUES ('bio.a', 'bio', NULL, 'GCSE', NULL, '[]', 0, 'practice.json', '/0', '2025-02-01Z', 20),
           ('bio.b', 'bio', NULL, 'A-level', 'Biology (banks)', '[]', 0, 'practice.json', '/1', '2025-04-01Z', 21),
           ('chem.a', 'chem', 'ocr', NULL, NULL, '[]', 0, 'practice.json', '/2', '2025-05-01Z', 22)`);
  await database.pool.query(sql.unsafe`
    INSERT INTO papers (paper_id, subject_id, board, qualification, subject_title, question_count, source_file, source_pointer, first_seen_at, kafka_offset)
    VALUES ('bio.p', 'bio', 'aqa', 'IGCSE', 'Biology (papers)', 0, 'exams.json', '/0/papers/0', '2025-01-15Z', 30),
           ('chem.p2', 'chem', 'edexcel', 'GCSE', 'Chemistry', 0, 'exams.json', '/1/papers/1', '2025-06-01Z', 32),
           ('chem.p1', 'chem', 'wjec', NULL, NULL, 0, 'exams.json', '/1/papers/0', '2025-04-15Z', 31),
           ('phys.p', 'phys', 'aqa', 'GCSE', 'Physics', 0, 'exams.json', '/2/papers/0', '2025-07-01Z', 33)`);
  await database.pool.query(sql.unsafe`INSERT INTO subjects (subject_id, first_seen_at) VALUES ('gone', '2025-01-01Z')`);
});
test.after(async () => {
  await (database as MigratedDatabase | undefined)?.drop();
});

const subjectRow = z.object({
  subject_id: z.string(),
  title: z.string().nullable(),
  exam_board: z.string().nullable(),
  qualification: z.string().nullable(),
  first_seen_at: z.string(),
  source_pointer: z.string().nullable(),
  kafka_offset: z.number().nullable(),
});

test('each value is the first non-null by banks then papers; provenance the first row, lessons first; removed when nothing names it', async () => {
  const counts = await recomputeSubjects(database.pool, ['bio', 'chem', 'phys', 'gone'], []);
  assert.equal({ inserted: counts.inserted, deleted: counts.deleted }, { inserted: 3, deleted: 1 });
  const rows = await database.pool.any(sql.type(subjectRow)`
    SELECT subject_id, title, exam_board, qualification, to_char(first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS first_seen_at,
           source_pointer, kafka_offset::int AS kafka_offset
    FROM subjects ORDER BY subject_id`);
  assert.equal(rows, [
    // Title from the second bank (the first has none), board from the paper (no bank has one), qualification from the
    // first bank; the earliest row is the paper; provenance is the first lesson by pointer.
    { subject_id: 'bio', title: 'Biology (banks)', exam_board: 'aqa', qualification: 'GCSE', first_seen_at: '2025-01-15', source_pointer: '/0/topics/0/lessons/0', kafka_offset: 10 },
    // No lessons: provenance is the bank; title and qualification from the papers in pointer order, skipping nulls.
    { subject_id: 'chem', title: 'Chemistry', exam_board: 'ocr', qualification: 'GCSE', first_seen_at: '2025-04-15', source_pointer: '/2', kafka_offset: 22 },
    { subject_id: 'phys', title: 'Physics', exam_board: 'aqa', qualification: 'GCSE', first_seen_at: '2025-07-01', source_pointer: '/2/papers/0', kafka_offset: 33 },
  ]);
  const again = await recomputeSubjects(database.pool, ['bio', 'chem', 'phys'], []);
  assert.equal({ inserted: again.inserted, updated: again.updated, deleted: again.deleted }, { inserted: 0, updated: 0, deleted: 0 });
});

test.run();
