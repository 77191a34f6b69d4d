import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chunks, formatBytes, formatDuration, formatPercent, formatRatio, median, percentile, ratePerSecond } from './stats.ts';

test('percentile uses the nearest rank', () => {
  const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.is(percentile(values, 50), 5);
  assert.is(percentile(values, 99), 10);
  assert.is(percentile(values, 90), 9);
  assert.is(percentile(values, 0), 1);
  assert.is(percentile([42], 99), 42);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile(values, 101));
});

test('median of odd and even lists', () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('rates guard against zero durations', () => {
  assert.is(ratePerSecond(500, 250), 2000);
  assert.ok(Number.isNaN(ratePerSecond(1, 0)));
});

test('ratios and percentages read naturally', () => {
  assert.is(formatRatio(31.44), '31.4×');
  assert.is(formatRatio(123.6), '124×');
  assert.is(formatRatio(0.523), '0.52×');
  assert.is(formatRatio(Number.NaN), 'n/a');
  assert.is(formatPercent(0.456), '46%');
  assert.is(formatPercent(0.0456), '4.6%');
});

test('durations and sizes', () => {
  assert.is(formatDuration(850.4), '850 ms');
  assert.is(formatDuration(1250), '1.25 s');
  assert.is(formatDuration(185_000), '3 min 05 s');
  assert.is(formatBytes(512), '512 B');
  assert.is(formatBytes(3.5 * 1024 * 1024), '3.50 MiB');
  assert.is(formatBytes(1.2 * 1024 ** 3), '1.20 GiB');
});

test('chunks keeps order and the remainder', () => {
  assert.equal(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.equal(chunks([], 3), []);
  assert.throws(() => chunks([1], 0));
});

test.run();
