import { createHash } from 'node:crypto';
import { createPool, type DatabasePool, type Interceptor } from 'slonik';
import { rowSchemaInterceptor } from './rowSchemas.ts';

export type { DatabasePool };

export interface PoolOptions {
  maximumPoolSize?: number;
  statementTimeoutMs?: number;
  /**
   * Run every statement as a named prepared statement (named by a hash of its
   * text), so each connection parses and plans a statement once and reuses it.
   * For a server of a few fixed queries (the API): planning its heaviest one
   * took longer than running it (6.6 of 18 ms for /users/:id/progress).
   */
  prepareStatements?: boolean;
}

/** Statement texts are few (values are always bound); the cap only guards against a leak. */
const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 1_000;

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    if (statementNames.size >= MAX_STATEMENT_NAMES) statementNames.clear();
    name = `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Names each statement after its text: the same text is the same prepared statement on a connection. */
const preparedStatements: Interceptor = {
  name: 'prepared-statements',
  transformQuery: (_context, query) => ({ ...query, name: query.name ?? statementName(query.sql) }),
};

/**
 * A slonik pool. slonik opens a first connection while creating it, so this rejects when the database is unreachable.
 * Every row is checked against its statement's `sql.type` schema (rowSchemas.ts).
 *
 * A released connection is not reset. slonik's default runs DISCARD ALL on every release: one
 * more round trip per query, and it deallocates the prepared statements that pg still believes
 * exist ("prepared statement … does not exist" on their next use). Nothing here leaves session
 * state behind: settings are SET LOCAL, advisory locks transaction-scoped, and the projector's
 * temporary staging tables live on its own pg pool (projector/src/batchWriter.ts).
 */
export function createDatabasePool(databaseUrl: string, options: PoolOptions = {}): Promise<DatabasePool> {
  return createPool(databaseUrl, {
    maximumPoolSize: options.maximumPoolSize ?? 10,
    statementTimeout: options.statementTimeoutMs ?? 60_000,
    connectionTimeout: 5_000,
    idleTimeout: 10_000,
    resetConnection: () => Promise.resolve(),
    interceptors: options.prepareStatements ? [preparedStatements, rowSchemaInterceptor] : [rowSchemaInterceptor],
  });
}
