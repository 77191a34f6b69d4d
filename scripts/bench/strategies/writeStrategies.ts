/** The write strategies the projection bench compares, in the order the report lists them. */
import { copyMergeStrategy } from './copyMerge.ts';
import { indexedCopyStrategy } from './indexedCopy.ts';
import { jsonbRecordsetStrategy } from './jsonbRecordset.ts';
import { multiRowValuesStrategy } from './multiRowValues.ts';
import { naiveStrategy } from './naive.ts';
import { rawCopyStrategy } from './rawCopy.ts';
import type { WriteStrategy } from './strategy.ts';
import { unnestStrategy } from './unnest.ts';

export const writeStrategies: readonly WriteStrategy[] = [
  naiveStrategy,
  multiRowValuesStrategy,
  unnestStrategy,
  jsonbRecordsetStrategy,
  copyMergeStrategy,
  rawCopyStrategy,
  indexedCopyStrategy,
];
