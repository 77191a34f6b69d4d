/**
 * Reads a database the way a test checks it: plain SQL with bound values over
 * a small pg pool (it reconnects by itself, so it outlives a server restart).
 * For assertions only; application code reads through slonik.
 */
import pg from 'pg';

export interface SqlInspector {
  rows<Row extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** The first column of the only row (throws unless exactly one row). */
  value<Value = unknown>(text: string, values?: readonly unknown[]): Promise<Value>;
  close(): Promise<void>;
}

export function openSqlInspector(databaseUrl: string): SqlInspector {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 5_000 });
  // An idle client whose server went away must not crash the test process.
  pool.on('error', () => undefined);
  const rows = async <Row extends object>(text: string, values: readonly unknown[] = []): Promise<Row[]> =>
    (await pool.query<Row>(text, [...values])).rows;
  return {
    rows,
    async value<Value>(text: string, values: readonly unknown[] = []): Promise<Value> {
      const result = await pool.query({ text, values: [...values], rowMode: 'array' });
      if (result.rows.length !== 1) throw new Error(`expected one row, got ${result.rows.length}: ${text}`);
      return (result.rows[0] as unknown[])[0] as Value;
    },
    close: () => pool.end(),
  };
}
