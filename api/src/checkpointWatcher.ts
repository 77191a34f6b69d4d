/**
 * Whether the projector has applied given offsets, for PATCH: each change
 * asks twice (its uid's earlier changes, then its own event). The first look
 * is a read of its own; after that every waiting change shares one read of
 * the checkpoints per `pollMs`, however many wait, so concurrent changes do
 * not each poll the database 40 times a second. A failed read fails the
 * changes waiting on it (the database is away: 503).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabasePool } from '@medly/shared/db';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { lagBehind, readCheckpoints } from '@medly/shared/progress';

interface Waiter {
  targets: readonly PartitionOffset[];
  deadline: number;
  settle: (applied: boolean) => void;
  fail: (error: unknown) => void;
}

export interface CheckpointWatcherOptions {
  pool: DatabasePool;
  /** The projector's consumer group. */
  group: string;
  pollMs?: number;
}

export function createCheckpointWatcher({ pool, group, pollMs = 25 }: CheckpointWatcherOptions) {
  const waiting = new Set<Waiter>();
  let polling = false;
  const reached = async (targets: readonly PartitionOffset[]) => lagBehind(await readCheckpoints(pool, group), targets).every((target) => target.lag === 0);

  async function poll(): Promise<void> {
    polling = true;
    try {
      while (waiting.size > 0) {
        await sleep(pollMs);
        let checkpoints;
        try {
          checkpoints = await readCheckpoints(pool, group);
        } catch (error) {
          for (const waiter of waiting) waiter.fail(error);
          waiting.clear();
          return;
        }
        const now = Date.now();
        for (const waiter of waiting) {
          const applied = lagBehind(checkpoints, waiter.targets).every((target) => target.lag === 0);
          if (applied || now >= waiter.deadline) {
            waiting.delete(waiter);
            waiter.settle(applied);
          }
        }
      }
    } finally {
      polling = false;
    }
  }

  return {
    /** Resolves true once every target is applied, false if that has not happened within `timeoutMs`. */
    async applied(targets: readonly PartitionOffset[], timeoutMs: number): Promise<boolean> {
      if (await reached(targets)) return true;
      return new Promise<boolean>((settle, fail) => {
        waiting.add({ targets, deadline: Date.now() + timeoutMs, settle, fail });
        if (!polling) void poll();
      });
    },
  };
}

export type CheckpointWatcher = ReturnType<typeof createCheckpointWatcher>;
