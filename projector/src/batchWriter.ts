/**
 * The connections the projector writes its batches on.
 *
 * A batch sends its rows to Postgres with COPY (tableWriter.ts), and COPY needs
 * the driver's client itself, which slonik keeps private. So batch
 * transactions run on a small pg pool of their own, beside the slonik pool
 * everything else reads with. A BatchConnection is that transaction's client
 * seen two ways: slonik's query methods (the projections are written with
 * slonik's `sql` tag and zod row types, and run unchanged on either kind of
 * connection) and the pg client itself, for COPY and SQL built as text.
 *
 * As on the slonik pools, every row is checked against the token's schema
 * (checkRow, shared/src/rowSchemas.ts). pg parses int8 as a string; it is
 * parsed as a number here, as slonik does.
 */
import pg from 'pg';
import type { CommonQueryMethods, QueryResult, QueryResultRow, QuerySqlToken } from 'slonik';
import { toDatabaseError } from '@medly/shared/dbErrors';
import { checkRow } from '@medly/shared/rowSchemas';

/** The slonik query methods the projector uses: a slonik connection has them, and so does a BatchConnection. */
export type Queryable = Pick<CommonQueryMethods, 'any' | 'anyFirst' | 'one' | 'oneFirst' | 'query'>;

export interface BatchConnection extends Queryable {
  /** The transaction's pg client: for COPY (pg-copy-streams) and statements built as text. */
  client: pg.ClientBase;
}

export interface BatchWriter {
  /** Runs `work` between BEGIN and COMMIT on one pooled connection (ROLLBACK on an error, which is rethrown, a database error as a DatabaseError). */
  transaction<T>(work: (connection: BatchConnection) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

export interface BatchWriterOptions {
  /** One batch is written at a time; a second connection serves a message-by-message retry. */
  maxConnections?: number;
  statementTimeoutMs?: number;
  /** An idle connection lost (the server restarted): the next transaction opens another. */
  onIdleError?: (error: Error) => void;
}

const INT8_OID = 20;

/** pg's parsers, but int8 as a number (as slonik parses it). */
const types = new pg.TypeOverrides();
types.setTypeParser(INT8_OID, 'text', (value) => Number.parseInt(value, 10));

export function createBatchWriter(databaseUrl: string, options: BatchWriterOptions = {}): BatchWriter {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 2,
    statement_timeout: options.statementTimeoutMs ?? 60_000,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 10_000,
    types,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  return {
    async transaction(work) {
      // Database errors leave here classified (retryable, refused data, or neither): the flusher asks nothing else.
      const client = await pool.connect().catch((error: unknown) => {
        throw toDatabaseError(error);
      });
      let broken: Error | undefined;
      // A checked-out client has no listener of its own: losing the server between two
      // statements would be an unhandled 'error' event. Noted here, the next statement
      // fails (a retryable error) and the client is destroyed on release.
      const onLost = (error: Error) => {
        broken = error;
      };
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const result = await work(batchConnectionOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is gone: it is destroyed, not returned to the pool.
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw toDatabaseError(error);
      } finally {
        client.removeListener('error', onLost);
        client.release(broken);
      }
    },
    end: () => pool.end(),
  };
}

/** A pg client (in a transaction the caller manages) as a BatchConnection. */
export function batchConnectionOf(client: pg.ClientBase): BatchConnection {
  // A token's text numbers its bindings `$slonik_1`, …; slonik turns them into `$1`, … when it runs one.
  const run = async (query: QuerySqlToken) => {
    const text = query.sql.replaceAll('$slonik_', '$');
    const result = await client.query<QueryResultRow>(text, [...query.values]);
    result.rows = result.rows.map((row) => checkRow(query.parser, { sql: text, values: query.values }, row));
    return result;
  };
  const onlyRow = async (query: QuerySqlToken) => {
    const { rows } = await run(query);
    const [row] = rows;
    if (rows.length !== 1 || row === undefined) throw new Error(`expected exactly one row, got ${String(rows.length)}`);
    return row;
  };
  const firstColumn = (row: Record<string, unknown>) => Object.values(row)[0];
  const methods = {
    any: async (query: QuerySqlToken) => (await run(query)).rows,
    anyFirst: async (query: QuerySqlToken) => (await run(query)).rows.map(firstColumn),
    one: onlyRow,
    oneFirst: async (query: QuerySqlToken) => firstColumn(await onlyRow(query)),
    query: async (query: QuerySqlToken): Promise<QueryResult<Record<string, unknown>>> => {
      const result = await run(query);
      return {
        command: result.command as QueryResult<unknown>['command'],
        fields: result.fields.map((field) => ({ dataTypeId: field.dataTypeID, name: field.name })),
        notices: [],
        rowCount: result.rowCount ?? 0,
        rows: result.rows,
        type: 'QueryResult',
      };
    },
  };
  return {
    // The methods above are slonik's, less its generic row typing, which the caller's token carries.
    ...(methods as unknown as Queryable),
    client,
  };
}
