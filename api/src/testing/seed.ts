/**
 * A small hand-made projection (the rows the projector would write) with the
 * edge cases the routes must handle: numeric question order (2 before 10), an
 * item in a paper and a bank with conflicting content, a link to a lesson the
 * course lacks, a bank whose lesson the course lacks, attempts with equal and
 * with unreadable times, an attempt on an unknown item, a second subject.
 */
import { sql } from 'slonik';
import type { DatabasePool } from '@medly/shared/db';

export const SEED = {
  uid: 'u1',
  attemptCount: 28,
  idleUid: 'u2',
  paperId: 'paperA',
  paperOrder: ['pA_1_1', 'pA_1_2', 'pA_2_1', 'pA_10_1'],
  lessonId: 'bio0.0.0',
  lessonPracticeItems: 26,
  orphanBankLessonId: 'orphan.lesson',
  sharedItem: 'pA_1_1',
  /** u1's answer and canvas on pA_1_1: what must never reach a response or a log. */
  answerText: 'Mitochondria release energy by respiration (seeded answer 7f3a)',
  canvasText: 'seeded canvas scribble 9c2e',
} as const;

/** The tables the seed fills, each with its first_seen_at (and the entity first-seen columns beside it). */
const SEEDED_TABLES = ['subjects', 'units', 'topics', 'lessons', 'papers', 'item_appearances', 'items', 'item_lessons', 'practice_banks', 'users', 'attempts'];

export async function seedProjection(pool: DatabasePool): Promise<void> {
  // The projector always writes when a record was first seen; the hand-made rows were all first seen in one import.
  const firstSeen = [
    ...SEEDED_TABLES.map((table) => sql.unsafe`ALTER TABLE ${sql.identifier([table])} ALTER COLUMN first_seen_at SET DEFAULT '2025-06-01T00:00:00Z'`),
    sql.unsafe`ALTER TABLE item_appearances ALTER COLUMN item_first_seen_at SET DEFAULT '2025-06-01T00:00:00Z'`,
    sql.unsafe`ALTER TABLE attempts ALTER COLUMN user_first_seen_at SET DEFAULT '2025-06-01T00:00:00Z'`,
  ];
  const statements = [
    ...firstSeen,
    sql.unsafe`
    INSERT INTO subjects (subject_id, title) VALUES ('bio', 'Biology'), ('chem', 'Chemistry')`,
    sql.unsafe`
    INSERT INTO units (subject_id, unit_index, title) VALUES ('bio', 0, 'Cells'), ('bio', 1, 'Organisation')`,
    sql.unsafe`
    INSERT INTO topics (subject_id, unit_index, topic_index, title)
      VALUES ('bio', 0, 0, 'Structure'), ('bio', 0, 1, 'Transport'), ('bio', 1, 0, 'Digestion')`,
    sql.unsafe`
    INSERT INTO lessons (lesson_id, subject_id, unit_index, topic_index, lesson_index, title, unit_title, topic_title, source_file, source_pointer)
      VALUES ('bio0.0.0', 'bio', 0, 0, 0, 'Cell types', 'Cells', 'Structure', 'course.json', '/0/topics/0/lessons/0'),
             ('bio0.0.1', 'bio', 0, 0, 1, 'Microscopy', 'Cells', 'Structure', 'course.json', '/0/topics/0/lessons/1'),
             ('bio0.1.0', 'bio', 0, 1, 0, 'Diffusion', 'Cells', 'Transport', 'course.json', '/0/topics/1/lessons/0'),
             ('bio1.0.0', 'bio', 1, 0, 0, 'Enzymes', 'Organisation', 'Digestion', 'course.json', '/1/topics/0/lessons/0')`,
    sql.unsafe`
    INSERT INTO papers (paper_id, subject_id, board, qualification, subject_title, paper_type, series, tier, paper_number, question_count, source_file, source_pointer)
      VALUES ('paperA', 'bio', 'aqa', 'GCSE', 'Biology', 'Medly', 'Sept_Mock', 'Higher', '1', 3, 'exams.json', '/0/papers/0')`,
    sql.unsafe`
    -- paper items, inserted out of order; question 1's parts labelled with letters, question 10's part without a label
    INSERT INTO item_appearances (kind, container_id, question_id, subject_id, stem_id, question_number, part, part_label, position, lesson_ids,
                                  question_type, text, mark_max, difficulty, content_hash, source_file, source_pointer)
      VALUES ('paper', 'paperA', 'pA_10_1', 'bio', 's10', 10, 1, NULL, 3, '{}', 'short_answer', 'Ten', 1, 1, 'h10', 'exams.json', '/0/papers/0/questions/2/items/0'),
             ('paper', 'paperA', 'pA_2_1', 'bio', 's2', 2, 1, '1', 2, '{}', 'short_answer', 'Two', 4, 2, 'h21', 'exams.json', '/0/papers/0/questions/1/items/0'),
             ('paper', 'paperA', 'pA_1_2', 'bio', 's1', 1, 2, '1b', 1, '{bio0.1.0}', 'long_answer', 'One b', 3, 3, 'h12', 'exams.json', '/0/papers/0/questions/0/items/1'),
             ('paper', 'paperA', 'pA_1_1', 'bio', 's1', 1, 1, '1a', 0, '{bio0.0.0,bio0.0.1,ghost.lesson}', 'long_answer', 'One a', 2, 2, 'h11', 'exams.json', '/0/papers/0/questions/0/items/0')`,
    sql.unsafe`
    -- the bank of bio0.0.0: 25 parts, questions 1..13, then the shared paper item with other content
    INSERT INTO item_appearances (kind, container_id, question_id, subject_id, stem_id, question_number, part, position, lesson_ids,
                                  question_type, text, mark_max, difficulty, content_hash, source_file, source_pointer)
      SELECT 'practice', 'bio0.0.0', 'pr_' || n, 'bio', 'ps' || ((n - 1) / 2 + 1), (n - 1) / 2 + 1, (n - 1) % 2 + 1, 100 + n, '{bio0.0.0}',
             'short_answer', 'Practice ' || n, 2, 1 + n % 3, 'hp' || n, 'practices.json', '/0/items/' || ((n - 1) / 2) || '/items/' || ((n - 1) % 2)
      FROM generate_series(1, 25) n`,
    sql.unsafe`
    INSERT INTO item_appearances (kind, container_id, question_id, subject_id, stem_id, question_number, part, position, lesson_ids,
                                  question_type, text, mark_max, difficulty, content_hash, source_file, source_pointer)
      VALUES ('practice', 'bio0.0.0', 'pA_1_1', 'bio', 'ps14', 14, 1, 200, '{bio0.0.0}', 'long_answer', 'One a (practice wording)', 2, 2, 'h11p', 'practices.json', '/0/items/13/items/0'),
             ('practice', 'orphan.lesson', 'or_1', 'bio', 'os1', 1, 1, 300, '{orphan.lesson}', 'short_answer', 'Orphan 1', 1, 1, 'ho1', 'practices.json', '/1/items/0/items/0'),
             ('practice', 'orphan.lesson', 'or_2', 'bio', 'os1', 1, 2, 301, '{orphan.lesson}', 'short_answer', 'Orphan 2', 1, 1, 'ho2', 'practices.json', '/1/items/0/items/1')`,
    sql.unsafe`
    INSERT INTO items (question_id, subject_id, question_type, text, mark_max, difficulty, content_hash, canonical_kind, canonical_container_id,
                       appearance_count, content_variants, source_file, source_pointer)
      SELECT DISTINCT ON (question_id) question_id, subject_id, question_type, text, mark_max, difficulty, content_hash, kind, container_id,
             count(*) OVER (PARTITION BY question_id), count(*) OVER (PARTITION BY question_id), source_file, source_pointer
      FROM item_appearances
      ORDER BY question_id, (kind = 'paper') DESC, position DESC`,
    sql.unsafe`
    INSERT INTO item_lessons (question_id, lesson_id, kind, container_id, source_file, source_pointer)
      SELECT question_id, unnest(lesson_ids), kind, container_id, source_file, source_pointer FROM item_appearances`,
    sql.unsafe`
    INSERT INTO practice_banks (lesson_id, subject_id, original_lesson_id, unit_index, unit_title, topic_index, topic_title, lesson_index, lesson_title,
                                chunks, question_count, source_file, source_pointer)
      VALUES ('bio0.0.0', 'bio', 'bio0.0.0', 0, 'Cells', 0, 'Structure', 0, 'Cell types', '[]', 14, 'practices.json', '/0'),
             ('orphan.lesson', 'bio', 'old.orphan', 5, 'Bank unit', 2, 'Bank topic', 7, 'Orphan lesson', '[]', 1, 'practices.json', '/1')`,
    sql.unsafe`
    INSERT INTO users (uid, first_seen, last_seen, attempt_count) VALUES ('u1', '2025-01-01T10:00:00Z', '2025-03-01T00:00:00Z', 28), ('u2', NULL, NULL, 0)`,
    sql.unsafe`
    -- u1: 4 marked mock attempts, the first with its answer (personal data the API never shows or logs)
    INSERT INTO attempts (path, uid, subject_id, context, paper_id, question_id, created_at, is_marked, user_mark, user_answer, canvas, extra, source_file, source_pointer)
      VALUES ('users/u1/subjectsWeb/bio/mocks/paperA/questions/pA_1_1', 'u1', 'bio', 'mock', 'paperA', 'pA_1_1', '2025-01-01T10:00:00Z', true, 2,
              ${JSON.stringify({ text: SEED.answerText })}::jsonb, ${JSON.stringify({ text: SEED.canvasText })}::jsonb, '{}', 'user_data.json', '/targets/a'),
             ('users/u1/subjectsWeb/bio/mocks/paperA/questions/pA_1_2', 'u1', 'bio', 'mock', 'paperA', 'pA_1_2', '2025-01-01T10:01:00Z', true, 1, NULL, NULL, '{}', 'user_data.json', '/targets/b'),
             ('users/u1/subjectsWeb/bio/mocks/paperA/questions/pA_2_1', 'u1', 'bio', 'mock', 'paperA', 'pA_2_1', '2025-01-01T10:02:00Z', true, 4, NULL, NULL, '{}', 'user_data.json', '/targets/c'),
             ('users/u1/subjectsWeb/bio/mocks/paperA/questions/pA_10_1', 'u1', 'bio', 'mock', 'paperA', 'pA_10_1', '2025-01-01T10:03:00Z', true, 0, NULL, NULL, '{}', 'user_data.json', '/targets/d')`,
    sql.unsafe`
    -- u1: 20 practice attempts in bio0.0.0, the first 10 marked; pr_5 and pr_6 at the same microsecond
    INSERT INTO attempts (path, uid, subject_id, context, lesson_id, question_id, created_at, is_marked, user_mark, extra, source_file, source_pointer)
      SELECT 'users/u1/subjectsWeb/bio/lessons/bio0.0.0/practice/pr_' || n, 'u1', 'bio', 'practice', 'bio0.0.0', 'pr_' || n,
             CASE WHEN n IN (5, 6) THEN '2025-02-01T00:05:00.123456Z'::timestamptz
                  ELSE '2025-02-01T00:00:00Z'::timestamptz + n * interval '1 minute' + n * interval '1 microsecond' END,
             n <= 10, CASE WHEN n <= 10 THEN 1 END, '{}', 'user_data.json', '/targets/p' || n
      FROM generate_series(1, 20) n`,
    sql.unsafe`
    -- u1: two attempts whose time could not be read, one on an unknown item, one in another subject
    INSERT INTO attempts (path, uid, subject_id, context, lesson_id, question_id, created_at, created_at_raw, is_marked, user_mark, extra, source_file, source_pointer)
      VALUES ('users/u1/subjectsWeb/bio/lessons/bio0.0.0/practice/pr_21', 'u1', 'bio', 'practice', 'bio0.0.0', 'pr_21', NULL, '"yesterday"', false, NULL, '{}', 'user_data.json', '/targets/n1'),
             ('users/u1/subjectsWeb/bio/lessons/bio0.0.0/practice/pr_22', 'u1', 'bio', 'practice', 'bio0.0.0', 'pr_22', NULL, '"soon"', false, NULL, '{}', 'user_data.json', '/targets/n2'),
             ('users/u1/subjectsWeb/bio/lessons/bio0.0.0/practice/nope_q', 'u1', 'bio', 'practice', 'bio0.0.0', 'nope_q', '2025-03-01T00:00:00Z', NULL, true, 1, '{}', 'user_data.json', '/targets/x'),
             ('users/u1/subjectsWeb/chem/lessons/chem0.0.0/practice/chem_q', 'u1', 'chem', 'practice', 'chem0.0.0', 'chem_q', '2025-01-15T00:00:00Z', NULL, false, NULL, '{}', 'user_data.json', '/targets/y')`,
  ];
  // one statement per query: slonik refuses several in one
  for (const statement of statements) await pool.query(statement);
}
