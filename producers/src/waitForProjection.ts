/**
 * `produce --wait`: after producing, wait until the projector's checkpoints
 * reach every end offset this run produced, then read what the projection
 * applied (per-table counters: after minus before) and the warnings only the
 * projected state can tell. The projector writes all of it in its own tables;
 * this only reads them (shared/src/progress.ts).
 */
import type { DatabasePool } from '@medly/shared/db';
import type { Logger } from '@medly/shared/logger';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import {
  diffTableStats,
  projectorGroupId,
  readProjectionWarnings,
  readTableStats,
  waitForCheckpoints,
  type PartitionLag,
  type ProjectionWarnings,
  type TableCounts,
} from '@medly/shared/progress';

export interface ProjectionOutcome {
  caughtUp: boolean;
  /** Partitions the projector had not reached when the wait gave up. */
  lagging: PartitionLag[];
  /** Rows applied during the wait window, per table. */
  tables: Record<string, TableCounts>;
  warnings: ProjectionWarnings;
}

export interface ProjectionWatch {
  /** Waits for the targets (or the timeout) and reads the outcome. */
  complete(targets: readonly PartitionOffset[]): Promise<ProjectionOutcome>;
}

/** Takes the "before" reading of the table counters; call it before producing. */
export async function watchProjection(
  pool: DatabasePool,
  options: { topicPrefix: string; logger: Logger; timeoutMs: number; logEveryMs?: number },
): Promise<ProjectionWatch> {
  const { topicPrefix, logger, timeoutMs, logEveryMs = 5_000 } = options;
  const before = await readTableStats(pool);
  return {
    async complete(targets) {
      const group = projectorGroupId(topicPrefix);
      const started = Date.now();
      let result = await waitForCheckpoints(pool, group, targets, { timeoutMs: Math.min(logEveryMs, timeoutMs) });
      while (!result.caughtUp && Date.now() - started < timeoutMs) {
        const lag = result.lagging.reduce((sum, partition) => sum + partition.lag, 0);
        logger.info({ group, lag, partitions: result.lagging.length }, 'waiting for the projector');
        result = await waitForCheckpoints(pool, group, targets, { timeoutMs: Math.min(logEveryMs, timeoutMs - (Date.now() - started)) });
      }
      const [after, warnings] = await Promise.all([readTableStats(pool), readProjectionWarnings(pool)]);
      return { caughtUp: result.caughtUp, lagging: result.lagging, tables: diffTableStats(before, after), warnings };
    },
  };
}
