/**
 * What an upsert, a recompute or a removal did to a table's rows: the counts
 * every table reports. Counts describe an import run as a whole: a row the run
 * inserted and then rewrote (an item whose second appearance came in a later
 * batch, a user with attempts in several batches) counts once, as inserted.
 * A row is new in a run when its first_seen_at is that run's time (the
 * producers stamp a key first seen in a run with the run's time), so writes
 * of such rows are never counted as updates.
 */
import { z } from 'zod';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export function emptyCounts(): UpsertCounts {
  return { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
}

/** What a write's `RETURNING (xmax = 0) AS inserted, (first_seen_at = ANY (<run times>)) AS new_in_run` gives back per row. */
export const writtenFlags = z.object({ inserted: z.boolean(), new_in_run: z.boolean() });
export type WrittenFlags = z.infer<typeof writtenFlags>;

/** Counts from the rows a write returned (inserted or changed) out of the rows it considered. */
export function countsOf(returned: readonly WrittenFlags[], considered: number, deleted = 0): UpsertCounts {
  const inserted = returned.filter((row) => row.inserted).length;
  const updated = returned.filter((row) => !row.inserted && !row.new_in_run).length;
  return { inserted, updated, unchanged: considered - returned.length, deleted };
}

export function addTo(into: UpsertCounts, counts: UpsertCounts): UpsertCounts {
  into.inserted += counts.inserted;
  into.updated += counts.updated;
  into.unchanged += counts.unchanged;
  into.deleted += counts.deleted;
  return into;
}
