import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emptySourceReport } from '@medly/producers/report';
import { formatMigrationReport, migrationReport } from './report.ts';

const users = { ...emptySourceReport(), files: ['user_data/u.json'], read: 1061, produced: 1061, warnings: { updated_before_created: 48 }, users: 36 };
const warnings = { conflicting_item_content: 60, unknown_lesson: 1, unresolved_question: 0 };

test('the report has the DESIGN §5 shape: sources, tables, elapsed time, and the projection warnings', () => {
  const report = migrationReport({
    produced: { sources: { users }, elapsedMs: 10 },
    tables: { attempts: { inserted: 1061, updated: 0, unchanged: 0, deleted: 0 } },
    projectionWarnings: warnings,
    elapsedMs: 99.4,
  });
  assert.equal(Object.keys(report), ['sources', 'tables', 'elapsedMs', 'projectionWarnings']);
  assert.equal(report.tables, { attempts: { inserted: 1061, updated: 0, unchanged: 0, deleted: 0 } });
  assert.is(report.elapsedMs, 99);
  assert.is(report.sources.users?.read, 1061);
});

test('printed as aligned tables: sources, tables, warnings, elapsed', () => {
  const text = formatMigrationReport(
    migrationReport({
      produced: { sources: { users }, elapsedMs: 10 },
      tables: { items: { inserted: 5000, updated: 2, unchanged: 0, deleted: 3 } },
      projectionWarnings: warnings,
      elapsedMs: 2500,
    }),
  );
  const lines = text.split('\n');
  assert.match(lines[0] ?? '', /^source\s+read\s+produced/);
  assert.ok(lines.some((line) => /^users \(36 uids\)\s+1,061\s+1,061\s+0\s+0\s+0\s+updated_before_created 48$/.test(line)), text);
  assert.ok(lines.some((line) => /^table\s+inserted\s+updated\s+deleted\s+unchanged$/.test(line)), text);
  assert.ok(lines.some((line) => /^items\s+5,000\s+2\s+3\s+0$/.test(line)), text);
  assert.ok(lines.includes('projection warnings: conflicting_item_content 60, unknown_lesson 1'), text);
  assert.is(lines.at(-1), 'elapsed 2.5 s');
});

test.run();
