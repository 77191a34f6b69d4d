/** A throwaway database with every migration applied, and the projector's pool and batch writer on it. */
import { createDatabasePool, type DatabasePool } from '@medly/shared/db';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase } from '@medly/shared/testing/database';
import { testServices } from '@medly/shared/testing/services';
import { createBatchWriter, type BatchWriter } from '../batchWriter.ts';
import { migrate } from '../migrate.ts';

export interface MigratedDatabase {
  url: string;
  pool: DatabasePool;
  writer: BatchWriter;
  drop(): Promise<void>;
}

export async function migratedTestDatabase(label: string): Promise<MigratedDatabase> {
  const { adminDatabaseUrl } = await testServices();
  const database = await createTestDatabase(adminDatabaseUrl, label);
  await migrate(database.url, createLogger({ level: 'warn', name: 'test-migrate' }));
  const pool = await createDatabasePool(database.url);
  const writer = createBatchWriter(database.url);
  return {
    url: database.url,
    pool,
    writer,
    async drop() {
      await Promise.all([pool.end(), writer.end()]);
      await database.drop();
    },
  };
}
