import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaValidationError, sql } from 'slonik';
import { z } from 'zod';
import { createDatabasePool } from './db.ts';
import { createTestDatabase } from './testing/database.ts';
import { testServices } from './testing/services.ts';

test('a typed query runs against a real throwaway database', async () => {
  const { adminDatabaseUrl } = await testServices();
  const database = await createTestDatabase(adminDatabaseUrl, 'db');
  const pool = await createDatabasePool(database.url);
  try {
    const row = await pool.one(
      sql.type(z.object({ name: z.string(), answer: z.number() }))`SELECT current_database() AS name, 6 * 7 AS answer`,
    );
    assert.equal(row, { name: database.name, answer: 42 });
  } finally {
    await pool.end();
    await database.drop();
  }
  const check = await createDatabasePool(adminDatabaseUrl);
  try {
    const exists = await check.exists(sql.unsafe`SELECT 1 FROM pg_database WHERE datname = ${database.name}`);
    assert.is(exists, false, 'the throwaway database is dropped');
  } finally {
    await check.end();
  }
});

test('sql.type checks rows: a row its schema refuses is a SchemaValidationError; the parsed row is what comes back', async () => {
  const { adminDatabaseUrl } = await testServices();
  const pool = await createDatabasePool(adminDatabaseUrl, { maximumPoolSize: 1 });
  try {
    try {
      await pool.one(sql.type(z.object({ answer: z.string() }))`SELECT 42 AS answer`);
      assert.unreachable('a number passed as a string');
    } catch (error) {
      assert.instance(error, SchemaValidationError);
    }
    assert.equal(await pool.one(sql.type(z.object({ kept: z.number() }))`SELECT 1 AS kept, 2 AS unnamed`), { kept: 1 });
  } finally {
    await pool.end();
  }
});

test('with prepareStatements, a statement is prepared once per connection and survives the connection going back to the pool', async () => {
  const { adminDatabaseUrl } = await testServices();
  const database = await createTestDatabase(adminDatabaseUrl, 'db_prepared');
  const pool = await createDatabasePool(database.url, { maximumPoolSize: 1, prepareStatements: true });
  try {
    // Each call takes the one connection and gives it back: a reset on release would
    // deallocate the statement pg believes prepared, and the second call would fail.
    for (const n of [1, 2, 3]) {
      assert.is(await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT ${n}::int AS n`), n);
    }
    const prepared = await pool.anyFirst(
      sql.type(z.object({ statement: z.string() }))`SELECT statement FROM pg_prepared_statements ORDER BY prepare_time`,
    );
    assert.equal(
      prepared.map((statement) => statement.replace(/\s+/g, ' ')),
      ['SELECT $1::int AS n', 'SELECT statement FROM pg_prepared_statements ORDER BY prepare_time'],
    );
  } finally {
    await pool.end();
    await database.drop();
  }
});

test.run();
