/**
 * The projector's two ways into Postgres: the slonik pool it reads with, and
 * the batch writer its transactions run on (batchWriter.ts says why there are
 * two). Opening fails fast when the database is unreachable.
 */
import { createDatabasePool, type DatabasePool } from '@medly/shared/db';
import type { Logger } from '@medly/shared/logger';
import { createBatchWriter, type BatchWriter } from './batchWriter.ts';

export interface ProjectorDatabase {
  pool: DatabasePool;
  writer: BatchWriter;
  end(): Promise<void>;
}

export async function openProjectorDatabase(databaseUrl: string, logger: Logger): Promise<ProjectorDatabase> {
  const pool = await createDatabasePool(databaseUrl);
  const writer = createBatchWriter(databaseUrl, {
    onIdleError: (error) => {
      logger.warn({ err: error }, 'an idle batch connection was lost; the next batch opens another');
    },
  });
  return {
    pool,
    writer,
    async end() {
      await Promise.all([pool.end(), writer.end()]);
    },
  };
}
