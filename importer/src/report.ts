/**
 * The migration report (DESIGN §5): the producers' sources half, the tables
 * half (what the projector applied during the run, from projection_stats),
 * the warnings only the projected state can tell, and the elapsed time.
 * Assembled here and nowhere else; printed as tables and written as JSON.
 *
 *   { "sources": { "<source>": { read, produced, deduplicated, rejected, warnings, … } },
 *     "tables": { "<table>": { inserted, updated, deleted, unchanged } },
 *     "elapsedMs": n,
 *     "projectionWarnings": { code: n } }
 */
import {
  buildReport,
  formatCount,
  formatElapsed,
  formatReasons,
  formatSources,
  textTable,
  type ProduceReport,
} from '@medly/producers/report';
import type { ProjectionWarnings, TableCounts } from '@medly/shared/progress';

export interface MigrationReport extends ProduceReport {
  tables: Record<string, TableCounts>;
  projectionWarnings: Record<keyof ProjectionWarnings, number>;
}

export function migrationReport(parts: {
  produced: ProduceReport;
  tables: Record<string, TableCounts>;
  projectionWarnings: ProjectionWarnings;
  elapsedMs: number;
}): MigrationReport {
  const { sources } = buildReport(parts.produced);
  return { sources, tables: parts.tables, elapsedMs: Math.round(parts.elapsedMs), projectionWarnings: { ...parts.projectionWarnings } };
}

export function formatMigrationReport(report: MigrationReport): string {
  const tableRows = Object.entries(report.tables).map(([name, counts]) => [
    name,
    formatCount(counts.inserted),
    formatCount(counts.updated),
    formatCount(counts.deleted),
    formatCount(counts.unchanged),
  ]);
  return [
    ...formatSources(report),
    '',
    ...textTable(['table', 'inserted', 'updated', 'deleted', 'unchanged'], tableRows, [1, 2, 3, 4]),
    '',
    `projection warnings: ${formatReasons(report.projectionWarnings)}`,
    '',
    formatElapsed(report.elapsedMs),
  ].join('\n');
}
