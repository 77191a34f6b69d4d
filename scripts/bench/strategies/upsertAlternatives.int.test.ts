/**
 * upsertRowsJsonb and upsertRowsUnnest are drop-ins for the projector's
 * upsertRows (COPY + merge): on the same rows (awkward text, NULLs, jsonb,
 * text[]) they leave the same table content and report the same inserted /
 * updated / unchanged counts and changed rows.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDatabasePool } from '../../../shared/src/db.ts';
import { testServices } from '../../../shared/src/testing/services.ts';
import type { TestDatabase } from '../../../shared/src/testing/database.ts';
import { itemAppearancesTable, type ItemAppearanceRow } from '../../../projector/src/projections/itemAppearances.ts';
import { createBatchWriter } from '../../../projector/src/batchWriter.ts';
import { tableColumns } from '../../../projector/src/tableSpec.ts';
import { upsertRows, type TableSpec, type UpsertResult } from '../../../projector/src/upsert.ts';
import { columnList, quoteIdentifier } from '../../../projector/src/upsertSql.ts';
import { createBenchDatabase } from '../benchDatabase.ts';
import { openPgSession } from './pgSession.ts';
import { upsertRowsJsonb } from './upsertRowsJsonb.ts';
import { upsertRowsUnnest } from './upsertRowsUnnest.ts';

type Upsert = (databaseUrl: string, rows: readonly ItemAppearanceRow[]) => Promise<UpsertResult<ItemAppearanceRow>>;

const viaSlonik =
  (write: typeof upsertRowsJsonb): Upsert =>
  async (databaseUrl, rows) => {
    const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 1 });
    try {
      return await pool.transaction((transaction) => write(transaction, itemAppearancesTable, rows));
    } finally {
      await pool.end();
    }
  };

const viaBatchWriter: Upsert = async (databaseUrl, rows) => {
  const writer = createBatchWriter(databaseUrl, { maxConnections: 1 });
  try {
    return await writer.transaction((connection) => upsertRows(connection, itemAppearancesTable, rows));
  } finally {
    await writer.end();
  }
};

const writers: Record<string, Upsert> = {
  upsertRows: viaBatchWriter,
  upsertRowsJsonb: viaSlonik(upsertRowsJsonb),
  upsertRowsUnnest: viaSlonik(upsertRowsUnnest),
};

function row(questionId: string, overrides: Partial<ItemAppearanceRow> = {}): ItemAppearanceRow {
  return {
    kind: 'practice',
    container_id: 'lesson\t1',
    question_id: questionId,
    subject_id: 'bio',
    stem_id: 'stem "1"',
    question_number: 1,
    part: 2,
    part_label: '1b (ii)',
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
    ...overrides,
  };
}

const first = [row('q1'), row('q2', { diagram: null, options: null, correct_answer: 4, lesson_ids: [] }), row('q3', { text: '' })];
const second = [row('q1'), row('q2', { diagram: null, options: null, correct_answer: 4, lesson_ids: [] }), row('q3', { text: 'changed' }), row('q4')];

const databases: TestDatabase[] = [];
test.after(async () => {
  await Promise.all(databases.map((database) => database.drop()));
});

async function content(databaseUrl: string, spec: TableSpec<ItemAppearanceRow>): Promise<string> {
  const columns = tableColumns(spec);
  const session = await openPgSession(databaseUrl);
  try {
    const result = await session.client.query<{ content: string }>(
      `SELECT json_agg(json_build_array(${columnList(columns.all)}) ORDER BY ${columnList(columns.key)})::text AS content FROM ${quoteIdentifier(spec.table)}`,
    );
    return result.rows[0]?.content ?? '';
  } finally {
    await session.close();
  }
}

test('every upsert leaves the same content and the same counts', async () => {
  const { adminDatabaseUrl } = await testServices();
  const outcomes: Record<string, { counts: unknown[]; changed: string[][]; content: string }> = {};
  for (const [name, write] of Object.entries(writers)) {
    const database = await createBenchDatabase(adminDatabaseUrl, `alt_${name}`);
    databases.push(database);
    const runs = [await write(database.url, first), await write(database.url, first), await write(database.url, second)];
    outcomes[name] = {
      counts: runs.map(({ inserted, updated, unchanged }) => ({ inserted, updated, unchanged })),
      changed: runs.map((run) => run.changed.map((changed) => changed.question_id)),
      content: await content(database.url, itemAppearancesTable),
    };
  }
  const reference = outcomes.upsertRows;
  assert.ok(reference);
  assert.equal(reference.counts, [
    { inserted: 3, updated: 0, unchanged: 0 },
    { inserted: 0, updated: 0, unchanged: 3 },
    { inserted: 1, updated: 1, unchanged: 2 },
  ]);
  assert.equal(reference.changed, [['q1', 'q2', 'q3'], [], ['q3', 'q4']]);
  for (const [name, outcome] of Object.entries(outcomes)) {
    assert.equal(outcome.counts, reference.counts, `${name} counts`);
    assert.equal(outcome.changed, reference.changed, `${name} changed rows`);
    assert.is(outcome.content, reference.content, `${name} content`);
  }
});

test.run();
