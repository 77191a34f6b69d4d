/**
 * The figures of the projection part, from its raw timings: each strategy's
 * rows/s per pass (rows ÷ the median elapsed time over the rounds), and its
 * ratios to naive and to raw COPY on the same pass.
 */
import type { ProjectionTableResult, StrategyResult } from './projectionBench.ts';
import { median, ratePerSecond } from './stats.ts';
import type { StrategyId } from './strategies/strategy.ts';

/** The projector's write path today: projector/src/tableWriter.ts. */
export const DEFAULT_STRATEGY: StrategyId = 'copyMerge';
/** Issue 7: the default path ≥ 30× naive and ≥ 40 % of raw COPY. */
export const TARGET_TIMES_NAIVE = 30;
export const TARGET_SHARE_OF_RAW_COPY = 0.4;

export interface PassFigures {
  rowsPerSecond: number;
  /** Slowest and fastest round, rows/s. */
  minRowsPerSecond: number;
  maxRowsPerSecond: number;
  timesNaive: number;
  shareOfRawCopy: number;
}

export interface StrategyFigures {
  strategy: StrategyId;
  description: string;
  rows: number;
  sampled: boolean;
  passes: [PassFigures, PassFigures];
}

export function strategyFigures(table: ProjectionTableResult): StrategyFigures[] {
  const rate = (result: StrategyResult | undefined, pass: 0 | 1) =>
    result ? ratePerSecond(result.rows, median(result.passes[pass].elapsedMs)) : Number.NaN;
  const naive = table.strategies.find((result) => result.strategy === 'naive');
  const raw = table.strategies.find((result) => result.strategy === 'rawCopy');
  return table.strategies.map((result) => {
    const pass = (index: 0 | 1): PassFigures => {
      const rowsPerSecond = rate(result, index);
      const rates = result.passes[index].elapsedMs.map((ms) => ratePerSecond(result.rows, ms));
      return {
        rowsPerSecond,
        minRowsPerSecond: Math.min(...rates),
        maxRowsPerSecond: Math.max(...rates),
        timesNaive: rowsPerSecond / rate(naive, index),
        shareOfRawCopy: rowsPerSecond / rate(raw, index),
      };
    };
    return { strategy: result.strategy, description: result.description, rows: result.rows, sampled: result.sampled, passes: [pass(0), pass(1)] };
  });
}

/** The fastest upsert (raw COPY is a reference, not an upsert) on the first pass. */
export function fastestUpsert(figures: readonly StrategyFigures[]): StrategyFigures | undefined {
  const upserts = figures.filter((figure) => !['rawCopy', 'naive'].includes(figure.strategy));
  return upserts.reduce<StrategyFigures | undefined>(
    (best, figure) => (best === undefined || figure.passes[0].rowsPerSecond > best.passes[0].rowsPerSecond ? figure : best),
    undefined,
  );
}

/** Whether every strategy that wrote all rows left the same table content (checksums agree). */
export function checksumsAgree(table: ProjectionTableResult): { agree: boolean; checked: number } {
  const checksums = table.strategies.flatMap((result) => (result.checksum === null ? [] : [result.checksum]));
  return { agree: new Set(checksums).size <= 1, checked: checksums.length };
}
