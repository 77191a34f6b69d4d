/**
 * Order independence (DESIGN §5): the shared data imported source by source in
 * the worst order — attempts before the items they answer, items before the
 * lessons they link to — ends in the same database, table by table, as the
 * natural order. Each order has its own topics and its own database.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '@medly/shared/logger';
import { readProjectionWarnings } from '@medly/shared/progress';
import type { SourceName } from '@medly/shared/reasons';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { differingTables, PROJECTION_TABLES, projectionChecksums } from '@medly/projector/checksums';
import { countRows, unresolvedLessonIds } from '@medly/projector/testing/inspect';
import { migratedTestDatabase, type MigratedDatabase } from '@medly/projector/testing/migratedDatabase';
import { deleteTopicsUnder } from '@medly/projector/testing/topics';
import { runImport } from '@medly/importer/runImport';

const DATA_DIR = resolve(import.meta.dirname, '../../data');
const logger = createLogger({ level: 'warn', name: 'order-test' });
const prefixes = { natural: uniqueTopicPrefix('order_natural'), reversed: uniqueTopicPrefix('order_reversed') };
const databases: MigratedDatabase[] = [];
let reportDir: string;

test.before(async () => {
  reportDir = await mkdtemp(join(tmpdir(), 'medly-order-'));
});
test.after(async () => {
  const { kafkaBrokers } = await testServices();
  await Promise.all(databases.map((database) => database.drop()));
  for (const prefix of Object.values(prefixes)) await deleteTopicsUnder(kafkaBrokers, prefix);
});

async function importInto(database: MigratedDatabase, prefix: string, sources: SourceName[] | undefined, label: string) {
  const { kafkaBrokers } = await testServices();
  return runImport({
    dataDir: DATA_DIR,
    sources,
    reportFile: join(reportDir, `${label}.json`),
    databaseUrl: database.url,
    kafkaBrokers,
    topicPrefix: prefix,
    topicPartitions: 3,
    maxRecordBytes: 1024 * 1024,
    logger,
  });
}

test('attempts, then items, then lessons end in the same tables as the natural order', async () => {
  const natural = await migratedTestDatabase('order_natural');
  const reversed = await migratedTestDatabase('order_reversed');
  databases.push(natural, reversed);

  await importInto(natural, prefixes.natural, undefined, 'natural');

  await importInto(reversed, prefixes.reversed, ['users'], 'attempts');
  assert.is(await countRows(reversed.pool, 'attempts'), 1_061);
  assert.is(await countRows(reversed.pool, 'users'), 36);
  assert.is(await countRows(reversed.pool, 'items'), 0);
  assert.is((await readProjectionWarnings(reversed.pool)).unresolved_question, 1_061, 'every attempt waits for its item');

  await importInto(reversed, prefixes.reversed, ['practices', 'exams'], 'items');
  assert.is(await countRows(reversed.pool, 'items'), 5_184);
  assert.is(await countRows(reversed.pool, 'lessons'), 0);
  assert.is((await readProjectionWarnings(reversed.pool)).unresolved_question, 0, 'the attempts found their items');
  assert.ok((await unresolvedLessonIds(reversed.pool)).length > 250, 'links wait for their lessons');

  await importInto(reversed, prefixes.reversed, ['course'], 'lessons');
  assert.equal(await unresolvedLessonIds(reversed.pool), ['aqaGCSEBio9.9.99'], 'the links resolved by themselves');

  // Two imports at different times: the same content, first seen at different times.
  const [a, b] = [await projectionChecksums(natural.pool, { withSeenTimes: false }), await projectionChecksums(reversed.pool, { withSeenTimes: false })];
  // Runs limited with --source take no snapshot: source_snapshots is not compared.
  assert.equal(differingTables(a, b, PROJECTION_TABLES), []);
  assert.is(b.items.rows, 5_184);
  assert.is(b.units.rows, 8);
  assert.is(b.subjects.rows, 1);
});

test.run();
