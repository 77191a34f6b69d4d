/** The part of docs/BENCHMARKS.md on issue 16: each import against its write floor, a replay, each process's peak RSS, the cost per row by scale. */
import { costSpread, floorFigures, FLOOR_TARGETS } from './floorFigures.ts';
import type { ImportResult } from './importBench.ts';
import { markdownTable } from './markdownTable.ts';
import { formatBytes, formatCount, formatPercent, formatRatio } from './stats.ts';

const met = (ok: boolean) => (ok ? 'met' : 'missed');
const seconds = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)} s`);
const micros = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '—');
const peakOf = (result: ImportResult, label: string) => result.processes?.find((peak) => peak.label === label)?.peakRssBytes;
const rss = (bytes: number | undefined) => (bytes === undefined ? '—' : formatBytes(bytes));

/** The process peaks of one import and its replay, by name. */
function peaksOf(result: ImportResult): [string, number][] {
  const peaks: [string, number][] = (result.processes ?? []).map((peak) => [peak.label, peak.peakRssBytes]);
  if (result.replay) peaks.push(['replay', result.replay.peakRssBytes]);
  return peaks;
}

function targetsOf(result: ImportResult): string {
  const figures = floorFigures(result);
  const marks: string[] = [];
  if (result.scale === FLOOR_TARGETS.scale) {
    if (Number.isFinite(figures.importOverFloor)) marks.push(`import ÷ floor ≤ ${String(FLOOR_TARGETS.importOverFloor)}: ${met(figures.importOverFloor <= FLOOR_TARGETS.importOverFloor)}`);
    if (Number.isFinite(figures.replayOverFloor)) marks.push(`rebuild ÷ floor ≤ ${String(FLOOR_TARGETS.replayOverFloor)}: ${met(figures.replayOverFloor <= FLOOR_TARGETS.replayOverFloor)}`);
  }
  const peaks = peaksOf(result);
  if (peaks.length > 0) marks.push(`RSS ≤ 384 MiB: ${met(peaks.every(([, bytes]) => bytes <= FLOOR_TARGETS.peakRssBytes))}`);
  return marks.join('; ');
}

function spreadNote(imports: readonly ImportResult[]): string {
  const spread = costSpread(imports);
  const over = spread.scales.map((scale) => `${String(scale)}×`).join(', ');
  if (!Number.isFinite(spread.import)) return `Cost-per-row spread (10× to 300×, target ≤ ${formatPercent(FLOOR_TARGETS.costSpread)}): not measured, the run has ${over || 'no scale'} in that range.`;
  const whole = spread.scales.includes(FLOOR_TARGETS.spreadFrom) && spread.scales.includes(FLOOR_TARGETS.spreadTo);
  return (
    `Cost-per-row spread (max ÷ min − 1 of µs/row over ${over}): import ${formatPercent(spread.import)}` +
    (whole ? ` (target ≤ ${formatPercent(FLOOR_TARGETS.costSpread)}: ${met(spread.import <= FLOOR_TARGETS.costSpread)})` : ` (the target is over 10× to 300×; this run does not span it)`) +
    `, floor ${Number.isFinite(spread.floor) ? formatPercent(spread.floor) : '—'}.`
  );
}

function largestNote(imports: readonly ImportResult[]): string {
  const all = imports.flatMap((result) => peaksOf(result).map(([label, bytes]) => ({ label, bytes, scale: result.scale })));
  const largest = all.sort((a, b) => b.bytes - a.bytes)[0];
  return largest ? `Largest process: ${largest.label} at ${String(largest.scale)}×, ${formatBytes(largest.bytes)} (target ≤ 384 MiB per process).` : '';
}

export function renderImportFloor(imports: readonly ImportResult[]): string {
  const measured = imports.filter((result) => result.floor !== undefined || result.replay !== undefined);
  if (measured.length === 0) return '';
  const rows = measured.map((result) => {
    const figures = floorFigures(result);
    return [
      `${String(result.scale)}×`,
      formatCount(result.rows),
      seconds(figures.importSeconds),
      seconds(result.floor?.seconds),
      result.floor ? formatBytes(result.floor.bytes) : '—',
      formatRatio(figures.importOverFloor),
      seconds(result.replay?.seconds),
      seconds(result.replay?.rebuildSeconds),
      formatRatio(figures.replayOverFloor),
      result.replay ? (result.replay.checksumsEqual ? 'equal' : '**differ**') : '—',
      micros(figures.importMicrosPerRow),
      micros(figures.floorMicrosPerRow),
      rss(peakOf(result, 'importer')),
      rss(peakOf(result, 'projector')),
      rss(result.replay?.peakRssBytes),
      targetsOf(result),
    ];
  });
  return [
    '#### Import and replay against the write floor (issue 16)',
    'After each import, its final rows (every projection table and `source_snapshots`) are dumped with `COPY … TO STDOUT` and loaded with ' +
      '`COPY … FROM STDIN` into a freshly migrated database (same indexes and constraints), table after table on one connection, referenced ' +
      'tables first, as a data-only pg_restore would: the **floor**, the least any write path could take for those rows here. Then `pnpm replay` ' +
      'on the same topics and database: **replay** is its whole run (catching up, two checksum passes, ANALYZE), **rebuild** the part from emptying ' +
      'the tables to caught up again, which is what is compared with the floor (the import\'s time includes migrating, ' +
      'producing and ANALYZE). µs/row: seconds ÷ rows in the final tables. Peak RSS per process: VmHWM of each process, sampled every 200 ms ' +
      '(the importer and its projector child); the replay\'s is `/usr/bin/time`\'s. Ratio targets hold at 100×.',
    markdownTable(
      ['scale', 'rows', 'import', 'floor', 'floor data', 'import ÷ floor', 'replay', 'rebuild', 'rebuild ÷ floor', 'checksums', 'import µs/row', 'floor µs/row', 'importer RSS', 'projector RSS', 'replay RSS', 'targets'],
      rows,
      [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14],
    ),
    [spreadNote(measured), largestNote(measured)].filter((note) => note !== '').join(' '),
  ].join('\n\n');
}
