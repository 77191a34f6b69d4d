/**
 * `pnpm run import` of the shared data, end to end against the real broker and
 * database (a throwaway database and a unique topic prefix): the issue's
 * counts, a second import that changes nothing, and a replay that rebuilds
 * the same content.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createLogger } from '@medly/shared/logger';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { differingTables, projectionChecksums, type ProjectionTable } from '@medly/projector/checksums';
import { replay } from '@medly/projector/replay';
import { appearancesByKind, countRows, importRun, unresolvedLessonIds } from '@medly/projector/testing/inspect';
import { migratedTestDatabase, type MigratedDatabase } from '@medly/projector/testing/migratedDatabase';
import { deleteTopicsUnder } from '@medly/projector/testing/topics';
import { runImport, type ImportOptions } from './runImport.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DATA_DIR = join(ROOT, 'data');
const logger = createLogger({ level: 'warn', name: 'import-test' });
const prefix = uniqueTopicPrefix('import');
let database: MigratedDatabase;
let options: ImportOptions;
let reportDir: string;

test.before(async () => {
  const { kafkaBrokers } = await testServices();
  database = await migratedTestDatabase('import');
  reportDir = await mkdtemp(join(tmpdir(), 'medly-import-'));
  options = {
    dataDir: DATA_DIR,
    databaseUrl: database.url,
    kafkaBrokers,
    topicPrefix: prefix,
    topicPartitions: 3,
    maxRecordBytes: 1024 * 1024,
    logger,
  };
});
test.after(async () => {
  await database.drop();
  await deleteTopicsUnder((await testServices()).kafkaBrokers, prefix);
});

const count = (table: ProjectionTable) => countRows(database.pool, table);

test('the first import projects the shared data with the expected counts and reports what it applied', async () => {
  const result = await runImport({ ...options, reportFile: join(reportDir, 'first.json') });
  assert.is(result.failed, false);
  const expected: Partial<Record<ProjectionTable, number>> = {
    subjects: 1,
    units: 8,
    topics: 25,
    lessons: 279,
    papers: 2,
    items: 5_184,
    item_appearances: 5_247,
    practice_banks: 280,
    users: 36,
    attempts: 1_061,
  };
  for (const [table, rows] of Object.entries(expected) as [ProjectionTable, number][]) assert.is(await count(table), rows, table);
  assert.ok((await count('questions')) >= 2_142, 'questions ≥ 2,142');

  assert.equal(await appearancesByKind(database.pool), { paper: 64, practice: 5_183 });
  assert.equal(await unresolvedLessonIds(database.pool), ['aqaGCSEBio9.9.99'], 'the only unresolved lesson');

  // The report: sources from the producers, tables from what was applied.
  const report = result.report;
  assert.is(report.sources.users?.read, 1_061);
  assert.is(report.sources.course?.read, 279);
  assert.is(report.sources.exams?.read, 64);
  assert.is(report.sources.practices?.read, 5_183);
  assert.equal(report.tables.attempts, { inserted: 1_061, updated: 0, unchanged: 0, deleted: 0 });
  // An item appearing in two places may be recomputed again when its second appearance comes in a later batch.
  assert.is(report.tables.items?.inserted, 5_184);
  assert.is(report.tables.item_appearances?.inserted, 5_247);
  assert.is(report.tables.lessons?.inserted, 279);
  assert.is(report.projectionWarnings.unknown_lesson, 1);
  assert.ok(report.elapsedMs > 0);
  const written = JSON.parse(await readFile(result.reportFile, 'utf8')) as typeof report;
  assert.equal(written.tables, report.tables);
  assert.equal(await importRun(database.pool, result.importRunId), { status: 'succeeded', hasReport: true });
});

test('a second import of the same data inserts and updates nothing', async () => {
  const before = await projectionChecksums(database.pool);
  const result = await runImport({ ...options, reportFile: join(reportDir, 'second.json') });
  for (const [table, counts] of Object.entries(result.report.tables)) {
    assert.is(counts.inserted, 0, `${table} inserted`);
    assert.is(counts.updated, 0, `${table} updated`);
  }
  assert.is(result.report.tables.attempts?.unchanged, 1_061);
  assert.is(result.report.tables.item_appearances?.unchanged, 5_247);
  // Nothing changed but the time of each source's latest snapshot.
  assert.equal(differingTables(before, await projectionChecksums(database.pool)), ['source_snapshots']);
});

test('the command reads only the importer\'s settings: a short API_TOKEN (an API setting) does not stop it', () => {
  const run = spawnSync(process.execPath, ['importer/src/main.ts', '--data-dir', DATA_DIR, '--report-file', join(reportDir, 'cli.json')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, API_TOKEN: 'short', PORT: 'eighty', DATABASE_URL: database.url, TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' },
  });
  assert.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^attempts\s+0\s+0\s+0\s+1,061$/m);
});

test('a replay empties the projections and rebuilds identical content', async () => {
  const result = await replay({
    databaseUrl: database.url,
    kafkaBrokers: options.kafkaBrokers,
    topicPrefix: prefix,
    topicPartitions: 3,
    logger,
  });
  assert.equal(result.differing, []);
  assert.equal(result.after, result.before);
  assert.is(result.after.attempts.rows, 1_061);
  assert.is(result.after.items.rows, 5_184);
});

test.run();
