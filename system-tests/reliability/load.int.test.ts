/**
 * A short load run for CI (the measured one is system-tests/reliability/load.ts,
 * whose figures are in docs/RELIABILITY.md): the real API over a small
 * projection, 16 connections for 5 s across every read route. Asserts only
 * that nothing failed: no connection error, no timeout, nothing but 200.
 * No timing is asserted.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase } from '@medly/shared/testing/database';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { openSqlInspector } from '@medly/shared/testing/sqlInspector';
import { startApiProcess, type ApiProcess } from './apiProcess.ts';
import { FIGURES_HEADER, figuresRow, LOAD_API_SETTINGS, loadPaths, runLoad } from './loadRun.ts';
import { reportedHook } from './reportedHook.ts';
import { migrateAndSeed } from './seededDatabase.ts';

const logger = createLogger({ level: 'error', name: 'load-ci' });
let api: ApiProcess;
let paths: string[];
const cleanups: (() => Promise<unknown>)[] = [];

test.before(
  reportedHook(async () => {
    const { adminDatabaseUrl, kafkaBrokers } = await testServices();
    const database = await createTestDatabase(adminDatabaseUrl, 'load_ci');
    cleanups.push(() => database.drop());
    await migrateAndSeed(database.url, logger);
    const db = openSqlInspector(database.url);
    cleanups.push(() => db.close());
    paths = await loadPaths(db);
    api = await startApiProcess({ databaseUrl: database.url, kafkaBrokers, topicPrefix: uniqueTopicPrefix('load-ci'), ...LOAD_API_SETTINGS });
    cleanups.push(() => api.stop());
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test('16 connections for 5 s over every read route: no error, no timeout, every answer 200', async () => {
  const figures = await runLoad(api, paths, { connections: 16, durationSeconds: 5 });
  console.log(`${FIGURES_HEADER}\n${figuresRow('seed', figures)}`);
  assert.ok(figures.requests > 0);
  assert.is(figures.errors, 0);
  assert.is(figures.timeouts, 0);
  assert.is(figures.non2xx, 0);
  assert.equal(Object.keys(figures.statusCodes), ['200']);
  assert.ok(figures.routes.length >= 7, figures.routes.join(', '));
  assert.ok(api.alive());
});

test.run();
