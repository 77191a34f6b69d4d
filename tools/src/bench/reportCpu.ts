/** The part of docs/BENCHMARKS.md on where the import's time goes: CPU seconds per party of each import, its replay and its floor, one table per scale. */
import type { CpuBreakdown } from './cpuFigures.ts';
import type { ImportResult } from './importBench.ts';
import { markdownTable } from './markdownTable.ts';
import { formatPercent, formatRatio } from './stats.ts';

/** Parties in the order a reader follows the data; any other (a Postgres process not named here) comes after them. */
const PARTY_ORDER = ['importer', 'replay', 'bench', 'projector', 'producer', 'launcher', 'broker', 'postgres', 'walwriter', 'checkpointer', 'background writer'];

const PARTY_NAMES: Record<string, string> = {
  importer: 'importer (producers in-process)',
  bench: 'bench process (the COPY)',
  launcher: 'pnpm, sh, time',
  broker: 'Kafka broker',
  postgres: 'Postgres backends of the database',
};

const RUNS = ['import', 'replay', 'floor'] as const;

function runsOf(result: ImportResult): Partial<Record<(typeof RUNS)[number], CpuBreakdown>> {
  return { import: result.cpu, replay: result.replay?.cpu, floor: result.floor?.cpu };
}

/** Every party with CPU time in any of the runs, in reading order. */
export function partiesOf(breakdowns: readonly CpuBreakdown[]): string[] {
  const seen = new Set(breakdowns.flatMap((breakdown) => Object.keys(breakdown.seconds)));
  const rank = (party: string) => (PARTY_ORDER.includes(party) ? PARTY_ORDER.indexOf(party) : PARTY_ORDER.length);
  return [...seen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const cpuCell = (breakdown: CpuBreakdown | undefined, party: string) => {
  const seconds = breakdown?.seconds[party];
  // Not measured, or not a party to that run.
  if (breakdown === undefined || seconds === undefined) return '—';
  return `${seconds.toFixed(2)} s (${formatPercent(seconds / breakdown.totalSeconds)})`;
};

const figure = (breakdown: CpuBreakdown | undefined, format: (breakdown: CpuBreakdown) => string) => (breakdown === undefined ? '—' : format(breakdown));

function renderScale(result: ImportResult): string {
  const runs = runsOf(result);
  const columns = RUNS.map((run) => runs[run]);
  const parties = partiesOf(columns.filter((breakdown) => breakdown !== undefined));
  const rows = [
    ...parties.map((party) => [PARTY_NAMES[party] ?? party, ...columns.map((breakdown) => cpuCell(breakdown, party))]),
    ['**total CPU**', ...columns.map((breakdown) => figure(breakdown, (cpu) => `**${cpu.totalSeconds.toFixed(2)} s**`))],
    ['total ÷ floor\'s total', ...columns.map((breakdown) => (breakdown === undefined || runs.floor === undefined ? '—' : formatRatio(breakdown.totalSeconds / runs.floor.totalSeconds)))],
    ['wall', ...columns.map((breakdown) => figure(breakdown, (cpu) => `${cpu.wallSeconds.toFixed(2)} s`))],
    ['cores busy (CPU ÷ wall)', ...columns.map((breakdown) => figure(breakdown, (cpu) => cpu.coresBusy.toFixed(2)))],
    ['machine idle', ...columns.map((breakdown) => figure(breakdown, (cpu) => formatPercent(cpu.machineIdle)))],
    ['others on the machine', ...columns.map((breakdown) => figure(breakdown, (cpu) => `${Math.max(0, cpu.machineBusySeconds - cpu.totalSeconds).toFixed(2)} s`))],
  ];
  return [`**${String(result.scale)}×**`, markdownTable(['CPU (user + system)', ...RUNS], rows, [1, 2, 3])].join('\n\n');
}

export function renderImportCpu(imports: readonly ImportResult[]): string {
  const measured = imports.filter((result) => result.cpu !== undefined);
  if (measured.length === 0) return '';
  return [
    '#### Where the time goes: CPU seconds per party (issue 16)',
    'User + system CPU seconds of each process over each run, from `/proc/<pid>/stat` sampled every 200 ms: the importer (which runs the ' +
      'producers in-process) and its projector child, or `pnpm replay`, or the bench process doing the floor\'s COPY; pnpm and its shell; the ' +
      'Kafka broker; every Postgres backend of the run\'s database (from `pg_stat_activity` at each sample, keeping the last reading of a ' +
      'backend that exits) and Postgres\'s background processes (the postmaster\'s children, by title; they serve the whole cluster, other engineers\' databases too). A process loses at most its last 200 ms ' +
      'before it exits. Percentages are shares of the run\'s total. Cores busy: total CPU ÷ wall (the machine\'s cores are shared with other engineers); ' +
      '*machine idle* (`/proc/stat`, idle + iowait) and *others on the machine* (the machine\'s busy CPU seconds minus the total) say how much ' +
      'other load stretched the wall time. The floor\'s column is its load only (not the dump).',
    ...measured.map(renderScale),
  ].join('\n\n');
}
