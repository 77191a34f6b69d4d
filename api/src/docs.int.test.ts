/**
 * The docs page in a real browser (Debian's Chromium driven by playwright-core),
 * with every request to another origin blocked: it must render the route list
 * from local assets alone, with no script error and no CSP violation; and its
 * Authorize dialog must work: a user route tried without a token answers 401,
 * with a student's token entered there 200, the token sent as a bearer.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium, type Browser } from 'playwright-core';
import { createLogger } from '@medly/shared/logger';
import { createApp } from './app.ts';
import { createTestCredentials, type TestCredentials } from './testing/credentials.ts';
import { startTestServer, type TestServer } from './testing/http.ts';
import { createMigratedDatabase, type MigratedDatabase } from './testing/migratedDatabase.ts';
import { SEED, seedProjection } from './testing/seed.ts';
import { DOCUMENTED_ROUTES } from './testing/documentedRoutes.ts';
import { unusedProfileEvents } from './testing/profileEvents.ts';

let server: TestServer;
let browser: Browser;
let database: MigratedDatabase;
let credentials: TestCredentials;

test.before(async () => {
  await promisify(execFile)('bash', [resolve(import.meta.dirname, '../scripts/ensure-chromium.sh')], { timeout: 10 * 60_000 });
  database = await createMigratedDatabase('api_docs');
  await seedProjection(database.pool);
  credentials = await createTestCredentials();
  const { app } = createApp({
    pool: database.pool,
    config: credentials.appConfig(),
    logger: createLogger({ level: 'silent', name: 'api-test' }),
    kafka: { endOffsets: () => Promise.resolve([]) },
    profileEvents: unusedProfileEvents('unused'),
  });
  server = await startTestServer(app);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

test.after(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as TestServer | undefined)?.close();
  await (database as MigratedDatabase | undefined)?.drop();
});

test('/docs renders every route offline, with no error and no CSP violation', async () => {
  const context = await browser.newContext();
  const offsite: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('data:')) return route.continue();
    offsite.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  const response = await page.goto(`${server.url}/docs`);
  assert.is(response?.status(), 200);
  await page.waitForSelector('.opblock-summary-path', { timeout: 30_000 });

  // locators, not $$eval: the project's TypeScript has no DOM types
  const methods = await page.locator('.opblock .opblock-summary-method').allInnerTexts();
  const paths = await page.locator('.opblock .opblock-summary-path').evaluateAll((nodes) =>
    nodes.map((node) => (node as unknown as { dataset: Record<string, string> }).dataset.path ?? ''),
  );
  const routes = methods.map((method, index) => `${method} ${paths[index] ?? ''}`);
  assert.equal(routes.sort(), DOCUMENTED_ROUTES);
  assert.match(await page.title(), /Medly Ingest API/);
  assert.match((await page.textContent('.info .title')) ?? '', /Medly Ingest API/);

  // open one operation: its parameters render, limit with its bounds
  await page.click('#operations-users-listUserActivity .opblock-summary');
  await page.waitForSelector('#operations-users-listUserActivity .parameters', { timeout: 10_000 });
  const parameters = (await page.locator('#operations-users-listUserActivity .parameter__name').allInnerTexts()).map(
    (text) => text.split(/\s/)[0],
  );
  assert.equal(parameters, ['id', 'subject', 'paper', 'lesson', 'item', 'limit', 'cursor', 'if-none-match']);

  assert.equal(offsite, [], 'no request leaves the server');
  assert.equal(problems, [], 'no script error or CSP violation');
  await context.close();
});

test('/docs: Authorize with a bearer token, then "Try it out" on a user route sends it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sent: (string | undefined)[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith(`/users/${SEED.uid}`)) sent.push(request.headers().authorization);
  });
  await page.goto(`${server.url}/docs`);
  const operation = page.locator('#operations-users-getUser');
  await operation.locator('.opblock-summary').click();
  await operation.locator('button.try-out__btn').click();
  await operation.locator('input[placeholder="id"]').fill(SEED.uid);
  const execute = async () => {
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.first().waitFor({ timeout: 10_000 });
    return (await status.first().innerText()).trim();
  };
  assert.match(await execute(), /^401/, 'without a token');

  const token = await credentials.user(SEED.uid);
  await page.locator('.auth-wrapper button.authorize').click();
  const scheme = page.locator('.auth-container').filter({ hasText: 'userToken' });
  await scheme.locator('input').fill(token);
  await scheme.locator('button.authorize').click();
  await scheme.getByText('Authorized').waitFor({ timeout: 5_000 });
  await page.locator('.modal-ux button.btn-done').first().click();
  await operation.locator('button.btn-clear').click();
  assert.match(await execute(), /^200/, 'with the student\'s own token');
  assert.equal(sent, [undefined, `Bearer ${token}`]);
  await context.close();
});

test.run();
