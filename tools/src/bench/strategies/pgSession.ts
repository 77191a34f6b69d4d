/** A pg client for the strategies that drive the bare driver, with a transaction helper. */
import pg from 'pg';

export interface PgSession {
  client: pg.Client;
  /** Runs `work` between BEGIN and COMMIT (ROLLBACK on an error). */
  transaction<T>(work: (client: pg.Client) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPgSession(databaseUrl: string): Promise<PgSession> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    client,
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    close: () => client.end(),
  };
}
