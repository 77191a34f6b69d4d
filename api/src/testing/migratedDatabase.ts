/**
 * A throwaway database with the project's migrations applied. The migrations
 * are run by `pnpm migrate`'s entry point in a child process: the tables are
 * the contract between projector and api, and the api imports no projector code.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createDatabasePool, type DatabasePool } from '@medly/shared/db';
import { createTestDatabase } from '@medly/shared/testing/database';
import { testServices } from '@medly/shared/testing/services';

export const REPOSITORY_ROOT = resolve(import.meta.dirname, '../../..');

export interface MigratedDatabase {
  url: string;
  pool: DatabasePool;
  drop(): Promise<void>;
}

async function runMigrations(databaseUrl: string): Promise<void> {
  await promisify(execFile)(process.execPath, ['projector/src/migrate.ts'], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
  });
}

export async function createMigratedDatabase(label: string): Promise<MigratedDatabase> {
  const { adminDatabaseUrl } = await testServices();
  const database = await createTestDatabase(adminDatabaseUrl, label);
  try {
    await runMigrations(database.url);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const pool = await createDatabasePool(database.url);
  return {
    url: database.url,
    pool,
    async drop() {
      await pool.end();
      await database.drop();
    },
  };
}
