import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProjectionTableResult, StrategyResult } from './projectionBench.ts';
import { checksumsAgree, fastestUpsert, strategyFigures } from './projectionFigures.ts';
import type { StrategyId } from './strategies/strategy.ts';

function result(strategy: StrategyId, rows: number, pass1Ms: number[], pass2Ms: number[], checksum: string | null = 'same'): StrategyResult {
  const counts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  return {
    strategy,
    description: strategy,
    rows,
    sampled: false,
    passes: [
      { elapsedMs: pass1Ms, counts },
      { elapsedMs: pass2Ms, counts },
    ],
    checksum,
  };
}

const table: ProjectionTableResult = {
  table: 't',
  rowsMapped: 1000,
  rowsUnique: 1000,
  strategies: [
    result('naive', 100, [1000, 1000], [500, 500], null),
    result('unnest', 1000, [400, 600], [200, 200]),
    result('copyMerge', 1000, [250, 250], [100, 100]),
    result('rawCopy', 1000, [100, 100], [100, 100]),
  ],
};

test('rates use the median time; ratios compare rates on the same pass', () => {
  const figures = strategyFigures(table);
  const unnest = figures.find((figure) => figure.strategy === 'unnest');
  assert.ok(unnest);
  assert.is(unnest.passes[0].rowsPerSecond, 2000);
  assert.is(unnest.passes[0].minRowsPerSecond, 1000 / 0.6);
  assert.is(unnest.passes[0].maxRowsPerSecond, 2500);
  assert.is(unnest.passes[0].timesNaive, 20);
  assert.is(unnest.passes[0].shareOfRawCopy, 0.2);
  assert.is(unnest.passes[1].timesNaive, 25);
});

test('the fastest upsert leaves out naive and raw COPY', () => {
  assert.is(fastestUpsert(strategyFigures(table))?.strategy, 'copyMerge');
});

test('checksums agree when every non-sampled strategy reports the same one', () => {
  assert.equal(checksumsAgree(table), { agree: true, checked: 3 });
  const differing = { ...table, strategies: [...table.strategies, result('values', 1000, [1], [1], 'other')] };
  assert.equal(checksumsAgree(differing), { agree: false, checked: 4 });
});

test.run();
