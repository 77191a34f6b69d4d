import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { costSpread, floorFigures, microsPerRow, ratioOf, spreadOf } from './floorFigures.ts';

const close = (actual: number, expected: number) => {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${String(actual)} ≠ ${String(expected)}`);
};

test('ratios are NaN when a side is missing or zero', () => {
  assert.is(ratioOf(3, 2), 1.5);
  assert.ok(Number.isNaN(ratioOf(undefined, 2)));
  assert.ok(Number.isNaN(ratioOf(3, undefined)));
  assert.ok(Number.isNaN(ratioOf(3, 0)));
});

test('cost per row in microseconds', () => {
  assert.is(microsPerRow(2, 1_000_000), 2);
  assert.ok(Number.isNaN(microsPerRow(2, 0)));
});

test('spread is max ÷ min − 1 over the finite values', () => {
  close(spreadOf([10, 11.5, 10.5]), 0.15);
  assert.is(spreadOf([7, 7]), 0);
  assert.ok(Number.isNaN(spreadOf([7])));
  close(spreadOf([10, Number.NaN, 12]), 0.2);
});

test('import and replay against the floor of one result', () => {
  const figures = floorFigures({
    scale: 100,
    rows: 2_000_000,
    run: { wallMs: 30_000 },
    floor: { seconds: 20, rows: 2_000_000, bytes: 1 },
    replay: { seconds: 24 },
  });
  assert.is(figures.importSeconds, 30);
  assert.is(figures.importOverFloor, 1.5);
  assert.is(figures.replayOverFloor, 1.2);
  assert.is(figures.importMicrosPerRow, 15);
  assert.is(figures.floorMicrosPerRow, 10);
  assert.ok(Number.isNaN(floorFigures({ scale: 1, rows: 5, run: { wallMs: 1 } }).importOverFloor));
  const rebuilt = floorFigures({ scale: 100, rows: 1, run: { wallMs: 1 }, floor: { seconds: 20, rows: 1, bytes: 1 }, replay: { seconds: 60, rebuildSeconds: 30 } });
  assert.is(rebuilt.replayOverFloor, 1.5, 'the rebuild, not the checksum passes around it, is compared with the floor');
});

test('the cost spread leaves out scales below 10× and above 300×', () => {
  const at = (scale: number, micros: number) => ({ scale, rows: 1_000_000, run: { wallMs: micros * 1000 }, floor: { seconds: 1, rows: 1_000_000, bytes: 1 } });
  const spread = costSpread([at(1, 100), at(10, 20), at(100, 22), at(300, 21), at(400, 90)]);
  assert.equal(spread.scales, [10, 100, 300]);
  close(spread.import, 0.1);
  assert.is(spread.floor, 0);
});

test.run();
