/** What an upsert or a recompute did to the rows it considered: the counts every table reports. */
import { z } from 'zod';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export function emptyCounts(): UpsertCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

/** The row a recompute's `RETURNING (xmax = 0) AS inserted` gives back. */
export const insertedFlag = z.object({ inserted: z.boolean() });

/** Counts from the rows an upsert returned (inserted or changed) out of the rows it considered. */
export function countsOf(returned: readonly { inserted: boolean }[], considered: number): UpsertCounts {
  const inserted = returned.filter((row) => row.inserted).length;
  return { inserted, updated: returned.length - inserted, unchanged: considered - returned.length };
}
