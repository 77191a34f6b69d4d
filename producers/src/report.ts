/**
 * The migration report (DESIGN §5). `pnpm produce` fills the sources half;
 * the import command (and `produce --wait`) merges in the projector's table
 * half with `withTables`. Printed as a table; written as JSON.
 *
 *   { "sources": { "<source>": { read, produced, deduplicated, rejected: {code: n},
 *                                warnings: {code: n}, files, failures, … } },
 *     "tables": { "<table>": { inserted, updated, unchanged } },
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
  /** Files that could not be read or parsed; any entry fails the run. */
  failures: { file: string; message: string }[];
  /** users only: distinct uids seen in attempt paths. */
  users?: number;
}

export interface TableStats {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface MigrationReport {
  sources: Partial<Record<SourceName, SourceReport>>;
  tables: Record<string, TableStats>;
  elapsedMs: number;
  /** Warnings only the projected state can tell (conflicting_item_content, unknown_lesson, unresolved_question). */
  projectionWarnings?: Record<string, number>;
}

export function emptySourceReport(): SourceReport {
  return { files: [], read: 0, produced: 0, deduplicated: 0, rejected: {}, warnings: {}, failures: [] };
}

/** A report whose reason counts are in a stable (alphabetical) order, so equal runs give equal JSON. */
export function buildReport(parts: {
  sources: Partial<Record<SourceName, SourceReport>>;
  tables?: Record<string, TableStats>;
  elapsedMs: number;
}): MigrationReport {
  const sources: Partial<Record<SourceName, SourceReport>> = {};
  for (const [name, source] of Object.entries(parts.sources) as [SourceName, SourceReport][]) {
    sources[name] = { ...source, rejected: sortedCounts(source.rejected), warnings: sortedCounts(source.warnings) };
  }
  return { sources, tables: parts.tables ?? {}, elapsedMs: Math.round(parts.elapsedMs) };
}

/** The report with the projector's per-table counts merged in. */
export function withTables(report: MigrationReport, tables: Record<string, TableStats>, elapsedMs = report.elapsedMs): MigrationReport {
  return { ...report, tables: { ...report.tables, ...tables }, elapsedMs: Math.round(elapsedMs) };
}

export function hasFailures(report: MigrationReport): boolean {
  return Object.values(report.sources).some((source) => source.failures.length > 0);
}

/** `reports/<kind>-<timestamp>.json`, the default place a report is written. */
export function defaultReportFile(kind: string, at: Date, folder = 'reports'): string {
  return join(folder, `${kind}-${at.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.json`);
}

export async function writeReport(report: MigrationReport, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** The report as aligned plain-text tables. */
export function formatReport(report: MigrationReport): string {
  const lines: string[] = [];
  const sourceRows = (Object.entries(report.sources) as [SourceName, SourceReport][]).map(([name, source]) => [
    source.users === undefined ? name : `${name} (${formatCount(source.users)} uids)`,
    formatCount(source.read),
    formatCount(source.produced),
    formatCount(source.deduplicated),
    formatReasons(source.rejected),
    formatReasons(source.warnings),
  ]);
  lines.push(...table(['source', 'read', 'produced', 'deduplicated', 'rejected', 'warnings'], sourceRows, [1, 2, 3]));
  for (const [name, source] of Object.entries(report.sources) as [SourceName, SourceReport][]) {
    for (const failure of source.failures) lines.push(`FAILED ${name}: ${failure.message}`);
  }
  const tableRows = Object.entries(report.tables).map(([name, stats]) => [
    name,
    formatCount(stats.inserted),
    formatCount(stats.updated),
    formatCount(stats.unchanged),
  ]);
  if (tableRows.length > 0) {
    lines.push('', ...table(['table', 'inserted', 'updated', 'unchanged'], tableRows, [1, 2, 3]));
  }
  if (report.projectionWarnings) lines.push('', `projection warnings: ${formatReasons(report.projectionWarnings)}`);
  lines.push('', `elapsed ${(report.elapsedMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

function table(header: string[], rows: string[][], rightAligned: number[]): string[] {
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

function formatReasons(counts: Partial<Record<string, number>>): string {
  const entries = Object.entries(counts).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
  return entries.length === 0 ? '0' : entries.map(([reason, count]) => `${reason} ${formatCount(count)}`).join(', ');
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function sortedCounts<Reason extends string>(counts: Partial<Record<Reason, number>>): Partial<Record<Reason, number>> {
  return Object.fromEntries(
    (Object.entries(counts) as [Reason, number][]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ) as Partial<Record<Reason, number>>;
}
