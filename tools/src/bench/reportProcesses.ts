/** The parts of docs/BENCHMARKS.md about whole processes: produce and the projector, import, the API under load. */
import type { ImportResult } from './importBench.ts';
import { markdownTable } from './markdownTable.ts';
import type { ProduceResult } from './produceBench.ts';
import type { BenchResults } from './results.ts';
import { formatBytes, formatCount, formatDuration, formatPercent, ratePerSecond } from './stats.ts';

const MiB = 1024 * 1024;
const check = (ok: boolean) => (ok ? '✓' : '✗');
/** A measured process's CPU time, user + system. */
const cpuTime = (run: { userSeconds: number; systemSeconds: number }) => `${(run.userSeconds + run.systemSeconds).toFixed(1)} s`;

export function renderProduce(produce: readonly ProduceResult[]): string {
  if (produce.length === 0) return '';
  const produceRows = produce.map((result) => [
    `${String(result.scale)}×`,
    formatBytes(result.inputBytes),
    formatCount(result.events),
    formatDuration(result.produce.wallMs),
    formatCount(ratePerSecond(result.events, result.produce.wallMs)),
    (result.inputBytes / MiB / (result.produce.wallMs / 1000)).toFixed(1),
    formatBytes(result.produce.peakRssBytes),
    cpuTime(result.produce),
  ]);
  const projectorRows = produce.map((result) => [
    `${String(result.scale)}×`,
    formatCount(result.events),
    formatCount(result.projectorRows),
    formatDuration(result.projector.wallMs),
    formatCount(ratePerSecond(result.events, result.projector.wallMs)),
    formatCount(ratePerSecond(result.projectorRows, result.projector.wallMs)),
    formatBytes(result.projector.peakRssBytes),
    cpuTime(result.projector),
  ]);
  return [
    '### 1. Produce throughput (`pnpm produce`), and the projector on its own',
    '',
    'The real CLI as a child process (`pnpm run produce --data-dir /tmp/medly-K --report-file …`, its own TOPIC_PREFIX, ' +
      'plain JSON values, no Schema Registry). Events include rejections. Rates are over the wall time of the whole process (start-up included); ' +
      'peak RSS is the process\'s maximum resident set (`/usr/bin/time -f %M`).',
    '',
    markdownTable(['scale', 'input', 'events', 'wall', 'events/s', 'input MiB/s', 'peak RSS', 'CPU user+sys'], produceRows, [1, 2, 3, 4, 5, 6, 7]),
    '',
    'Then the projector alone folds those topics into a fresh database (`pnpm run projector --until-caught-up`, with its node options, after `pnpm migrate`): ' +
      'rows are inserted + updated over every projection table (projection_stats).',
    '',
    markdownTable(['scale', 'events', 'rows written', 'wall', 'events/s', 'rows/s', 'peak RSS', 'CPU user+sys'], projectorRows, [1, 2, 3, 4, 5, 6, 7]),
    renderActivity(produce.at(-1)),
  ].join('\n');
}

/** The projector's database sessions at the largest scale, by statement: where its wall time goes on the server. */
function renderActivity(result: ProduceResult | undefined): string {
  const activity = result?.projectorActivity;
  if (!result || !activity || activity.samples === 0) return '';
  const share = (samples: number) => formatPercent(samples / activity.samples);
  const rows = activity.statements.slice(0, 10).map((entry) => [
    `\`${entry.statement}\``,
    share(entry.samples),
    Object.entries(entry.waits)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 3)
      .map(([wait, samples]) => `${wait} ${formatPercent(samples / entry.samples)}`)
      .join(', '),
  ]);
  return [
    '',
    `Where the projector's time went at ${String(result.scale)}×: pg_stat_activity of its database sampled every ${String(activity.intervalMs)} ms ` +
      `(${formatCount(activity.samples)} samples). In ${share(activity.idleSamples)} of them no statement was running (the projector was decoding, ` +
      'mapping, fetching from Kafka or between round trips); otherwise, by statement (a sample may hold more than one session; "CPU" = no wait event):',
    '',
    markdownTable(['statement', 'share of samples', 'waiting on'], rows, [1]),
  ].join('\n');
}

export function renderImports(imports: readonly ImportResult[], skipped: string | undefined): string {
  if (imports.length === 0 && skipped === undefined) return '';
  const rows = imports.map((result) => [
    `${String(result.scale)}×`,
    formatBytes(result.inputBytes),
    formatCount(result.report.events),
    formatCount(result.report.rowsWritten),
    formatDuration(result.run.wallMs),
    formatCount(ratePerSecond(result.report.events, result.run.wallMs)),
    formatBytes(result.run.peakRssBytes),
    cpuTime(result.run),
    result.scale === 100 ? `${check(result.run.wallMs < 180_000)} < 3 min, ${check(result.run.peakRssBytes < 512 * MiB)} < 512 MiB` : '',
  ]);
  const table =
    imports.length > 0
      ? markdownTable(['scale', 'input', 'events', 'rows written', 'wall', 'events/s', 'peak RSS', 'CPU user+sys', 'targets (100×)'], rows, [1, 2, 3, 4, 5, 6, 7])
      : '';
  return [
    '### 3. End-to-end `pnpm import`',
    'The real CLI (`pnpm run import --data-dir /tmp/medly-K --report-file …`, so with its node options) into its own empty database and TOPIC_PREFIX: ' +
      'migrate, produce, project until caught up, report. On a first import the projector runs in a child process beside the producer; peak RSS is ' +
      'ru_maxrss of the process tree, i.e. the larger of the two processes\' peaks. Rows written: inserted + updated over every projection table, from its report.',
    skipped === undefined ? '' : `Not run: ${skipped}`,
    table,
    imports.length > 1 ? growthNote(imports) : '',
  ]
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}

/** Wall time per event from the smallest to the largest scale: flat means linear cost. */
function growthNote(imports: readonly ImportResult[]): string {
  const perEvent = imports.map((result) => `${String(result.scale)}×: ${(result.run.wallMs / result.report.events * 1000).toFixed(0)} µs`);
  return `Wall time per event: ${perEvent.join(', ')}.`;
}

export function renderApi(results: BenchResults): string {
  if (!results.api) return results.apiSkipped ? `### 4. API latency\n\nNot run: ${results.apiSkipped}` : '';
  const { scale, result } = results.api;
  const target = (route: string) => (route === '/users/:id/progress' ? 150 : route === '/health' ? Number.NaN : 25);
  const rows = result.routes.map((route) => {
    const limit = target(route.route);
    return [
      `\`${route.route}\``,
      String(route.ids),
      formatCount(route.requestsPerSecond),
      route.p50Ms.toFixed(1),
      route.p99Ms.toFixed(1),
      route.maxMs.toFixed(0),
      String(route.non2xx + route.errors),
      Number.isFinite(limit) ? `${check(route.p99Ms < limit)} p99 < ${String(limit)} ms` : '',
      formatCount(route.alone.requestsPerSecond),
      route.alone.p50Ms.toFixed(2),
      route.alone.p99Ms.toFixed(2),
    ];
  });
  return [
    `### 4. API latency at ${String(scale)}× (after the import)`,
    '',
    `\`node api/src/main.ts\` as a child process on the imported database (LOG_LEVEL=${result.logLevel}); autocannon in the bench process, ` +
      `${String(result.connections)} connections, ${String(result.durationSeconds)} s per route after a warm-up, cycling through up to 50 real ids ` +
      '(a deterministic spread of users, lessons, papers, items). The load generator, the API and Postgres share the 2 cores. ' +
      '"alone": the same route with a single connection just before, the latency of a request that waits behind no other. ' +
      `API peak RSS: ${formatBytes(result.apiPeakRssBytes)}.`,
    '',
    markdownTable(
      ['route', 'ids', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx + errors', 'target', 'alone: req/s', 'alone: p50 ms', 'alone: p99 ms'],
      rows,
      [1, 2, 3, 4, 5, 6, 8, 9, 10],
    ),
  ].join('\n');
}
