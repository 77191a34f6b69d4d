/**
 * A migrated database holding the API tests' small hand-made projection
 * (api/src/testing/seed.ts: known ids, edge cases), on whichever server the
 * caller names: the shared one for security tests, a private one for faults.
 */
import { createDatabasePool } from '@medly/shared/db';
import type { Logger } from '@medly/shared/logger';
import { seedProjection } from '@medly/api/testing/seed';
import { migrate } from '@medly/projector/migrate';

export async function migrateAndSeed(databaseUrl: string, logger: Logger): Promise<void> {
  await migrate(databaseUrl, logger);
  const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 1 });
  try {
    await seedProjection(pool);
  } finally {
    await pool.end();
  }
}
