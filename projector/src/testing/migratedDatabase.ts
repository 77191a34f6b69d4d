/** A throwaway database with every migration applied, and a pool on it. */
import { createDatabasePool, type DatabasePool } from '@medly/shared/db';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase } from '@medly/shared/testing/database';
import { testServices } from '@medly/shared/testing/services';
import { migrate } from '../migrate.ts';

export interface MigratedDatabase {
  url: string;
  pool: DatabasePool;
  drop(): Promise<void>;
}

export async function migratedTestDatabase(label: string): Promise<MigratedDatabase> {
  const { adminDatabaseUrl } = await testServices();
  const database = await createTestDatabase(adminDatabaseUrl, label);
  await migrate(database.url, createLogger({ level: 'warn', name: 'test-migrate' }));
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
