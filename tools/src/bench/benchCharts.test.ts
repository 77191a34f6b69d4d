import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { benchCharts, shortRoute } from './benchCharts.ts';
import type { BenchResults } from './results.ts';

const importAt = (scale: number, rowsWritten: number, wallMs: number, extra: object = {}) => ({
  scale,
  inputBytes: 0,
  run: { exitCode: 0, wallMs, peakRssBytes: 0, userSeconds: 0, systemSeconds: 0, logFile: '' },
  report: { events: 0, read: 0, rejected: 0, rowsWritten, elapsedMs: wallMs },
  ...extra,
});

const resultsWith = (parts: Record<string, unknown>) => ({ imports: [], ...parts }) as unknown as BenchResults;

test('route names shorten to their words', () => {
  assert.is(shortRoute('/users/:id/activity'), 'users activity');
  assert.is(shortRoute('/items/:questionID'), 'items');
  assert.is(shortRoute('/health'), 'health');
});

test('no measurements, no charts', () => {
  assert.equal(benchCharts(resultsWith({})), []);
});

test('the scale line draws the write floor only when the run measured it', () => {
  const without = benchCharts(resultsWith({ imports: [importAt(1, 1_000, 2_000), importAt(10, 10_000, 9_000)] }));
  assert.equal(
    without.map((chart) => chart.file),
    ['bench-scale.svg'],
  );
  assert.not.ok(without[0]?.svg.includes('write floor'));
  assert.is(without[0]?.svg.match(/<circle /g)?.length, 2);
  const withFloor = benchCharts(
    resultsWith({ imports: [importAt(1, 1_000, 2_000, { rows: 1_200, floor: { seconds: 0.5, rows: 1_200, bytes: 1 } }), importAt(10, 10_000, 9_000)] }),
  );
  assert.ok(withFloor[0]?.svg.includes('write floor (COPY)'));
  assert.is(withFloor[0]?.svg.match(/<circle /g)?.length, 3);
});

test('the latency chart puts the floor beside ours; the open-loop chart shows its target', () => {
  const route = { route: '/users/:id', ids: 1, requests: 1, requestsPerSecond: 1, p50Ms: 2, p99Ms: 9, maxMs: 9, non2xx: 0, errors: 0, alone: { requestsPerSecond: 1, p50Ms: 1, p99Ms: 1 } };
  const openLoop = { targetRate: 1000, achievedRate: 998, p50Ms: 1, p90Ms: 2, p99Ms: 4, p999Ms: 8, maxMs: 20 };
  const charts = benchCharts(
    resultsWith({
      api: {
        scale: 10,
        result: {
          connections: 32,
          durationSeconds: 3,
          logLevel: 'warn',
          apiPeakRssBytes: 0,
          routes: [{ ...route, floor: { requests: 1, requestsPerSecond: 2, p50Ms: 1, p99Ms: 3, maxMs: 3, non2xx: 0, errors: 0 } }, { ...route, route: '/health' }],
          openLoop: openLoop as never,
        },
      },
    }),
  );
  assert.equal(
    charts.map((chart) => chart.file),
    ['bench-latency.svg', 'bench-openloop.svg'],
  );
  assert.is(charts[0]?.svg.match(/<rect x=/g)?.length, 4 + 2 + 4, 'four bars for users, two for health, four legend boxes');
  assert.ok(charts[1]?.svg.includes('target: p99 ≤ 10 ms'));
});

test.run();
