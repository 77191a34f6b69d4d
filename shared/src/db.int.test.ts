import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
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

test.run();
