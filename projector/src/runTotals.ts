/**
 * What a projector run has applied so far, summed after every commit, and a
 * progress line in the log at most every ten seconds.
 */
import type { Logger } from '@medly/shared/logger';
import type { FlushResult } from './flusher.ts';
import { addCounts, type TableCounts } from './stats.ts';

const PROGRESS_LOG_MS = 10_000;

export interface RunSummary {
  tables: TableCounts;
  applied: number;
  skipped: number;
  elapsedMs: number;
}

export function createRunTotals(logger: Logger) {
  const totals: RunSummary = { tables: {}, applied: 0, skipped: 0, elapsedMs: 0 };
  let lastLogged = { at: Date.now(), applied: 0 };
  return {
    add(result: FlushResult): void {
      for (const [table, counts] of Object.entries(result.tables)) addCounts(totals.tables, table, counts);
      totals.applied += result.applied;
      totals.skipped += result.skipped;
      const now = Date.now();
      if (now - lastLogged.at < PROGRESS_LOG_MS) return;
      const perSecond = Math.round(((totals.applied - lastLogged.applied) * 1000) / (now - lastLogged.at));
      logger.info({ applied: totals.applied, skipped: totals.skipped, perSecond }, 'projecting');
      lastLogged = { at: now, applied: totals.applied };
    },
    summary(startedAt: number): RunSummary {
      return { ...totals, elapsedMs: Date.now() - startedAt };
    },
  };
}
