/** Rows in an imported database's final tables (every projection and the sources' snapshots): what the cost per row divides by. */
import pg from 'pg';
import { REPLAYED_TABLES } from '@medly/projector/checksums';
import { quoteIdentifier } from './strategies/benchSql.ts';

export async function finalRows(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let rows = 0;
    for (const table of REPLAYED_TABLES) {
      const { rows: counted } = await client.query<{ rows: number }>(`SELECT count(*)::float8 AS rows FROM ${quoteIdentifier(table)}`);
      rows += counted[0]?.rows ?? 0;
    }
    return rows;
  } finally {
    await client.end();
  }
}
