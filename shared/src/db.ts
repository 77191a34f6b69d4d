import { createPool, type DatabasePool } from 'slonik';

export type { DatabasePool };

/** A slonik pool. slonik opens a first connection while creating it, so this rejects when the database is unreachable. */
export function createDatabasePool(
  databaseUrl: string,
  options: { maximumPoolSize?: number; statementTimeoutMs?: number } = {},
): Promise<DatabasePool> {
  return createPool(databaseUrl, {
    maximumPoolSize: options.maximumPoolSize ?? 10,
    statementTimeout: options.statementTimeoutMs ?? 60_000,
    connectionTimeout: 5_000,
    idleTimeout: 10_000,
  });
}
