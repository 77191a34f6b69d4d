/**
 * The table writer on a real database, with awkward values (tabs, newlines,
 * backslashes, quotes, non-BMP characters, NULLs, jsonb, text[]): what it
 * COPYs in reads back unchanged, and the counts and changed rows tell what
 * the merge did.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { itemAppearancesTable, type ItemAppearanceRow } from './projections/itemAppearances.ts';
import { createTableWriter } from './tableWriter.ts';
import { migratedTestDatabase, type MigratedDatabase } from './testing/migratedDatabase.ts';

let database: MigratedDatabase;
test.before(async () => {
  database = await migratedTestDatabase('table_writer');
});
test.after(async () => {
  await database.drop();
});

const writer = createTableWriter(itemAppearancesTable);

function row(questionId: string, overrides: Partial<ItemAppearanceRow> = {}): ItemAppearanceRow {
  return {
    kind: 'practice',
    container_id: 'lesson\t1',
    question_id: questionId,
    subject_id: 'bio',
    stem_id: 'stem "1"',
    question_number: 1,
    part: 2,
    part_label: null,
    position: 3,
    lesson_ids: ['lesson\t1', 'a,b', 'quote " and \\ backslash', '{braces}', 'NULL'],
    question_type: 'mcq',
    text: 'line one\nline two\r\n\ttabbed \\ backslash é ✓ 𝛑',
    mark_max: null,
    mark_scheme: null,
    difficulty: 3,
    specification_point: '4.1.1',
    options: ['a', 'b "c"', 'd\\e', ''],
    correct_answer: [1, 2],
    diagram: { nested: { list: [1, 'two', null, true], text: 'x\ty' } },
    content_hash: 'hash',
    source_file: 'curriculum_data/x.json',
    source_pointer: '/0/items/0',
    kafka_topic: 'medly.t',
    kafka_partition: 0,
    kafka_offset: 7,
    // As Postgres writes a timestamptz in JSON, so what is read back compares equal.
    first_seen_at: '2026-01-01T00:00:00+00:00',
    item_first_seen_at: '2026-01-01T00:00:00+00:00',
    ...overrides,
  };
}

const upsert = (rows: readonly ItemAppearanceRow[]) => database.writer.transaction((connection) => writer.upsert(connection, rows, []));
const summary = ({ inserted, updated, unchanged, changed }: Awaited<ReturnType<typeof upsert>>) => ({
  inserted,
  updated,
  unchanged,
  changed: changed.map((changedRow) => changedRow.question_id),
});

/** Every written column of every row, as JSON, in key order. */
async function stored(): Promise<unknown[]> {
  const columns = Object.keys(itemAppearancesTable.columns).map((column) => sql.identifier([column]));
  const text = await database.pool.oneFirst(sql.type(z.object({ rows: z.string() }))`
    SELECT coalesce(json_agg(to_jsonb(picked) ORDER BY question_id), '[]')::text AS rows
    FROM (SELECT ${sql.join(columns, sql.fragment`, `)} FROM item_appearances) picked`);
  return JSON.parse(text) as unknown[];
}

const sparse = row('q2', { diagram: null, options: null, correct_answer: 4, lesson_ids: [] });

test('what is COPYed in reads back unchanged; a second write of the same rows changes nothing', async () => {
  const first = [row('q1'), sparse, row('q3', { text: '' })];
  assert.equal(summary(await upsert(first)), { inserted: 3, updated: 0, unchanged: 0, changed: ['q1', 'q2', 'q3'] });
  assert.equal(await stored(), first);
  assert.equal(summary(await upsert(first)), { inserted: 0, updated: 0, unchanged: 3, changed: [] });
});

test('a changed row is updated, a new one inserted, provenance alone is no change; duplicates: the last wins', async () => {
  const result = await upsert([
    row('q1', { kafka_offset: 99 }),
    sparse,
    row('q3', { text: 'first' }),
    row('q4'),
    row('q3', { text: 'changed' }),
  ]);
  assert.equal(summary(result), { inserted: 1, updated: 1, unchanged: 2, changed: ['q3', 'q4'] });
  const byId = new Map((await stored()).map((stored) => [(stored as ItemAppearanceRow).question_id, stored]));
  assert.is((byId.get('q3') as ItemAppearanceRow).text, 'changed');
  // An unchanged row is not rewritten, so it keeps the provenance of the event that last changed it.
  assert.is((byId.get('q1') as ItemAppearanceRow).kafka_offset, 7);
});

test('new keys go straight in by COPY; a key that exists falls back to the merge in the same transaction; after a merge that finds every key new, COPY again', async () => {
  const fresh = createTableWriter(itemAppearancesTable);
  const results = await database.writer.transaction(async (connection) => {
    const statements: string[] = [];
    const query = connection.client.query.bind(connection.client) as (...args: unknown[]) => unknown;
    connection.client.query = ((...args: unknown[]) => {
      const [first] = args;
      statements.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
      return query(...args);
    }) as typeof connection.client.query;
    const step = async (rows: readonly ItemAppearanceRow[]) => {
      statements.length = 0;
      const result = summary(await fresh.upsert(connection, rows, []));
      const path = statements.some((text) => text.startsWith('INSERT INTO')) ? 'merge' : 'copy';
      return { ...result, path, rolledBack: statements.includes('ROLLBACK TO SAVEPOINT direct_copy') };
    };
    return [
      await step([row('q10'), row('q11')]),
      await step([row('q10', { text: 'changed' }), row('q12')]),
      await step([row('q13')]),
      await step([row('q14')]),
    ];
  });
  assert.equal(results, [
    { inserted: 2, updated: 0, unchanged: 0, changed: ['q10', 'q11'], path: 'copy', rolledBack: false },
    { inserted: 1, updated: 1, unchanged: 0, changed: ['q10', 'q12'], path: 'merge', rolledBack: true },
    { inserted: 1, updated: 0, unchanged: 0, changed: ['q13'], path: 'merge', rolledBack: false },
    { inserted: 1, updated: 0, unchanged: 0, changed: ['q14'], path: 'copy', rolledBack: false },
  ]);
  const byId = new Map((await stored()).map((stored) => [(stored as ItemAppearanceRow).question_id, stored as ItemAppearanceRow]));
  assert.equal(['q10', 'q11', 'q12', 'q13', 'q14'].map((id) => byId.get(id)?.text.slice(0, 7)), ['changed', 'line on', 'line on', 'line on', 'line on']);
});

test('no rows: nothing is sent, nothing counted', async () => {
  assert.equal(summary(await upsert([])), { inserted: 0, updated: 0, unchanged: 0, changed: [] });
});

test.run();
