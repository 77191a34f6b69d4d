import { z } from 'zod';
import { sourceName } from '../reasons.ts';

/**
 * A source read completely: its files are the source's state as of `takenAt`
 * (the start of the import that read them), and every key of the source they
 * no longer hold has been tombstoned. Key: the source. A row of that source
 * was last seen in this snapshot (DESIGN §3: exports are snapshots).
 */
export const snapshotTaken = z.object({
  source: sourceName,
  /** The files read, relative to the data folder. */
  files: z.array(z.string().min(1)),
  takenAt: z.string().datetime({ offset: true }),
  /** The source's finest records read (as the report counts them). */
  read: z.number().int().nonnegative(),
  /** Keys tombstoned because the files no longer hold them. */
  removed: z.number().int().nonnegative(),
});
export type SnapshotTaken = z.infer<typeof snapshotTaken>;
