import { randomBytes } from 'node:crypto';
import { createPool, sql } from 'slonik';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty throwaway database beside the one `adminUrl` names; `drop()` removes it. */
export async function createTestDatabase(adminUrl: string, label: string): Promise<TestDatabase> {
  const name = `test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = await createPool(adminUrl, { maximumPoolSize: 1 });
  try {
    await admin.query(sql.unsafe`CREATE DATABASE ${sql.identifier([name])}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const pool = await createPool(adminUrl, { maximumPoolSize: 1 });
      try {
        await pool.query(sql.unsafe`DROP DATABASE IF EXISTS ${sql.identifier([name])} WITH (FORCE)`);
      } finally {
        await pool.end();
      }
    },
  };
}
