/**
 * Nothing is removed by mistake (DESIGN §3): only a complete read of a
 * source may remove its keys. A file that fails to parse, a run limited with
 * --source, an interrupted import: none removes a key. A snapshot that would
 * remove more than half of a source's keys, or that holds an empty file, is
 * refused with the counts named, until the user says --allow-removals.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '@medly/shared/logger';
import type { SourceName } from '@medly/shared/reasons';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { runImport, type ImportResult } from '@medly/importer/runImport';
import { catchUp } from '@medly/projector/catchUp';
import { countRows } from '@medly/projector/testing/inspect';
import { migratedTestDatabase, type MigratedDatabase } from '@medly/projector/testing/migratedDatabase';
import { deleteTopicsUnder } from '@medly/projector/testing/topics';
import { readExport, withoutUsers, writeExport, type Export } from './exportVersions.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const logger = createLogger({ level: 'error', name: 'snapshot-safety-test' });
const prefix = uniqueTopicPrefix('snapshot_safety');
let database: MigratedDatabase;
let workDir: string;
let shared: Export;
let versions = 0;

test.before(async () => {
  database = await migratedTestDatabase('snapshot_safety');
  workDir = await mkdtemp(join(tmpdir(), 'medly-snapshot-safety-'));
  shared = await readExport(join(ROOT, 'data'));
  const first = await importVersion(await exportFolder());
  assert.is(first.failed, false);
});
test.after(async () => {
  await database.drop();
  await deleteTopicsUnder((await testServices()).kafkaBrokers, prefix);
});

/** Writes a version of the export (changed by `change`) and returns its folder. */
async function exportFolder(change: (data: Export) => void = () => undefined): Promise<string> {
  const data = structuredClone(shared);
  change(data);
  versions += 1;
  const dataDir = join(workDir, `v${String(versions)}`);
  await writeExport(data, dataDir);
  return dataDir;
}

async function importVersion(dataDir: string, options: { sources?: SourceName[]; allowRemovals?: boolean } = {}): Promise<ImportResult> {
  const { kafkaBrokers } = await testServices();
  return runImport({
    dataDir,
    reportFile: join(workDir, `report-${String(versions)}.json`),
    databaseUrl: database.url,
    kafkaBrokers,
    topicPrefix: prefix,
    topicPartitions: 3,
    maxRecordBytes: 1024 * 1024,
    logger,
    ...options,
  });
}

const lessUsers = (count: number) => (data: Export) => {
  withoutUsers(data, count);
};
const withoutFirstBank = (data: Export) => {
  data.practices.shift();
};

test('a source file that fails to parse removes nothing of its source; the others are still snapshots', async () => {
  const banks = await countRows(database.pool, 'practice_banks');
  const dataDir = await exportFolder(withoutFirstBank);
  await writeFile(join(dataDir, 'curriculum_data/aqaGCSEBio_practices.json'), '[{"lessonID": "x", ');
  const result = await importVersion(dataDir);
  assert.is(result.failed, true);
  assert.is(result.report.sources.practices?.snapshot, 'partial');
  assert.is(result.report.sources.practices?.removed, 0);
  assert.is(await countRows(database.pool, 'practice_banks'), banks, 'every bank is still there');
  assert.is(result.report.sources.users?.snapshot, 'taken');
});

test('a run limited with --source removes nothing, even of the source it read', async () => {
  const attempts = await countRows(database.pool, 'attempts');
  const result = await importVersion(await exportFolder(lessUsers(1)), { sources: ['users'] });
  assert.is(result.report.sources.users?.snapshot, 'partial');
  assert.match(result.report.sources.users?.snapshotNote ?? '', /--source removes nothing/);
  assert.is(await countRows(database.pool, 'attempts'), attempts);
});

test('removing more than half of a source\'s keys is refused with the counts named, then applied with --allow-removals', async () => {
  const attempts = await countRows(database.pool, 'attempts');
  const dataDir = await exportFolder(lessUsers(30));
  const refused = await importVersion(dataDir);
  assert.is(refused.failed, true);
  assert.is(refused.report.sources.users?.snapshot, 'refused');
  assert.match(refused.report.sources.users?.snapshotNote ?? '', /would remove \d+ of its 1061 keys \(more than half of them\)/);
  assert.is(await countRows(database.pool, 'attempts'), attempts, 'nothing removed');

  const allowed = await importVersion(dataDir, { allowRemovals: true });
  assert.is(allowed.failed, false);
  assert.is(allowed.report.sources.users?.snapshot, 'taken');
  assert.is(await countRows(database.pool, 'attempts'), attempts - (allowed.report.sources.users?.removed ?? 0));
  assert.is(await countRows(database.pool, 'users'), 6);
  // Back to the whole export for the next cases.
  assert.is((await importVersion(await exportFolder())).failed, false);
  assert.is(await countRows(database.pool, 'attempts'), attempts);
});

test('an empty file is refused, however few keys it would remove', async () => {
  const lessons = await countRows(database.pool, 'lessons');
  const dataDir = await exportFolder((data) => {
    data.course = [];
  });
  const refused = await importVersion(dataDir);
  assert.is(refused.report.sources.course?.snapshot, 'refused');
  assert.match(refused.report.sources.course?.snapshotNote ?? '', /aqaGCSEBio_course\.json holds no records/);
  assert.is(await countRows(database.pool, 'lessons'), lessons);
});

test('an import killed while it produces removes nothing; the next complete one does', async () => {
  const attempts = await countRows(database.pool, 'attempts');
  const dataDir = await exportFolder(lessUsers(1));
  const { kafkaBrokers } = await testServices();
  const env = { ...process.env, DATABASE_URL: database.url, KAFKA_BROKERS: kafkaBrokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, ['importer/src/main.ts', '--data-dir', dataDir, '--report-file', join(workDir, 'killed.json')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Killed once the first source is produced: tombstones would come only after every source is read.
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('source done')) child.kill('SIGKILL');
    });
    child.on('exit', () => {
      resolve();
    });
  });
  assert.is(child.signalCode, 'SIGKILL', 'killed mid-run, not finished');
  await catchUp({ databaseUrl: database.url, kafkaBrokers, topicPrefix: prefix, topicPartitions: 3, logger });
  assert.is(await countRows(database.pool, 'attempts'), attempts, 'whatever reached the topics, no attempt was removed');

  const complete = await importVersion(dataDir);
  assert.is(complete.failed, false);
  assert.ok((complete.report.sources.users?.removed ?? 0) > 0);
  assert.is(await countRows(database.pool, 'attempts'), attempts - (complete.report.sources.users?.removed ?? 0));
});

test.run();
