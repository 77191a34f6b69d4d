/**
 * The bench compares equal work: on the same rows (awkward text, NULLs,
 * jsonb, text[]) every strategy leaves the same table content as the
 * projector's own table writer (copyMerge), and every upsert reports the
 * same inserted / updated / unchanged counts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { itemAppearancesTable, type ItemAppearanceRow } from '@medly/projector/projections/itemAppearances';
import type { TestDatabase } from '@medly/shared/testing/database';
import { testServices } from '@medly/shared/testing/services';
import { createBenchDatabase } from '../benchDatabase.ts';
import { benchColumns, columnList, quoteIdentifier } from './benchSql.ts';
import { rawTableOf } from './rawCopy.ts';
import { writeStrategies } from './writeStrategies.ts';

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
    kafka_topic: 'bench.t',
    kafka_partition: 0,
    kafka_offset: 7,
    first_seen_at: '2026-01-01T00:00:00.000Z',
    item_first_seen_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const sparse = row('q2', { diagram: null, options: null, correct_answer: 4, lesson_ids: [] });
const first = [row('q1'), sparse, row('q3', { text: '' })];
const second = [row('q1'), sparse, row('q3', { text: 'changed' }), row('q4')];

const databases: TestDatabase[] = [];
test.after(async () => {
  await Promise.all(databases.map((database) => database.drop()));
});

/** Every written column of every row, as JSON text, in key order. */
async function content(databaseUrl: string, table: string): Promise<string> {
  const columns = benchColumns(itemAppearancesTable);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ content: string }>(
      `SELECT json_agg(json_build_array(${columnList(columns.all)}) ORDER BY ${columnList(columns.key)})::text AS content FROM ${quoteIdentifier(table)}`,
    );
    return result.rows[0]?.content ?? '';
  } finally {
    await client.end();
  }
}

test('every upsert leaves the same content and the same counts as the projector’s table writer; raw COPY the same rows', async () => {
  const { adminDatabaseUrl } = await testServices();
  const outcomes = new Map<string, { counts: unknown[]; content: string }>();
  for (const strategy of writeStrategies) {
    const database = await createBenchDatabase(adminDatabaseUrl, `strategy_${strategy.id}`);
    databases.push(database);
    const session = await strategy.open(database.url);
    try {
      if (strategy.id === 'rawCopy') {
        await session.write(itemAppearancesTable, first);
        outcomes.set(strategy.id, { counts: [], content: await content(database.url, rawTableOf(itemAppearancesTable.table)) });
        continue;
      }
      const counts = [
        await session.write(itemAppearancesTable, first),
        await session.write(itemAppearancesTable, first),
        await session.write(itemAppearancesTable, second),
      ];
      outcomes.set(strategy.id, { counts, content: await content(database.url, itemAppearancesTable.table) });
    } finally {
      await session.close();
    }
  }
  const reference = outcomes.get('copyMerge');
  assert.ok(reference);
  assert.equal(reference.counts, [
    { inserted: 3, updated: 0, unchanged: 0, deleted: 0 },
    { inserted: 0, updated: 0, unchanged: 3, deleted: 0 },
    { inserted: 1, updated: 1, unchanged: 2, deleted: 0 },
  ]);
  assert.equal([...outcomes.keys()], ['naive', 'values', 'unnest', 'copyMerge', 'rawCopy']);
  for (const [id, outcome] of outcomes) {
    if (id === 'rawCopy') continue;
    assert.equal(outcome.counts, reference.counts, `${id} counts`);
    assert.is(outcome.content, reference.content, `${id} content`);
  }
  // Raw COPY wrote only the first rows; q3's text differs from the upserts' final content, the rest is equal.
  const raw = JSON.parse(outcomes.get('rawCopy')?.content ?? '[]') as unknown[][];
  const upserted = JSON.parse(reference.content) as unknown[][];
  assert.equal(raw.slice(0, 2), upserted.slice(0, 2));
});

test.run();
