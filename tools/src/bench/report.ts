/**
 * docs/BENCHMARKS.md from one run's results: the hand-written part above the
 * GENERATED_MARKER stays as it is; everything below it is replaced.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeBenchCharts } from './benchCharts.ts';
import { renderProjectors } from './projectorsBench.ts';
import type { BenchResults } from './results.ts';
import { renderApiFloor, renderOpenLoop } from './reportApiFloor.ts';
import { renderImportCpu } from './reportCpu.ts';
import { renderImportFloor } from './reportFloor.ts';
import { renderApi, renderImports, renderProduce } from './reportProcesses.ts';
import { renderInstances } from './reportInstances.ts';
import { renderProjection } from './reportProjection.ts';

export const GENERATED_MARKER = '<!-- Everything below is written by `pnpm bench`; edit above this line. -->';

const DEFAULT_INTRO = `# Benchmarks\n\nFigures measured by \`pnpm bench\` (tools/src/bench/).\n`;

export async function writeBenchmarksFile(file: string, results: BenchResults): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => '');
  const at = existing.indexOf(GENERATED_MARKER);
  const intro = at >= 0 ? existing.slice(0, at).trimEnd() : existing.trimEnd() || DEFAULT_INTRO.trimEnd();
  const charts = await writeBenchCharts(dirname(file), results);
  await writeFile(file, `${intro}\n\n${GENERATED_MARKER}\n\n${renderResults(results)}${charts === '' ? '' : `\n\n${charts}`}\n`);
}

export function renderResults(results: BenchResults): string {
  return [
    renderHeader(results),
    renderMachine(results),
    renderProduce(results.produce),
    renderProjection(results),
    renderImports(results.imports, results.importSkipped),
    renderImportFloor(results.imports),
    renderImportCpu(results.imports),
    renderApi(results),
    renderApiFloor(results),
    renderOpenLoop(results),
    renderProjectors(results.projectors ?? []),
    renderInstances(results),
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

function renderFailures(results: BenchResults): string {
  if (results.failures.length === 0) return '';
  return [
    '### Parts that failed in this run',
    '',
    ...results.failures.map((failure) => `- ${failure.part}${failure.scale === undefined ? '' : ` at ${String(failure.scale)}×`}: ${failure.message}`),
  ].join('\n');
}
