import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { createDatabasePool, type DatabasePool } from './db.ts';
import { diffTableStats, lagBehind, readCheckpoints, readProjectionWarnings, readTableStats, waitForCheckpoints } from './progress.ts';
import { createTestDatabase, type TestDatabase } from './testing/database.ts';
import { testServices } from './testing/services.ts';

// The tables progress.ts reads (the projector's migrations own them; only what is read is created here).
const schema = [
  sql.type(z.object({}))`CREATE TABLE checkpoints (consumer_group text, topic text, partition integer, next_offset bigint, PRIMARY KEY (consumer_group, topic, partition))`,
  sql.type(z.object({}))`CREATE TABLE projection_stats (table_name text PRIMARY KEY, inserted bigint, updated bigint, unchanged bigint, deleted bigint)`,
  sql.type(z.object({}))`CREATE TABLE item_appearances (question_id text, content_hash text)`,
  sql.type(z.object({}))`CREATE TABLE item_lessons (lesson_id text)`,
  sql.type(z.object({}))`CREATE TABLE practice_banks (lesson_id text)`,
  sql.type(z.object({}))`CREATE TABLE attempts (lesson_id text, question_id text)`,
  sql.type(z.object({}))`CREATE TABLE lessons (lesson_id text)`,
  sql.type(z.object({}))`CREATE TABLE items (question_id text)`,
];

let database: TestDatabase;
let pool: DatabasePool;
test.before(async () => {
  database = await createTestDatabase((await testServices()).adminDatabaseUrl, 'progress');
  pool = await createDatabasePool(database.url);
  for (const statement of schema) await pool.query(statement);
});
test.after(async () => {
  await pool.end();
  await database.drop();
});

const noRows = z.object({});

test('checkpoints are read per group; lag is measured against end offsets', async () => {
  await pool.query(sql.type(noRows)`INSERT INTO checkpoints VALUES ('g', 't', 0, 5), ('g', 't', 1, 3), ('other', 't', 0, 99)`);
  assert.equal(await readCheckpoints(pool, 'g'), [
    { topic: 't', partition: 0, offset: 5 },
    { topic: 't', partition: 1, offset: 3 },
  ]);
  assert.equal(
    lagBehind(await readCheckpoints(pool, 'g'), [
      { topic: 't', partition: 0, offset: 5 },
      { topic: 't', partition: 1, offset: 4 },
      { topic: 't', partition: 2, offset: 2 },
    ]).map((p) => p.lag),
    [0, 1, 2],
  );
});

test('waiting ends when the checkpoints reach the targets, or says what lags at the timeout', async () => {
  const timedOut = await waitForCheckpoints(pool, 'g', [{ topic: 't', partition: 1, offset: 4 }], { timeoutMs: 150, pollMs: 20 });
  assert.is(timedOut.caughtUp, false);
  assert.equal(timedOut.lagging.map((p) => [p.partition, p.applied, p.lag]), [[1, 3, 1]]);

  setTimeout(() => {
    void pool.query(sql.type(noRows)`UPDATE checkpoints SET next_offset = 4 WHERE consumer_group = 'g' AND partition = 1`);
  }, 100);
  const reached = await waitForCheckpoints(pool, 'g', [{ topic: 't', partition: 1, offset: 4 }], { timeoutMs: 5_000, pollMs: 20 });
  assert.is(reached.caughtUp, true);
  assert.equal(reached.lagging, []);
});

test('table stats read back, and a run is the difference of two readings', async () => {
  await pool.query(sql.type(noRows)`INSERT INTO projection_stats VALUES ('lessons', 10, 2, 1, 0)`);
  const before = await readTableStats(pool);
  assert.equal(before, { lessons: { inserted: 10, updated: 2, unchanged: 1, deleted: 0 } });
  await pool.query(sql.type(noRows)`UPDATE projection_stats SET unchanged = unchanged + 279, deleted = deleted + 3`);
  await pool.query(sql.type(noRows)`INSERT INTO projection_stats VALUES ('units', 8, 0, 0, 0)`);
  assert.equal(diffTableStats(before, await readTableStats(pool)), {
    lessons: { inserted: 0, updated: 0, unchanged: 279, deleted: 3 },
    units: { inserted: 8, updated: 0, unchanged: 0, deleted: 0 },
  });
});

test('projection warnings are counted from the projected rows', async () => {
  await pool.query(sql.type(noRows)`INSERT INTO lessons VALUES ('l1')`);
  await pool.query(sql.type(noRows)`INSERT INTO items VALUES ('q1'), ('q2')`);
  await pool.query(sql.type(noRows)`INSERT INTO item_appearances VALUES ('q1', 'a'), ('q1', 'b'), ('q2', 'c'), ('q2', 'c')`);
  await pool.query(sql.type(noRows)`INSERT INTO item_lessons VALUES ('l1'), ('gone'), ('gone')`);
  await pool.query(sql.type(noRows)`INSERT INTO practice_banks VALUES ('gone'), ('also-gone')`);
  await pool.query(sql.type(noRows)`INSERT INTO attempts VALUES (NULL, 'q1'), ('l1', 'q9'), (NULL, 'q8')`);
  assert.equal(await readProjectionWarnings(pool), { conflicting_item_content: 1, unknown_lesson: 2, unresolved_question: 2 });
});

test.run();
