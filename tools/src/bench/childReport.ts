/** Reading the JSON report `pnpm produce` and `pnpm import` write (DESIGN §5 shape), loosely: the bench only counts. */
import { readFile } from 'node:fs/promises';

export interface ReportCounts {
  /** Events produced (every source) plus rejections produced to the rejections topic. */
  events: number;
  read: number;
  rejected: number;
  /** Rows inserted + updated across the projection tables (import reports only). */
  rowsWritten: number;
  elapsedMs: number;
}

interface LooseReport {
  sources?: Record<string, { read?: number; produced?: number; rejected?: Record<string, number> }>;
  tables?: Record<string, { inserted?: number; updated?: number }>;
  elapsedMs?: number;
}

export async function readReportCounts(file: string): Promise<ReportCounts> {
  const report = JSON.parse(await readFile(file, 'utf8')) as LooseReport;
  const sources = Object.values(report.sources ?? {});
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const rejected = sum(sources.map((source) => sum(Object.values(source.rejected ?? {}))));
  return {
    events: sum(sources.map((source) => source.produced ?? 0)) + rejected,
    read: sum(sources.map((source) => source.read ?? 0)),
    rejected,
    rowsWritten: sum(Object.values(report.tables ?? {}).map((table) => (table.inserted ?? 0) + (table.updated ?? 0))),
    elapsedMs: report.elapsedMs ?? Number.NaN,
  };
}
