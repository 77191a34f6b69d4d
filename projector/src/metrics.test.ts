import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BatchWriter } from './batchWriter.ts';
import { createProjectorMetrics } from './metrics.ts';
import { emptyCounts } from './upsertCounts.ts';

const line = (text: string, series: string) => text.split('\n').find((candidate) => candidate.startsWith(`${series} `));

test('committed: rows per table and outcome, messages, batches, the last commit', async () => {
  const metrics = createProjectorMetrics({ sampleLag: () => Promise.resolve([]) });
  const result = {
    tables: { users: { ...emptyCounts(), inserted: 2, updated: 1 }, attempts: { ...emptyCounts(), unchanged: 5 } },
    applied: 8,
    skipped: 1,
    checkpoints: [],
    diverged: [],
  };
  metrics.committed(result);
  metrics.committed(result);
  const text = await metrics.registry.metrics();
  assert.is(line(text, 'medly_projector_rows_total{table="users",outcome="inserted"}'), 'medly_projector_rows_total{table="users",outcome="inserted"} 4');
  assert.is(line(text, 'medly_projector_rows_total{table="attempts",outcome="unchanged"}'), 'medly_projector_rows_total{table="attempts",outcome="unchanged"} 10');
  assert.not.ok(line(text, 'medly_projector_rows_total{table="users",outcome="deleted"}'), 'no series for what never happened');
  assert.is(line(text, 'medly_projector_messages_total{outcome="applied"}'), 'medly_projector_messages_total{outcome="applied"} 16');
  assert.is(line(text, 'medly_projector_batches_committed_total'), 'medly_projector_batches_committed_total 2');
  const last = Number(line(text, 'medly_projector_last_commit_timestamp_seconds')?.split(' ')[1]);
  assert.ok(Math.abs(last - Date.now() / 1000) < 60);
});

test('timed: each transaction\'s duration, committed or rolled back; results and errors pass through', async () => {
  const metrics = createProjectorMetrics({ sampleLag: () => Promise.resolve([]) });
  const writer: BatchWriter = {
    transaction: async (work) => work({} as never),
    end: () => Promise.resolve(),
  };
  const timed = metrics.timed(writer);
  assert.is(await timed.transaction(() => Promise.resolve(42)), 42);
  const failure = new Error('refused');
  assert.is(await timed.transaction(() => Promise.reject(failure)).catch((error: unknown) => error), failure);
  const text = await metrics.registry.metrics();
  assert.is(line(text, 'medly_projector_batch_duration_seconds_count{outcome="committed"}'), 'medly_projector_batch_duration_seconds_count{outcome="committed"} 1');
  assert.is(line(text, 'medly_projector_batch_duration_seconds_count{outcome="rolled_back"}'), 'medly_projector_batch_duration_seconds_count{outcome="rolled_back"} 1');
});

test('lag: sampled at each scrape; a failed sample keeps the last one and is reported', async () => {
  let lag = 7;
  let fail = false;
  const errors: unknown[] = [];
  const metrics = createProjectorMetrics({
    sampleLag: () => (fail ? Promise.reject(new Error('broker away')) : Promise.resolve([{ topic: 't.users.profiles', partition: 2, offset: 10, applied: 10 - lag, lag }])),
    onSampleError: (error) => errors.push(error),
  });
  const series = 'medly_projector_lag_messages{topic="t.users.profiles",partition="2"}';
  assert.is(line(await metrics.registry.metrics(), series), `${series} 7`);
  lag = 0;
  assert.is(line(await metrics.registry.metrics(), series), `${series} 0`);
  lag = 3;
  fail = true;
  assert.is(line(await metrics.registry.metrics(), series), `${series} 0`);
  assert.is(errors.length, 1);
});

test.run();
