/**
 * Waits until the group's checkpoints reach the targets (the end offsets a
 * run began with), or the run stops. A database that is restarting is waited
 * for, as the flusher keeps retrying its batch meanwhile.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabasePool } from '@medly/shared/db';
import { toDatabaseError } from '@medly/shared/dbErrors';
import { isRetryable } from '@medly/shared/errors';
import type { Logger } from '@medly/shared/logger';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { lagBehind, readCheckpoints } from '@medly/shared/progress';

export async function waitUntilCaughtUp(
  deps: { pool: DatabasePool; group: string; logger: Logger; stopping: () => boolean },
  targets: readonly PartitionOffset[],
): Promise<void> {
  while (!deps.stopping()) {
    let checkpoints: PartitionOffset[];
    try {
      checkpoints = await readCheckpoints(deps.pool, deps.group);
    } catch (error) {
      const failure = toDatabaseError(error);
      if (!isRetryable(failure)) throw failure;
      deps.logger.warn({ err: failure }, 'could not read the checkpoints; retrying');
      await sleep(1_000);
      continue;
    }
    if (lagBehind(checkpoints, targets).every((partition) => partition.lag <= 0)) return;
    await sleep(200);
  }
}
