/**
 * The write strategies the projection bench compares (DESIGN §8), in the
 * order the report lists them: naive row by row, multi-row batches, unnest,
 * the projector's COPY + merge, and raw COPY into an unindexed table (the
 * physical limit). Earlier candidates (one jsonb_to_recordset document, the
 * projector's default until commit 69037dd; COPY into the indexed table) are
 * in git history and in the figures of docs/BENCHMARKS.md.
 */
import { copyMergeStrategy } from './copyMerge.ts';
import { multiRowValuesStrategy } from './multiRowValues.ts';
import { naiveStrategy } from './naive.ts';
import { rawCopyStrategy } from './rawCopy.ts';
import type { WriteStrategy } from './strategy.ts';
import { unnestStrategy } from './unnest.ts';

export const writeStrategies: readonly WriteStrategy[] = [naiveStrategy, multiRowValuesStrategy, unnestStrategy, copyMergeStrategy, rawCopyStrategy];
