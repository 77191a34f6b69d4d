/**
 * Exports are snapshots (DESIGN §3): versions of the export imported one
 * after another into one database end, after each, in exactly the tables a
 * fresh import of that version gives (the times records were first seen
 * aside, which rightly differ), and a replay afterwards reproduces
 * everything, those times included.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { createLogger } from '@medly/shared/logger';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { runImport, type ImportResult } from '@medly/importer/runImport';
import { differingTables, PROJECTION_TABLES, projectionChecksums } from '@medly/projector/checksums';
import { replay } from '@medly/projector/replay';
import { countRows } from '@medly/projector/testing/inspect';
import { migratedTestDatabase, type MigratedDatabase } from '@medly/projector/testing/migratedDatabase';
import { deleteTopicsUnder } from '@medly/projector/testing/topics';
import { BROKEN_LESSON, exportVersions, MOVED_PART, readExport, writeExport } from './exportVersions.ts';

const SHARED_DATA = resolve(import.meta.dirname, '../../data');
const MOVED_ITEM_BANKS = 'the part moved from one bank to another';
const logger = createLogger({ level: 'warn', name: 'snapshots-test' });
const prefixes: string[] = [];
const databases: MigratedDatabase[] = [];
let workDir: string;

test.before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'medly-snapshots-'));
});
test.after(async () => {
  const { kafkaBrokers } = await testServices();
  await Promise.all(databases.map((database) => database.drop()));
  for (const prefix of prefixes) await deleteTopicsUnder(kafkaBrokers, prefix);
});

async function target(label: string): Promise<{ database: MigratedDatabase; prefix: string }> {
  const database = await migratedTestDatabase(label);
  const prefix = uniqueTopicPrefix(label);
  databases.push(database);
  prefixes.push(prefix);
  return { database, prefix };
}

async function importInto(into: { database: MigratedDatabase; prefix: string }, dataDir: string, label: string): Promise<ImportResult> {
  const { kafkaBrokers } = await testServices();
  return runImport({
    dataDir,
    reportFile: join(workDir, `${label}.json`),
    databaseUrl: into.database.url,
    kafkaBrokers,
    topicPrefix: into.prefix,
    topicPartitions: 3,
    maxRecordBytes: 1024 * 1024,
    logger,
  });
}

/** The projection tables' content, without the times records were first seen. */
const contentOf = (database: MigratedDatabase) => projectionChecksums(database.pool, { withSeenTimes: false });

const seenRow = z.object({ first_seen_at: z.string() });
const firstSeenOfItem = (database: MigratedDatabase, questionId: string): Promise<string> =>
  database.pool.oneFirst(sql.type(seenRow)`SELECT first_seen_at::text FROM items WHERE question_id = ${questionId}`);

test('each version imported over the one before ends as a fresh import of it; removals are reported; a replay reproduces everything', async () => {
  const sequence = await target('snapshots_seq');
  const data = await readExport(SHARED_DATA);
  const reports: ImportResult[] = [];
  let movedItem: { questionId: string; firstSeenAt: string } | undefined;

  for (const [index, version] of exportVersions.entries()) {
    version.apply(data);
    const dataDir = join(workDir, `v${String(index)}`);
    await writeExport(data, dataDir);
    if (index === 2) {
      // v2 moved one part: the item it is keeps its identity and the time it was first seen.
      movedItem = { questionId: MOVED_PART.questionId, firstSeenAt: await firstSeenOfItem(sequence.database, MOVED_PART.questionId) };
    }

    const result = await importInto(sequence, dataDir, `seq-v${String(index)}`);
    reports.push(result);
    assert.is(result.failed, false, version.name);
    const fresh = await target(`snapshots_v${String(index)}`);
    await importInto(fresh, dataDir, `fresh-v${String(index)}`);
    // source_snapshots differs by design: the fresh import removed nothing.
    assert.equal(differingTables(await contentOf(sequence.database), await contentOf(fresh.database), PROJECTION_TABLES), [], version.name);
  }

  // v0 had a rejection; v1 fixed the lesson and withdrew records of every source.
  const [v0, v1, v2, v3] = reports.map((result) => result.report);
  assert.equal(v0?.sources.course?.rejected, { missing_lesson_id: 1 });
  assert.is(v1?.tables.rejections?.deleted, 1, 'the fixed lesson\'s rejection goes');
  assert.ok((v1?.sources.users?.removed ?? 0) > 5, 'a user\'s attempts and five more are tombstoned');
  assert.ok((v1?.tables.users?.deleted ?? 0) === 1, 'the user with no attempt left goes');
  for (const source of ['course', 'practices', 'exams'] as const) assert.ok((v1?.sources[source]?.removed ?? 0) > 0, source);
  assert.is(v1?.tables.lessons?.deleted, 1);
  assert.is(v1?.tables.lessons?.inserted, 1, 'the fixed lesson');
  assert.ok((v2?.tables.item_appearances?.deleted ?? 0) >= 1, MOVED_ITEM_BANKS);
  assert.is(v3?.tables.rejections?.inserted, 1, 'broken again');
  assert.ok(movedItem);
  assert.is(await firstSeenOfItem(sequence.database, movedItem.questionId), movedItem.firstSeenAt, MOVED_ITEM_BANKS);
  assert.is(await countRows(sequence.database.pool, 'lessons'), 277, `${BROKEN_LESSON} rejected again, one withdrawn, one added and withdrawn`);

  // A replay of the topics (tombstones and all) rebuilds every table, first-seen times included.
  const replayed = await replay({
    databaseUrl: sequence.database.url,
    kafkaBrokers: (await testServices()).kafkaBrokers,
    topicPrefix: sequence.prefix,
    topicPartitions: 3,
    logger,
  });
  assert.equal(replayed.differing, []);
  assert.equal(replayed.after, replayed.before);
});

test.run();
