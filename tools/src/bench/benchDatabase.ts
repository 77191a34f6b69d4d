/** A freshly created and migrated throwaway database for one measurement; `drop()` removes it. */
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase, type TestDatabase } from '@medly/shared/testing/database';
import { migrate } from '@medly/projector/migrate';
import pg from 'pg';

export async function createBenchDatabase(adminUrl: string, label: string): Promise<TestDatabase> {
  const database = await createTestDatabase(adminUrl, `bench_${label}`);
  try {
    await migrate(database.url, createLogger({ level: 'warn', name: 'bench' }));
  } catch (error) {
    await database.drop();
    throw error;
  }
  return database;
}

/** Flushes dirty buffers now, so one measurement does not pay for the previous one's writes. */
export async function checkpoint(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}
