/**
 * The sources half of the migration report (DESIGN §5), which `pnpm produce`
 * prints and writes as JSON on its own; the importer adds the tables half
 * (`importer/src/report.ts`).
 *
 *   { "sources": { "<source>": { read, produced, deduplicated, rejected: {code: n},
 *                                warnings: {code: n}, removed, snapshot, files, failures, … } },
 *     "elapsedMs": n }
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RejectionReason, SourceName, WarningReason } from '@medly/shared/reasons';

export interface SourceReport {
  /** The files read, relative to the data folder. */
  files: string[];
  /** The source's finest records: attempts, lessons, exam parts, practice parts. */
  read: number;
  /** Events produced to the source's topics (rejections not included). */
  produced: number;
  /**
   * Produced events whose key an earlier event of this run had (the topic keeps
   * the later one): repeated lesson, paper and bank ids across the run, and
   * repeated part or stem keys within one bank or paper (see duplicateKeys.ts).
   */
  deduplicated: number;
  rejected: Partial<Record<RejectionReason, number>>;
  warnings: Partial<Record<WarningReason, number>>;
  /** Keys of the source tombstoned because the export no longer holds them. */
  removed: number;
  /**
   * taken: a complete read, which replaced the source's earlier state;
   * partial: not every file read completely, or a run limited with --source (nothing removed);
   * refused: it would have removed too much without --allow-removals (nothing removed; fails the run).
   */
  snapshot: 'taken' | 'partial' | 'refused';
  /** Why the snapshot was partial or refused. */
  snapshotNote?: string;
  /** Files that could not be read or parsed; any entry fails the run. */
  failures: { file: string; message: string }[];
  /** users only: distinct uids seen in attempt paths. */
  users?: number;
}

export interface ProduceReport {
  sources: Partial<Record<SourceName, SourceReport>>;
  elapsedMs: number;
}

export function emptySourceReport(): SourceReport {
  return { files: [], read: 0, produced: 0, deduplicated: 0, rejected: {}, warnings: {}, removed: 0, snapshot: 'partial', failures: [] };
}

/** A report whose reason counts are in a stable (alphabetical) order, so equal runs give equal JSON. */
export function buildReport(parts: ProduceReport): ProduceReport {
  const sources: Partial<Record<SourceName, SourceReport>> = {};
  for (const [name, source] of Object.entries(parts.sources) as [SourceName, SourceReport][]) {
    sources[name] = { ...source, rejected: sortedCounts(source.rejected), warnings: sortedCounts(source.warnings) };
  }
  return { sources, elapsedMs: Math.round(parts.elapsedMs) };
}

export function hasFailures(report: Pick<ProduceReport, 'sources'>): boolean {
  return Object.values(report.sources).some((source) => source.failures.length > 0 || source.snapshot === 'refused');
}

/** `reports/<kind>-<timestamp>.json`, the default place a report is written. */
export function defaultReportFile(kind: string, at: Date, folder = 'reports'): string {
  return join(folder, `${kind}-${at.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.json`);
}

export async function writeReport(report: object, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** The report as an aligned plain-text table. */
export function formatReport(report: ProduceReport): string {
  return [...formatSources(report), '', formatElapsed(report.elapsedMs)].join('\n');
}

/** The sources table and a line per failed file. */
export function formatSources(report: Pick<ProduceReport, 'sources'>): string[] {
  const lines: string[] = [];
  const sourceRows = (Object.entries(report.sources) as [SourceName, SourceReport][]).map(([name, source]) => [
    source.users === undefined ? name : `${name} (${formatCount(source.users)} uids)`,
    formatCount(source.read),
    formatCount(source.produced),
    formatCount(source.deduplicated),
    formatCount(source.removed),
    formatReasons(source.rejected),
    formatReasons(source.warnings),
  ]);
  lines.push(...textTable(['source', 'read', 'produced', 'deduplicated', 'removed', 'rejected', 'warnings'], sourceRows, [1, 2, 3, 4]));
  for (const [name, source] of Object.entries(report.sources) as [SourceName, SourceReport][]) {
    for (const failure of source.failures) lines.push(`FAILED ${name}: ${failure.message}`);
    if (source.snapshot === 'refused') lines.push(`REFUSED ${source.snapshotNote ?? name}`);
    else if (source.snapshot === 'partial' && source.snapshotNote !== undefined) lines.push(`partial: ${source.snapshotNote}`);
  }
  return lines;
}

export function formatElapsed(elapsedMs: number): string {
  return `elapsed ${(elapsedMs / 1000).toFixed(1)} s`;
}

/** Rows under a header, columns padded to one width; the columns named in `rightAligned` are right-aligned. */
export function textTable(header: string[], rows: string[][], rightAligned: number[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const render = (row: string[]) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return rightAligned.includes(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...rows.map(render)];
}

export function formatReasons(counts: Partial<Record<string, number>>): string {
  const entries = Object.entries(counts).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
  return entries.length === 0 ? '0' : entries.map(([reason, count]) => `${reason} ${formatCount(count)}`).join(', ');
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function sortedCounts<Reason extends string>(counts: Partial<Record<Reason, number>>): Partial<Record<Reason, number>> {
  return Object.fromEntries(
    (Object.entries(counts) as [Reason, number][]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ) as Partial<Record<Reason, number>>;
}
