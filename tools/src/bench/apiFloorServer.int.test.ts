/**
 * The bare floor answers with exactly the rows the API's query functions read
 * (same statements, same values), on the API's seeded test projection; and 404
 * where the API would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { itemAppearances, itemById, itemLessons } from '@medly/api/queries/items';
import { paperById, paperItems } from '@medly/api/queries/papers';
import { userProfile } from '@medly/api/queries/users';
import { createMigratedDatabase, type MigratedDatabase } from '@medly/api/testing/migratedDatabase';
import { SEED, seedProjection } from '@medly/api/testing/seed';
import { freePort } from '@medly/shared/testing/freePort';
import { stop, waitUntilHealthy } from './serviceProcess.ts';

let database: MigratedDatabase;
let floor: ChildProcess;
let base: string;

test.before(async () => {
  database = await createMigratedDatabase('bench_floor');
  await seedProjection(database.pool);
  const port = await freePort();
  floor = spawn(process.execPath, ['tools/src/bench/apiFloorServer.ts'], {
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  base = `http://127.0.0.1:${String(port)}`;
  await waitUntilHealthy(base, floor, '(stderr)', 'the floor server');
});

test.after(async () => {
  await stop(floor);
  await database.drop();
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.json() };
}

/** As the rows go over the wire: JSON. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('/users/:id: the row userProfile reads', async () => {
  const { status, body } = await get(`/users/${SEED.uid}`);
  assert.is(status, 200);
  assert.equal(body, asJson({ userProfile: await userProfile(database.pool, SEED.uid) }));
});

test('/papers/:paperId: the paper and its items, as paperById and paperItems read them', async () => {
  const { status, body } = await get(`/papers/${SEED.paperId}`);
  assert.is(status, 200);
  assert.equal(body, asJson({ paperById: await paperById(database.pool, SEED.paperId), paperItems: await paperItems(database.pool, SEED.paperId) }));
});

test('/items/:questionID: the item, its appearances and lessons', async () => {
  const id = SEED.sharedItem;
  const { status, body } = await get(`/items/${encodeURIComponent(id)}`);
  assert.is(status, 200);
  assert.equal(
    body,
    asJson({
      itemById: await itemById(database.pool, id),
      itemAppearances: await itemAppearances(database.pool, id),
      itemLessons: await itemLessons(database.pool, id),
    }),
  );
});

test('an unknown id is a 404, as in the API', async () => {
  assert.is((await get('/users/nobody')).status, 404);
  assert.is((await get('/papers/nopaper')).status, 404);
  assert.is((await get('/items/noitem')).status, 404);
});

test.run();
