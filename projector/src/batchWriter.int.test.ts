/**
 * The batch writer on a real database: slonik tokens run on its pg client as
 * slonik runs them, a failed transaction leaves nothing, and upserts into one
 * table twice in one transaction each see only their own rows.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaValidationError, sql } from 'slonik';
import { DatabaseError } from '@medly/shared/dbErrors';
import { z } from 'zod';
import { createTableWriter, type TableSpec } from './tableWriter.ts';
import { migratedTestDatabase, type MigratedDatabase } from './testing/migratedDatabase.ts';

let database: MigratedDatabase;
test.before(async () => {
  database = await migratedTestDatabase('batch_writer');
});
test.after(async () => {
  await database.drop();
});

interface ProbeRow {
  id: string;
  value: number;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: number;
}

const probeTable: TableSpec<ProbeRow> = {
  table: 'writer_probe',
  key: ['id'],
  columns: { id: 'text', value: 'integer', kafka_topic: 'text', kafka_partition: 'integer', kafka_offset: 'bigint' },
};

const probeWriter = createTableWriter(probeTable);

const probe = (id: string, value: number, offset = 0): ProbeRow => ({ id, value, kafka_topic: 't', kafka_partition: 0, kafka_offset: offset });

test.before(async () => {
  await database.writer.transaction((connection) =>
    connection.query(sql.unsafe`
      CREATE TABLE writer_probe (id text PRIMARY KEY, value integer, kafka_topic text, kafka_partition integer, kafka_offset bigint,
        first_seen_at timestamptz)`),
  );
});

test('slonik tokens run with their bindings; int8 comes back as a number; one() wants exactly one row', async () => {
  await database.writer.transaction(async (connection) => {
    const row = await connection.one(sql.type(z.object({ big: z.number(), text: z.string() }))`
      SELECT ${String(2 ** 40)}::int8 AS big, ${'a'} || ${'b'} AS text`);
    assert.equal(row, { big: 2 ** 40, text: 'ab' });
    assert.is(await connection.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT ${7}::int AS n`), 7);
    assert.equal(
      await connection.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT unnest(${sql.array(['x', 'y'], 'text')}) AS id`),
      ['x', 'y'],
    );
    try {
      await connection.one(sql.type(z.object({ n: z.number() }))`SELECT 1 AS n WHERE false`);
      assert.unreachable('one() accepted no rows');
    } catch (error) {
      assert.match(String(error), /exactly one row, got 0/);
    }
  });
});

test('rows are checked against the token’s schema, as on the slonik pools', async () => {
  try {
    await database.writer.transaction((connection) => connection.one(sql.type(z.object({ n: z.string() }))`SELECT 1 AS n`));
    assert.unreachable('a number passed as a string');
  } catch (error) {
    assert.instance(error, DatabaseError);
    assert.instance((error as DatabaseError).cause, SchemaValidationError);
  }
});

test('an error rolls the whole transaction back and is rethrown', async () => {
  try {
    await database.writer.transaction(async (connection) => {
      await probeWriter.upsert(connection, [probe('rolled-back', 1)], []);
      await connection.query(sql.unsafe`SELECT 1 / 0`);
    });
    assert.unreachable('the transaction committed');
  } catch (error) {
    assert.match(String(error), /division by zero/);
  }
  const count = await database.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM writer_probe`);
  assert.is(count, 0);
});

test('two upserts into one table in one transaction each count only their own rows', async () => {
  const [first, second] = await database.writer.transaction(async (connection) => [
    await probeWriter.upsert(connection, [probe('a', 1), probe('b', 1)], []),
    await probeWriter.upsert(connection, [probe('b', 2), probe('c', 1)], []),
  ]);
  assert.equal({ ...first, changed: first.changed.map((row) => row.id) }, { inserted: 2, updated: 0, unchanged: 0, deleted: 0, changed: ['a', 'b'] });
  assert.equal({ ...second, changed: second.changed.map((row) => row.id) }, { inserted: 1, updated: 1, unchanged: 0, deleted: 0, changed: ['b', 'c'] });
  // Provenance alone is not a change.
  const third = await database.writer.transaction((connection) => probeWriter.upsert(connection, [probe('a', 1, 99)], []));
  assert.equal({ inserted: third.inserted, updated: third.updated, unchanged: third.unchanged }, { inserted: 0, updated: 0, unchanged: 1 });
});

test.run();
