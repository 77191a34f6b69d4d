/**
 * The charts of one run, drawn as SVG files beside the Markdown they are
 * embedded in (docs/bench-*.svg for docs/BENCHMARKS.md), so a re-render from
 * results.json redraws them too: the import's scale line against its write
 * floor, each route's p50/p99 beside the bare floor's, the open-loop percentiles.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportResult } from './importBench.ts';
import type { BenchResults } from './results.ts';
import { OPEN_LOOP_P99_TARGET_MS } from './reportApiFloor.ts';
import { barChartSvg, lineChartSvg } from './svgChart.ts';

export interface Chart {
  file: string;
  title: string;
  svg: string;
}

/** The import entry as the scale line reads it: `rows` (rows in the final tables) is absent from runs before issue 16, `floor` from runs without it. */
type ScaleEntry = Omit<ImportResult, 'rows'> & { rows?: number };

export function benchCharts(results: BenchResults): Chart[] {
  return [scaleChart(results.imports), latencyChart(results), openLoopChart(results)].filter((chart): chart is Chart => chart !== undefined);
}

const CHART_FILES = ['bench-scale.svg', 'bench-latency.svg', 'bench-openloop.svg'];

/**
 * Writes every chart into `dir`, and removes those this run has no figures for (an old chart
 * beside new tables would pass for this run's); the Markdown that shows them (paths relative to `dir`), or ''.
 */
export async function writeBenchCharts(dir: string, results: BenchResults): Promise<string> {
  const charts = benchCharts(results);
  const drawn = new Set(charts.map((chart) => chart.file));
  for (const file of CHART_FILES.filter((name) => !drawn.has(name))) await rm(join(dir, file), { force: true });
  if (charts.length === 0) return '';
  for (const chart of charts) await writeFile(join(dir, chart.file), chart.svg);
  return ['### Charts', ...charts.map((chart) => `![${chart.title}](${chart.file})`)].join('\n\n');
}

function scaleChart(imports: readonly ScaleEntry[]): Chart | undefined {
  if (imports.length === 0) return undefined;
  // Older runs: the rows the import wrote (inserted + updated), near the final rows on a first import.
  const rowsOf = (entry: ScaleEntry) => entry.rows ?? entry.report.rowsWritten;
  const floors = imports.flatMap((entry) => (entry.floor ? [{ x: entry.floor.rows, y: entry.floor.seconds }] : []));
  const title = 'pnpm import: seconds against rows (log–log)';
  return {
    file: 'bench-scale.svg',
    title,
    svg: lineChartSvg({
      title,
      xLabel: 'rows in the final tables',
      yLabel: 'seconds',
      xScale: 'log',
      yScale: 'log',
      series: [
        { name: 'pnpm import', points: imports.map((entry) => ({ x: rowsOf(entry), y: entry.run.wallMs / 1000, label: `${String(entry.scale)}×` })) },
        ...(floors.length > 0 ? [{ name: 'write floor (COPY)', points: floors, dashed: true }] : []),
      ],
    }),
  };
}

function latencyChart(results: BenchResults): Chart | undefined {
  const api = results.api;
  if (!api || api.result.routes.length === 0) return undefined;
  const routes = api.result.routes;
  const title = `API latency at ${String(api.scale)}×, ${String(api.result.connections)} connections: ours beside the bare floor`;
  return {
    file: 'bench-latency.svg',
    title,
    svg: barChartSvg({
      title,
      yLabel: 'ms (log)',
      yScale: 'log',
      groups: routes.map((route) => shortRoute(route.route)),
      series: [
        { name: 'ours p50', values: routes.map((route) => route.p50Ms) },
        { name: 'ours p99', values: routes.map((route) => route.p99Ms) },
        { name: 'floor p50', values: routes.map((route) => route.floor?.p50Ms) },
        { name: 'floor p99', values: routes.map((route) => route.floor?.p99Ms) },
      ],
    }),
  };
}

/** `/users/:id/activity` → `users activity`: the route's words, short enough to label a group of bars. */
export function shortRoute(route: string): string {
  return route
    .split('/')
    .filter((part) => part !== '' && !part.startsWith(':'))
    .join(' ');
}

function openLoopChart(results: BenchResults): Chart | undefined {
  const open = results.api?.result.openLoop;
  if (!results.api || !open) return undefined;
  const title = `Open loop at ${String(results.api.scale)}×: ${String(open.targetRate)} req/s scheduled, latency from the schedule`;
  return {
    file: 'bench-openloop.svg',
    title,
    svg: barChartSvg({
      title,
      yLabel: 'ms (log)',
      yScale: 'log',
      groups: ['p50', 'p90', 'p99', 'p99.9', 'max'],
      series: [{ name: `every route, ${String(Math.round(open.achievedRate))} req/s achieved`, values: [open.p50Ms, open.p90Ms, open.p99Ms, open.p999Ms, open.maxMs] }],
      reference: { value: OPEN_LOOP_P99_TARGET_MS, label: `target: p99 ≤ ${String(OPEN_LOOP_P99_TARGET_MS)} ms` },
    }),
  };
}
