/**
 * Units and topics recomputed for the places a batch's lessons touched, against
 * hand-made lessons: title and provenance from the first lesson, first_seen_at
 * the earliest; a lesson moved to another topic leaves its old topic to be
 * removed when no lesson names it; untouched units and topics are not read.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { migratedTestDatabase, type MigratedDatabase } from '../testing/migratedDatabase.ts';
import { recomputeLessonGroups, type LessonPlace } from './lessonGroups.ts';

let database: MigratedDatabase;
test.before(async () => {
  database = await migratedTestDatabase('lesson_groups');
  await database.pool.query(sql.unsafe`
    INSERT INTO lessons (lesson_id, subject_id, unit_index, topic_index, lesson_index, title, unit_title, topic_title, source_file, source_pointer, first_seen_at)
    VALUES ('b.0.1.0', 'bio', 0, 1, 0, 'x', 'Cells (late)', 'Transport', 'course.json', '/0/1/0', '2025-01-01Z'),
           ('b.0.0.1', 'bio', 0, 0, 1, 'x', 'Cells (second)', 'Structure (second)', 'course.json', '/0/0/1', '2025-03-01Z'),
           ('b.0.0.0', 'bio', 0, 0, 0, 'x', 'Cells', 'Structure', 'course.json', '/0/0/0', '2025-02-01Z'),
           ('b.1.0.0', 'bio', 1, 0, 0, 'x', 'Organisation', 'Digestion', 'course.json', '/1/0/0', '2025-02-01Z')`);
});
test.after(async () => {
  await (database as MigratedDatabase | undefined)?.drop();
});

const groupRow = z.object({ key: z.string(), title: z.string(), first_seen_at: z.string(), source_pointer: z.string() });
const read = (table: 'units' | 'topics') =>
  database.pool.any(sql.type(groupRow)`
    SELECT concat_ws('.', subject_id, unit_index, ${table === 'topics' ? sql.fragment`topic_index` : sql.fragment`NULL`}) AS key, title,
           to_char(first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS first_seen_at, source_pointer
    FROM ${sql.identifier([table])} ORDER BY 1`);
const place = (subject_id: string, unit_index: number, topic_index: number): LessonPlace => ({ subject_id, unit_index, topic_index });

test('the first lesson names a unit or topic and gives its provenance; the earliest first_seen_at wins', async () => {
  const places = [place('bio', 0, 0), place('bio', 0, 1), place('bio', 0, 0)];
  assert.is((await recomputeLessonGroups(database.pool, 'units', places, [])).inserted, 1);
  assert.is((await recomputeLessonGroups(database.pool, 'topics', places, [])).inserted, 2);
  // Unit 1 was not touched: not read, not written.
  assert.equal(await read('units'), [{ key: 'bio.0', title: 'Cells', first_seen_at: '2025-01-01', source_pointer: '/0/0/0' }]);
  assert.equal(await read('topics'), [
    { key: 'bio.0.0', title: 'Structure', first_seen_at: '2025-02-01', source_pointer: '/0/0/0' },
    { key: 'bio.0.1', title: 'Transport', first_seen_at: '2025-01-01', source_pointer: '/0/1/0' },
  ]);
  const again = await recomputeLessonGroups(database.pool, 'topics', places, []);
  assert.equal(again, { inserted: 0, updated: 0, unchanged: 2, deleted: 0 });
});

test('a lesson moved to another topic: its old topic and unit are recomputed from where it was, and removed when empty', async () => {
  await database.pool.query(sql.unsafe`UPDATE lessons SET unit_index = 1, topic_index = 0 WHERE lesson_id = 'b.0.1.0'`);
  const places = [place('bio', 0, 1), place('bio', 1, 0)];
  assert.equal(await recomputeLessonGroups(database.pool, 'topics', places, []), { inserted: 1, updated: 0, unchanged: 0, deleted: 1 });
  assert.equal(await recomputeLessonGroups(database.pool, 'units', places, []), { inserted: 1, updated: 1, unchanged: 0, deleted: 0 });
  assert.equal(await read('units'), [
    { key: 'bio.0', title: 'Cells', first_seen_at: '2025-02-01', source_pointer: '/0/0/0' },
    { key: 'bio.1', title: 'Cells (late)', first_seen_at: '2025-01-01', source_pointer: '/0/1/0' },
  ]);
  assert.equal(
    (await read('topics')).map((row) => row.key),
    ['bio.0.0', 'bio.1.0'],
  );
});

test.run();
