import { sql } from 'slonik';
import type { DatabasePool } from '@medly/shared/db';
import { z } from 'zod';

export async function pingDatabase(pool: DatabasePool): Promise<void> {
  await pool.oneFirst(sql.type(z.object({ ok: z.number() }))`SELECT 1 AS ok`);
}

/** The next offset the projector will apply, per `topic/partition`. */
export async function checkpointOffsets(pool: DatabasePool): Promise<Map<string, bigint>> {
  const rows = await pool.any(
    sql.type(z.object({ topic: z.string(), partition: z.number(), next_offset: z.coerce.bigint() }))`
      SELECT topic, partition, next_offset FROM checkpoints
    `,
  );
  return new Map(rows.map((row) => [`${row.topic}/${row.partition}`, row.next_offset]));
}
