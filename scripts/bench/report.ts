/**
 * docs/BENCHMARKS.md from one run's results: the hand-written part above the
 * GENERATED_MARKER stays as it is; everything below it is replaced.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ImportResult } from './importBench.ts';
import { markdownTable } from './markdownTable.ts';
import type { ProduceResult } from './produceBench.ts';
import {
  DEFAULT_STRATEGY,
  TARGET_SHARE_OF_RAW_COPY,
  TARGET_TIMES_NAIVE,
  checksumsAgree,
  fastestUpsert,
  strategyFigures,
  type StrategyFigures,
} from './projectionFigures.ts';
import type { BenchResults } from './results.ts';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRatio, ratePerSecond } from './stats.ts';

export const GENERATED_MARKER = '<!-- Everything below is written by `pnpm bench`; edit above this line. -->';

const DEFAULT_INTRO = `# Benchmarks\n\nFigures measured by \`pnpm bench\` (scripts/bench/).\n`;

const MiB = 1024 * 1024;
const check = (ok: boolean) => (ok ? '✓' : '✗');

export async function writeBenchmarksFile(file: string, results: BenchResults): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => '');
  const at = existing.indexOf(GENERATED_MARKER);
  const intro = at >= 0 ? existing.slice(0, at).trimEnd() : existing.trimEnd() || DEFAULT_INTRO.trimEnd();
  await writeFile(file, `${intro}\n\n${GENERATED_MARKER}\n\n${renderResults(results)}\n`);
}

export function renderResults(results: BenchResults): string {
  return [
    renderHeader(results),
    renderMachine(results),
    renderProduce(results.produce),
    renderProjection(results),
    renderImports(results.imports, results.importSkipped),
    renderApi(results),
    renderFailures(results),
  ]
    .filter((section) => section !== '')
    .join('\n\n');
}

function renderHeader(results: BenchResults): string {
  const dirty = results.uncommitted.length > 0 ? ` plus uncommitted changes to ${results.uncommitted.map((file) => `\`${file}\``).join(', ')}` : '';
  return [
    `## Results of the last run`,
    '',
    `Run ${results.startedAt} → ${results.finishedAt} on commit \`${results.commit}\`${dirty}; scales ${results.scales.map((scale) => `${String(scale)}×`).join(', ')}.`,
    `Command: \`${results.command}\`. Logs, child reports and results.json: \`${results.runDir}\` (not committed).`,
  ].join('\n');
}

function renderMachine({ machine }: BenchResults): string {
  const settings = Object.entries(machine.postgresSettings)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  return [
    '### Machine',
    '',
    `- \`nproc\`: ${machine.nproc}; CPU: ${machine.cpuModel}; kernel: ${machine.kernel}`,
    `- Node ${machine.node}; ${machine.postgres}`,
    `- Postgres settings: ${settings}`,
    `- ${machine.kafka}`,
    '- Shared with other engineers working at the same time: absolute figures are noisy; compare ratios within this run.',
    '',
    '`free -h`:',
    '',
    '```',
    machine.memory,
    '```',
  ].join('\n');
}

function renderProduce(produce: readonly ProduceResult[]): string {
  if (produce.length === 0) return '';
  const produceRows = produce.map((result) => [
    `${String(result.scale)}×`,
    formatBytes(result.inputBytes),
    formatCount(result.events),
    formatDuration(result.produce.wallMs),
    formatCount(ratePerSecond(result.events, result.produce.wallMs)),
    (result.inputBytes / MiB / (result.produce.wallMs / 1000)).toFixed(1),
    formatBytes(result.produce.peakRssBytes),
    `${(result.produce.userSeconds + result.produce.systemSeconds).toFixed(1)} s`,
  ]);
  const projectorRows = produce.map((result) => [
    `${String(result.scale)}×`,
    formatCount(result.events),
    formatCount(result.projectorRows),
    formatDuration(result.projector.wallMs),
    formatCount(ratePerSecond(result.events, result.projector.wallMs)),
    formatCount(ratePerSecond(result.projectorRows, result.projector.wallMs)),
    formatBytes(result.projector.peakRssBytes),
    `${(result.projector.userSeconds + result.projector.systemSeconds).toFixed(1)} s`,
  ]);
  return [
    '### 1. Produce throughput (`pnpm produce`), and the projector on its own',
    '',
    'The real CLI as a child process (`node producers/src/main.ts --data-dir /tmp/medly-K --report-file …`, its own TOPIC_PREFIX, ' +
      'plain JSON values, no Schema Registry). Events include rejections. Rates are over the wall time of the whole process (start-up included); ' +
      'peak RSS is the process\'s maximum resident set (`/usr/bin/time -f %M`).',
    '',
    markdownTable(['scale', 'input', 'events', 'wall', 'events/s', 'input MiB/s', 'peak RSS', 'CPU user+sys'], produceRows, [1, 2, 3, 4, 5, 6, 7]),
    '',
    'Then the projector alone folds those topics into a fresh database (`node projector/src/main.ts --until-caught-up`, after `pnpm migrate`): ' +
      'rows are inserted + updated over every projection table (projection_stats).',
    '',
    markdownTable(['scale', 'events', 'rows written', 'wall', 'events/s', 'rows/s', 'peak RSS', 'CPU user+sys'], projectorRows, [1, 2, 3, 4, 5, 6, 7]),
  ].join('\n');
}

function renderProjection(results: BenchResults): string {
  if (results.projection.length === 0) return '';
  const sections = results.projection.flatMap(({ scale, result }) => [
    `#### ${String(scale)}× (rows loaded in ${formatDuration(result.loadMs)}; ${String(result.rounds)} round(s); ${formatCount(result.batchSize)} rows per transaction)`,
    '',
    ...result.tables.flatMap((table) => {
      const figures = strategyFigures(table);
      const { agree, checked } = checksumsAgree(table);
      return [
        `**${table.table}**: ${formatCount(table.rowsUnique)} rows (${formatCount(table.rowsMapped)} mapped, deduplicated by key). ` +
          `Content checksums of the ${String(checked)} strategies that wrote every row: ${agree ? 'all equal ✓' : 'DIFFER ✗'}.`,
        '',
        projectionTable(figures),
        '',
        verdict(figures),
        '',
      ];
    }),
  ]);
  return [
    '### 2. Projection write strategies, on the same rows',
    '',
    'Rows are made as the real path makes them: the generated exports through the producers\' streaming reader and pure source mappers, ' +
      'each event through the codec (encode, decode), then the projector\'s pure row mappers; deduplicated by key. ' +
      'Each strategy writes into its own freshly migrated database, one transaction per batch; the strategies are interleaved batch by batch ' +
      '(so a change in this shared machine\'s load hits them alike). Pass 1: every row is new. Pass 2: the same rows again, all unchanged (a re-import). ' +
      'rows/s = rows ÷ median time over the rounds; the range is the slowest and fastest round. Every upsert returns the keys of the rows it changed ' +
      '(the projector needs them). Raw COPY appends the rows again on pass 2 (it has no key). COPY into the indexed table can only run pass 1.',
    '',
    ...results.projection[0]?.result.tables[0]?.strategies.map((result) => `- **${result.strategy}**: ${result.description}`) ?? [],
    '',
    ...sections,
    renderAnatomy(results),
  ].join('\n');
}

function renderAnatomy(results: BenchResults): string {
  const last = results.projection.findLast(({ result }) => result.anatomy !== undefined);
  const anatomy = last?.result.anatomy;
  if (!last || !anatomy) return '';
  const rows = anatomy.steps.map((step) => [
    step.step,
    step.wallMs.toFixed(1),
    step.executionMs === undefined ? '' : step.executionMs.toFixed(1),
    step.walRecords === undefined ? '' : formatCount(step.walRecords),
    step.walBytes === undefined ? '' : formatBytes(step.walBytes),
  ]);
  return [
    `#### Where one batch's time goes (${String(last.scale)}×, ${anatomy.table})`,
    '',
    `One batch of ${formatCount(anatomy.batchRows)} rows, written into a table already holding ${formatCount(anatomy.tableRowsBefore)} rows; ` +
      `each step ${String(anatomy.repetitions)} times in a rolled-back transaction, medians. Input steps: the round trip of sending the batch in that form ` +
      'and parsing it, nothing written. Write steps: `EXPLAIN (ANALYZE, BUFFERS, WAL)` of the statement alone (the input already parsed or staged).',
    '',
    markdownTable(['step', 'wall ms', 'execution ms', 'WAL records', 'WAL'], rows, [1, 2, 3, 4]),
    '',
  ].join('\n');
}

function projectionTable(figures: readonly StrategyFigures[]): string {
  const rows = figures.map((figure) => {
    const [first, second] = figure.passes;
    const name = figure.strategy === DEFAULT_STRATEGY ? `${figure.strategy} (default)` : figure.strategy;
    const rowsNote = figure.sampled ? `${formatCount(figure.rows)} (sample)` : formatCount(figure.rows);
    const range = (pass: typeof first) =>
      Number.isFinite(pass.minRowsPerSecond) && pass.minRowsPerSecond !== pass.maxRowsPerSecond
        ? `${formatCount(pass.minRowsPerSecond)}–${formatCount(pass.maxRowsPerSecond)}`
        : '';
    return [
      name,
      rowsNote,
      formatCount(first.rowsPerSecond),
      range(first),
      formatRatio(first.timesNaive),
      formatPercent(first.shareOfRawCopy),
      formatCount(second.rowsPerSecond),
      range(second),
      formatRatio(second.timesNaive),
      formatPercent(second.shareOfRawCopy),
    ];
  });
  return markdownTable(
    ['strategy', 'rows', 'pass 1 rows/s', 'range', '÷ naive', '÷ raw COPY', 'pass 2 rows/s', 'range', '÷ naive', '÷ raw COPY'],
    rows,
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
}

function verdict(figures: readonly StrategyFigures[]): string {
  const current = figures.find((figure) => figure.strategy === DEFAULT_STRATEGY);
  const best = fastestUpsert(figures);
  if (!current) return '';
  const [first] = current.passes;
  const meets = first.timesNaive >= TARGET_TIMES_NAIVE && first.shareOfRawCopy >= TARGET_SHARE_OF_RAW_COPY;
  const lines = [
    `Default path (${DEFAULT_STRATEGY}), pass 1: ${formatRatio(first.timesNaive)} naive ${check(first.timesNaive >= TARGET_TIMES_NAIVE)} (target ≥ ${String(TARGET_TIMES_NAIVE)}×), ` +
      `${formatPercent(first.shareOfRawCopy)} of raw COPY ${check(first.shareOfRawCopy >= TARGET_SHARE_OF_RAW_COPY)} (target ≥ ${formatPercent(TARGET_SHARE_OF_RAW_COPY)})${meets ? '.' : ': target missed.'}`,
  ];
  if (best && best.strategy !== DEFAULT_STRATEGY) {
    lines.push(
      `Fastest upsert: ${best.strategy}, ${formatRatio(best.passes[0].rowsPerSecond / first.rowsPerSecond)} the default on pass 1 ` +
        `and ${formatRatio(best.passes[1].rowsPerSecond / current.passes[1].rowsPerSecond)} on pass 2 ` +
        `(${formatRatio(best.passes[0].timesNaive)} naive, ${formatPercent(best.passes[0].shareOfRawCopy)} of raw COPY).`,
    );
  }
  return lines.join(' ');
}

function renderImports(imports: readonly ImportResult[], skipped: string | undefined): string {
  if (imports.length === 0 && skipped === undefined) return '';
  const rows = imports.map((result) => [
    `${String(result.scale)}×`,
    formatBytes(result.inputBytes),
    formatCount(result.report.events),
    formatCount(result.report.rowsWritten),
    formatDuration(result.run.wallMs),
    formatCount(ratePerSecond(result.report.events, result.run.wallMs)),
    formatBytes(result.run.peakRssBytes),
    `${(result.run.userSeconds + result.run.systemSeconds).toFixed(1)} s`,
    result.scale === 100 ? `${check(result.run.wallMs < 180_000)} < 3 min, ${check(result.run.peakRssBytes < 512 * MiB)} < 512 MiB` : '',
  ]);
  const table =
    imports.length > 0
      ? markdownTable(['scale', 'input', 'events', 'rows written', 'wall', 'events/s', 'peak RSS', 'CPU user+sys', 'targets (100×)'], rows, [1, 2, 3, 4, 5, 6, 7])
      : '';
  return [
    '### 3. End-to-end `pnpm import`',
    'The real CLI (`node scripts/import.ts --data-dir /tmp/medly-K --report-file …`) into its own empty database and TOPIC_PREFIX: ' +
      'migrate, produce, project until caught up, report. It runs the producer and the projector **in one process**, so its peak RSS is both together ' +
      '(part 1 has them as separate processes). Rows written: inserted + updated over every projection table, from its report.',
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

function renderApi(results: BenchResults): string {
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
      String(route.non2xx),
      String(route.errors),
      Number.isFinite(limit) ? `${check(route.p99Ms < limit)} p99 < ${String(limit)} ms` : '',
    ];
  });
  return [
    `### 4. API latency at ${String(scale)}× (after the import)`,
    '',
    `\`node api/src/main.ts\` as a child process on the imported database (LOG_LEVEL=${result.logLevel}); autocannon in the bench process, ` +
      `${String(result.connections)} connections, ${String(result.durationSeconds)} s per route after a warm-up, cycling through up to 50 real ids ` +
      '(a deterministic spread of users, lessons, papers, items). The load generator, the API and Postgres share the 2 cores. ' +
      `API peak RSS: ${formatBytes(result.apiPeakRssBytes)}.`,
    '',
    markdownTable(['route', 'ids', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'target'], rows, [1, 2, 3, 4, 5, 6, 7]),
  ].join('\n');
}

function renderFailures(results: BenchResults): string {
  if (results.failures.length === 0) return '';
  return [
    '### Parts that failed in this run',
    '',
    ...results.failures.map((failure) => `- ${failure.part}${failure.scale === undefined ? '' : ` at ${String(failure.scale)}×`}: ${failure.message}`),
  ].join('\n');
}
