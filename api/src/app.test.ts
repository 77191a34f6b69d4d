import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import { ConnectionError } from 'slonik';
import type { DatabasePool } from '@medly/shared/db';
import { createLogger } from '@medly/shared/logger';
import { createApp, type AppDependencies } from './app.ts';
import { createProblemMiddleware } from './problem.ts';
import type { KafkaProbe } from './routes/health.ts';
import { anonymousAppConfig, createTestCredentials } from './testing/credentials.ts';
import { startTestServer, type TestServer } from './testing/http.ts';
import { unusedProfileEvents } from './testing/profileEvents.ts';

const logger = createLogger({ level: 'silent', name: 'api-test' });
const config = anonymousAppConfig({ TOPIC_PREFIX: 't.' });

/** Only what /health touches; every other route is exercised against Postgres in the *.int.test.ts files. */
const stubPool = (checkpoints: { topic: string; partition: number; offset: number }[]) =>
  ({
    oneFirst: () => Promise.resolve(1),
    any: () => Promise.resolve(checkpoints),
  }) as unknown as DatabasePool;

const probe = (ends: { topic: string; partition: number; offset: number }[] | Error): KafkaProbe => ({
  endOffsets: () => (ends instanceof Error ? Promise.reject(ends) : Promise.resolve(ends)),
});

async function withServer(deps: Partial<AppDependencies>, run: (server: TestServer) => Promise<void>): Promise<void> {
  const { app } = createApp({
    pool: stubPool([]),
    config,
    logger,
    kafka: probe([]),
    profileEvents: unusedProfileEvents('no broker in unit tests'),
    ...deps,
  });
  const server = await startTestServer(app);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

test('health: everything up, lag summed over partitions from the checkpoints', async () => {
  const pool = stubPool([
    { topic: 't.users.attempts', partition: 0, offset: 90 },
    { topic: 't.users.attempts', partition: 1, offset: 50 },
  ]);
  const kafka = probe([
    { topic: 't.users.attempts', partition: 0, offset: 100 },
    { topic: 't.users.attempts', partition: 1, offset: 50 },
    { topic: 't.curriculum.lessons', partition: 0, offset: 7 },
  ]);
  await withServer({ pool, kafka }, async (server) => {
    const response = await server.request('/health');
    assert.is(response.status, 200);
    assert.equal(await response.json(), { status: 'ok', db: 'up', kafka: 'up', projector: { lag: 17 } });
  });
});

test('health: the broker down is degraded (200), lag unknown', async () => {
  await withServer({ kafka: probe(new Error('broker gone')) }, async (server) => {
    const response = await server.request('/health');
    assert.is(response.status, 200);
    assert.equal(await response.json(), { status: 'degraded', db: 'up', kafka: 'down', projector: { lag: null } });
  });
});

test('health: the database down is a 503 problem carrying the health fields', async () => {
  const pool = {
    oneFirst: () => Promise.reject(new ConnectionError('connect ECONNREFUSED 127.0.0.1:5432')),
  } as unknown as DatabasePool;
  await withServer({ pool }, async (server) => {
    const response = await server.request('/health');
    assert.is(response.status, 503);
    assert.is(response.headers.get('content-type'), 'application/problem+json');
    assert.is(response.headers.get('retry-after'), '5');
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(
      [body.type, body.title, body.status, body.db, body.kafka, body.projector, body.instance, body.requestId],
      ['about:blank', 'Service Unavailable', 503, 'down', 'up', { lag: null }, '/health', response.headers.get('x-request-id')],
    );
  });
});

test('a database connection failure in a route is a 503 problem, not a 500', async () => {
  const app = new Koa();
  app.use(createProblemMiddleware());
  app.use(() => {
    throw new ConnectionError('connect ECONNREFUSED');
  });
  const server = await startTestServer(app);
  try {
    const response = await server.request('/anything');
    assert.is(response.status, 503);
    assert.is(((await response.json()) as { detail: string }).detail, 'A backing service is unavailable; try again shortly.');
  } finally {
    await server.close();
  }
});

test('an unknown route is a problem+json 404', async () => {
  await withServer({}, async (server) => {
    const response = await server.request('/nope?x=1');
    assert.is(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(
      { type: body.type, title: body.title, status: body.status, instance: body.instance },
      { type: 'about:blank', title: 'Not Found', status: 404, instance: '/nope' },
    );
  });
});

test('a known path with another method is a problem+json 405 with Allow', async () => {
  await withServer({}, async (server) => {
    const response = await server.request('/health', { method: 'DELETE' });
    assert.is(response.status, 405);
    assert.match(response.headers.get('allow') ?? '', /GET/);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.is(((await response.json()) as { status: number }).status, 405);
  });
});

test('request ids: a sane incoming one is echoed, a hostile one replaced', async () => {
  await withServer({}, async (server) => {
    const kept = await server.request('/health', { headers: { 'x-request-id': 'trace-123.abc' } });
    assert.is(kept.headers.get('x-request-id'), 'trace-123.abc');
    const replaced = await server.request('/health', { headers: { 'x-request-id': 'a b\u00e9'.repeat(3) } });
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const generated = await server.request('/nope');
    assert.is(((await generated.json()) as { requestId: string }).requestId, generated.headers.get('x-request-id'));
  });
});

test('security headers are on every response, errors included', async () => {
  await withServer({}, async (server) => {
    for (const path of ['/health', '/nope', '/docs']) {
      const response = await server.request(path);
      assert.is(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.is(response.headers.get('x-frame-options'), 'DENY', path);
      assert.is(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/, path);
      assert.is(response.headers.get('x-powered-by'), null, path);
    }
  });
});

test('CORS is closed by default and open only to configured origins', async () => {
  await withServer({}, async (server) => {
    const response = await server.request('/health', { headers: { origin: 'https://evil.example' } });
    assert.is(response.headers.get('access-control-allow-origin'), null);
  });
  await withServer({ config: anonymousAppConfig({ TOPIC_PREFIX: 't.', CORS_ORIGINS: 'https://app.example' }) }, async (server) => {
    const allowed = await server.request('/health', { headers: { origin: 'https://app.example' } });
    assert.is(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    const preflight = await server.request('/users/u1', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'PATCH' },
    });
    assert.is(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    const other = await server.request('/health', { headers: { origin: 'https://evil.example' } });
    assert.is(other.headers.get('access-control-allow-origin'), null);
  });
});

test('/openapi.json is an OpenAPI 3.1 document; /docs and its assets are served locally', async () => {
  await withServer({}, async (server) => {
    const document = (await (await server.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.is(document.openapi, '3.1.0');
    assert.ok(document.paths['/health']);
    const page = await server.request('/docs');
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.not.match(html, /https?:\/\//, 'no external URL in the page');
    for (const asset of ['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/init.js', '/docs/favicon-32x32.png']) {
      const response = await server.request(asset);
      assert.is(response.status, 200, asset);
      assert.ok((await response.arrayBuffer()).byteLength > 100, asset);
    }
    assert.is((await server.request('/docs/package.json')).status, 404, 'only the listed assets are served');
    assert.is((await server.request('/docs/..%2Fpackage.json')).status, 404);
  });
});

test('user routes need a credential: 401 with a Bearer challenge, 403 for another student; no query runs first', async () => {
  const credentials = await createTestCredentials();
  const untouchable = new Proxy({}, { get: () => () => Promise.reject(new Error('no query may run')) }) as DatabasePool;
  await withServer({ pool: untouchable, config: credentials.appConfig({ TOPIC_PREFIX: 't.' }) }, async (server) => {
    for (const path of ['/users/u1', '/users/u1/activity', '/users/u1/progress']) {
      const anonymous = await server.request(path);
      assert.is(anonymous.status, 401, path);
      assert.is(anonymous.headers.get('www-authenticate'), 'Bearer realm="medly"');
      assert.match(anonymous.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const other = await server.request(path, { headers: { authorization: `Bearer ${await credentials.user('u2')}` } });
      assert.is(other.status, 403, path);
      assert.match(other.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
      assert.is(other.headers.get('cache-control'), 'private, no-store');
    }
    const expired = await server.request('/users/u1', { headers: { authorization: `Bearer ${await credentials.expired('u1')}` } });
    assert.is(expired.status, 401);
    assert.match(expired.headers.get('www-authenticate') ?? '', /^Bearer realm="medly", error="invalid_token", error_description="The token has expired."$/);
    // a public route ignores a bad credential
    assert.is((await server.request('/openapi.json', { headers: { authorization: 'Bearer nonsense' } })).status, 200);
  });
});

test('rate limit: past RATE_LIMIT_REQUESTS a client gets 429 problem+json with Retry-After; other clients go on', async () => {
  const credentials = await createTestCredentials();
  const config = credentials.appConfig({ TOPIC_PREFIX: 't.', RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
  await withServer({ config }, async (server) => {
    for (let index = 0; index < 3; index += 1) assert.is((await server.request('/health')).status, 200);
    const limited = await server.request('/health');
    assert.is(limited.status, 429);
    assert.match(limited.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.is(((await limited.json()) as { status: number }).status, 429);
    assert.is((await server.request('/nope')).status, 429, 'every route, unknown ones too');
    // a made-up token is no way around it: unverified callers are counted by address
    assert.is((await server.request('/health', { headers: { authorization: 'Bearer made-up-token-123456' } })).status, 429);
    // a verified caller is counted as itself
    const service = await server.request('/health', { headers: { authorization: `Bearer ${credentials.serviceReader}` } });
    assert.is(service.status, 200);
  });
});

test.run();
