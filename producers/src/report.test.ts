import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, defaultReportFile, emptySourceReport, formatReport, hasFailures, writeReport } from './report.ts';

const users = { ...emptySourceReport(), files: ['user_data/u.json'], read: 1061, produced: 1061, warnings: { updated_before_created: 48, invalid_timestamp: 2 }, users: 36 };
const practices = { ...emptySourceReport(), read: 5183, produced: 7590, deduplicated: 1, rejected: { too_large: 1, missing_question_id: 2 } };

test('the report has the DESIGN §5 shape, reasons in a stable order', () => {
  const report = buildReport({ sources: { users, practices }, elapsedMs: 1234.4 });
  assert.equal(Object.keys(report), ['sources', 'elapsedMs']);
  assert.is(report.elapsedMs, 1234);
  assert.equal(Object.keys(report.sources.users?.warnings ?? {}), ['invalid_timestamp', 'updated_before_created']);
  assert.equal(Object.keys(report.sources.practices?.rejected ?? {}), ['missing_question_id', 'too_large']);
  assert.is(hasFailures(report), false);
  assert.is(hasFailures(buildReport({ sources: { users: { ...users, failures: [{ file: 'f', message: 'm' }] } }, elapsedMs: 0 })), true);
});

test('printed as an aligned table', () => {
  const text = formatReport(
    buildReport({ sources: { users, practices: { ...practices, failures: [{ file: 'p', message: 'p: invalid JSON at line 3' }] } }, elapsedMs: 2500 }),
  );
  const lines = text.split('\n');
  assert.match(lines[0] ?? '', /^source\s+read\s+produced\s+deduplicated\s+removed\s+rejected\s+warnings$/);
  assert.ok(lines.some((line) => /^users \(36 uids\)\s+1,061\s+1,061\s+0\s+0\s+0\s+invalid_timestamp 2, updated_before_created 48$/.test(line)), text);
  assert.ok(lines.some((line) => /^practices\s+5,183\s+7,590\s+1\s+0\s+missing_question_id 2, too_large 1\s+0$/.test(line)), text);
  assert.ok(lines.includes('FAILED practices: p: invalid JSON at line 3'));
  assert.is(lines.at(-1), 'elapsed 2.5 s');
});

test('written as JSON under reports/ by default, or where asked', async () => {
  assert.is(defaultReportFile('produce', new Date('2025-09-15T07:53:09.441Z')), join('reports', 'produce-2025-09-15T07-53-09Z.json'));
  const folder = await mkdtemp(join(tmpdir(), 'report-'));
  try {
    const file = join(folder, 'nested', 'r.json');
    const report = buildReport({ sources: { users }, elapsedMs: 5 });
    await writeReport(report, file);
    assert.equal(JSON.parse(await readFile(file, 'utf8')), report);
  } finally {
    await rm(folder, { recursive: true });
  }
});

test.run();
