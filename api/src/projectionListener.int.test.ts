/**
 * The listener against a real, migrated Postgres: what migration 0006
 * announces (committed writes of curriculum tables, TRUNCATE included; not a
 * rolled-back one, not attempts), what migration 0007 announces (the uids
 * of committed attempt and profile changes; '' for TRUNCATE), and the
 * listener's connection killed, noticed and opened again. Announcements
 * arrive in commit order, so one that is absent is shown absent by a later
 * one that arrives.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { createLogger } from '@medly/shared/logger';
import { createProjectionListener, type ProjectionListener } from './projectionListener.ts';
import { createMigratedDatabase, type MigratedDatabase } from './testing/migratedDatabase.ts';
import { seedProjection, SEED } from './testing/seed.ts';
import { waitFor } from './testing/waitFor.ts';

let database: MigratedDatabase;
let listener: ProjectionListener;
const heard: string[] = [];
const heardUsers: string[] = [];
const listening: boolean[] = [];

/** Commits a write of `source_snapshots` (announced) and waits for it: whatever was announced before has arrived. */
async function marker(): Promise<void> {
  const before = heard.length;
  await database.pool.query(sql.unsafe`DELETE FROM source_snapshots WHERE false`);
  await waitFor('the marker', () => heard.length > before && heard.at(-1) === 'source_snapshots');
  heard.length = 0;
}

test.before(async () => {
  database = await createMigratedDatabase('api_listener');
  await seedProjection(database.pool);
  listener = createProjectionListener({
    databaseUrl: database.url,
    logger: createLogger({ level: 'silent', name: 'listener-test' }),
    onChange: (table) => heard.push(table),
    onUserChange: (uid) => heardUsers.push(uid),
    onListening: (now) => listening.push(now),
    minBackoffMs: 50,
  });
  listener.start();
  await waitFor('the listener', () => listening.at(-1) === true);
});

test.after(async () => {
  await (listener as ProjectionListener | undefined)?.stop();
  await (database as MigratedDatabase | undefined)?.drop();
});

test('a committed statement on a curriculum table is announced once per table and transaction, even one that changed no row', async () => {
  await marker();
  await database.pool.transaction(async (transaction) => {
    await transaction.query(sql.unsafe`UPDATE lessons SET title = title WHERE false`);
    await transaction.query(sql.unsafe`DELETE FROM lessons WHERE false`);
    await transaction.query(sql.unsafe`UPDATE items SET text = text WHERE false`);
  });
  await waitFor('both tables', () => heard.length >= 2);
  assert.equal([...heard].sort(), ['items', 'lessons']);
  await marker();
});

test('a rolled-back write announces nothing; attempts and users announce nothing on the curriculum\'s channel', async () => {
  await marker();
  await database.pool
    .transaction(async (transaction) => {
      await transaction.query(sql.unsafe`UPDATE papers SET series = series WHERE false`);
      throw new Error('roll back');
    })
    .catch(() => undefined);
  await database.pool.query(sql.unsafe`UPDATE attempts SET uid = uid WHERE false`);
  await database.pool.query(sql.unsafe`UPDATE users SET display_name = display_name WHERE false`);
  const before = heard.length;
  await database.pool.query(sql.unsafe`DELETE FROM source_snapshots WHERE false`);
  await waitFor('the marker', () => heard.length > before);
  assert.equal(heard, ['source_snapshots'], 'nothing before the marker');
  heard.length = 0;
});

test('a user\'s committed attempts or profile are announced by uid, each once per transaction; a rolled-back change is not', async () => {
  await marker();
  heardUsers.length = 0;
  await database.pool
    .transaction(async (transaction) => {
      await transaction.query(sql.unsafe`UPDATE attempts SET user_mark = user_mark WHERE uid = ${SEED.uid}`);
      throw new Error('roll back');
    })
    .catch(() => undefined);
  await database.pool.transaction(async (transaction) => {
    await transaction.query(sql.unsafe`UPDATE attempts SET user_mark = user_mark WHERE uid = ${SEED.uid}`);
    await transaction.query(sql.unsafe`UPDATE users SET display_name = display_name WHERE uid IN (${SEED.uid}, ${SEED.idleUid})`);
  });
  await database.pool.query(sql.unsafe`DELETE FROM source_snapshots WHERE false`);
  await waitFor('the marker', () => heard.length > 0);
  assert.equal(heard, ['source_snapshots'], 'nothing else on the curriculum\'s channel');
  assert.equal([...heardUsers].sort(), [SEED.uid, SEED.idleUid], `${String(SEED.attemptCount)} attempts and a profile of ${SEED.uid}: one announcement`);
  heard.length = 0;
  heardUsers.length = 0;
  await database.pool.query(sql.unsafe`DELETE FROM attempts WHERE uid = ${SEED.uid} AND path = (SELECT min(path) FROM attempts WHERE uid = ${SEED.uid})`);
  await waitFor('the deletion', () => heardUsers.length >= 1);
  assert.equal(heardUsers, [SEED.uid]);
});

test('TRUNCATE (replay) is announced', async () => {
  await marker();
  await database.pool.query(sql.unsafe`TRUNCATE item_appearances, item_lessons`);
  await waitFor('both tables', () => heard.length >= 2);
  assert.equal([...heard].sort(), ['item_appearances', 'item_lessons']);
  heardUsers.length = 0;
  await database.pool.query(sql.unsafe`TRUNCATE attempts`);
  await waitFor('every user', () => heardUsers.length >= 1);
  assert.equal(heardUsers, [''], 'every user, in one announcement');
});

test('its backend terminated: lost at once, back on a new connection, and heard again; stopped: lost and not back', async () => {
  const pid = listener.backendPid;
  assert.ok(pid);
  listening.length = 0;
  await database.pool.query(sql.unsafe`SELECT pg_terminate_backend(${pid})`);
  await waitFor('the loss', () => listening.includes(false));
  await waitFor('the return', () => listening.at(-1) === true);
  assert.equal(listening, [false, true]);
  assert.is.not(listener.backendPid, pid);
  await marker();

  await listener.stop();
  assert.is(listening.at(-1), false);
  assert.is(listener.backendPid, undefined);
  await sleep(300);
  assert.is(listening.at(-1), false, 'no reconnection after stop');
});

test.run();
