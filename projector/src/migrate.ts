/**
 * Applies the numbered, forward-only SQL files in `migrations/` with
 * node-pg-migrate (its own `pgmigrations` table remembers what ran; an
 * advisory lock keeps two starters from racing). `pnpm migrate` runs it.
 */
import { resolve } from 'node:path';
import { runner } from 'node-pg-migrate';
import { configOf, loadConfig } from '@medly/shared/config';
import { createLogger, type Logger } from '@medly/shared/logger';

const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../migrations');

/** Runs every pending migration in one transaction; returns the names applied. */
export async function migrate(databaseUrl: string, logger: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    logger: {
      debug: (message: string) => {
        logger.debug(message);
      },
      info: (message: string) => {
        logger.debug(message);
      },
      warn: (message: string) => {
        logger.warn(message);
      },
      error: (message: string) => {
        logger.error(message);
      },
    },
  });
  return applied.map((migration) => migration.name);
}

if (import.meta.main) {
  const config = loadConfig(configOf('DATABASE_URL', 'LOG_LEVEL'));
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'migrate' });
  try {
    const applied = await migrate(config.DATABASE_URL, logger);
    logger.info({ applied }, applied.length > 0 ? `applied ${String(applied.length)} migration(s)` : 'database is up to date');
  } catch (error) {
    logger.fatal({ err: error }, 'migration failed');
    process.exitCode = 1;
  }
}
