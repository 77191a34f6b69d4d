/**
 * The floor loads every row the import left, awkward text included, into a
 * migrated database (the load's own row counts, not the dump's), writes its
 * per-table figures beside the run's logs and removes its dumps.
 */
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { testServices } from '@medly/shared/testing/services';
import { createBenchDatabase } from './benchDatabase.ts';
import { measureWriteFloor } from './floorBench.ts';

test('the floor loads the imported rows of every table and keeps only its figures', async () => {
  const { adminDatabaseUrl } = await testServices();
  const runDir = await mkdtemp(join(tmpdir(), 'floor-'));
  const source = await createBenchDatabase(adminDatabaseUrl, 'floor_source');
  try {
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    try {
      await client.query(`INSERT INTO subjects (subject_id, title, first_seen_at) VALUES ('bio', E'tab\\there \\\\ é', now()), ('chem', NULL, now())`);
      await client.query(`INSERT INTO users (uid, metadata, first_seen_at) VALUES ('u1', '{"a": "x\\ty", "b": [1, null]}', now())`);
    } finally {
      await client.end();
    }
    const context = { adminUrl: adminDatabaseUrl, kafkaBrokers: [], dataRoot: tmpdir(), runDir, log: () => undefined };
    const floor = await measureWriteFloor(context, 7, source.url);
    assert.is(floor.rows, 3);
    assert.ok(floor.bytes > 20);
    assert.ok(floor.seconds > 0);
    const figures = JSON.parse(await readFile(join(runDir, 'floor-7.json'), 'utf8')) as { tables: { table: string; rows: number }[] };
    assert.is(figures.tables.find((table) => table.table === 'subjects')?.rows, 2);
    assert.is(figures.tables.length, 14);
    await access(join(runDir, 'floor-7')).then(
      () => {
        assert.unreachable('the dumps stay');
      },
      () => undefined,
    );
  } finally {
    await source.drop();
    await rm(runDir, { recursive: true, force: true });
  }
});

test.run();
