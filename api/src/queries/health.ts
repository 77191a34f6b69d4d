import { sql } from 'slonik';
import type { DatabasePool } from '@medly/shared/db';
import { z } from 'zod';

export async function pingDatabase(pool: DatabasePool): Promise<void> {
  await pool.oneFirst(sql.type(z.object({ ok: z.number() }))`SELECT 1 AS ok`);
}
