/**
 * The router's entity tags and response cache, on a route of its own: the tag
 * derived from the bytes sent, 304, no-cache, hits that never reach the
 * handler, and what is never kept (errors, answers of a read a change
 * straddled, a private route's).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import { createAuthenticator } from './auth/authenticator.ts';
import { ifNoneMatchHeader } from './entityTag.ts';
import { createAuthentication } from './middleware/authentication.ts';
import { createRequestId } from './middleware/requestId.ts';
import { createProblemMiddleware, HttpProblem } from './problem.ts';
import { createResponseCache } from './responseCache.ts';
import { createApiRouter } from './router.ts';
import { anonymousAppConfig } from './testing/credentials.ts';
import { startTestServer, type TestServer } from './testing/http.ts';
import { z } from './zod.ts';

const cache = createResponseCache({ maxEntries: 10, maxBytes: 4096 });
const router = createApiRouter({ bodyLimitBytes: 1024 });
let version = 1;
let calls = 0;
/** Runs during the handler's read, as a projector commit would. */
let duringRead: () => void = () => undefined;

const definition = {
  method: 'get' as const,
  path: '/shelves/:id',
  operationId: 'getShelf',
  summary: 'A shelf',
  description: 'Answers its version.',
  tags: ['test'],
  access: 'public' as const,
  request: { params: z.object({ id: z.string() }), headers: z.object({ 'if-none-match': ifNoneMatchHeader.optional() }) },
  responses: { 200: { description: 'The shelf.', schema: z.object({ id: z.string(), version: z.number() }) } },
  entityTags: true,
  errors: [404] as const,
};
router.route({
  ...definition,
  responseCache: cache,
  handler: ({ params }) => {
    calls += 1;
    if (params.id === 'none') throw new HttpProblem(404, 'No shelf "none".');
    duringRead();
    return Promise.resolve({ status: 200 as const, body: { id: params.id, version } });
  },
});

const app = new Koa();
app.silent = true;
app.use(createRequestId());
app.use(createProblemMiddleware());
app.use(createAuthentication(createAuthenticator(anonymousAppConfig())));
for (const middleware of router.middleware()) app.use(middleware);

let server: TestServer;
test.before(async () => {
  server = await startTestServer(app);
  cache.setListening(true);
});
test.after(async () => {
  await server.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await server.request(path, { headers });
  return { status: response.status, etag: response.headers.get('etag') ?? '', headers: response.headers, text: await response.text() };
}

test('the tag is a digest of the bytes sent; If-None-Match with it is a 304 without a body; no-cache', async () => {
  const first = await get('/shelves/a');
  assert.is(first.status, 200);
  assert.is(first.text, '{"id":"a","version":1}');
  assert.match(first.headers.get('content-type') ?? '', /^application\/json/);
  assert.is(first.headers.get('cache-control'), 'no-cache');
  assert.match(first.etag, /^"[A-Za-z0-9_-]{32}"$/);
  const notModified = await get('/shelves/a', { 'if-none-match': `W/${first.etag}` });
  assert.is(notModified.status, 304);
  assert.is(notModified.text, '');
  assert.is(notModified.etag, first.etag);
  assert.is(notModified.headers.get('cache-control'), 'no-cache');
  assert.is.not((await get('/shelves/b')).etag, first.etag);
});

test('a hit never reaches the handler and sends the stored bytes and tag', async () => {
  const first = await get('/shelves/c');
  const before = calls;
  const again = await get('/shelves/c');
  assert.is(calls, before, 'served from the cache');
  assert.is(again.text, first.text);
  assert.is(again.etag, first.etag);
  assert.match(again.headers.get('content-type') ?? '', /^application\/json/);
  assert.is((await get('/shelves/c', { 'if-none-match': first.etag })).status, 304);
  assert.is(calls, before);
});

test('a change empties the cache: the next answer is the new one, with a new tag', async () => {
  const old = await get('/shelves/d');
  version = 2;
  cache.invalidate();
  const changed = await get('/shelves/d');
  assert.is(changed.text, '{"id":"d","version":2}');
  assert.is.not(changed.etag, old.etag);
  assert.is((await get('/shelves/d', { 'if-none-match': old.etag })).status, 200);
});

test('a read straddled by a change is answered but not kept', async () => {
  duringRead = () => {
    version = 3;
    cache.invalidate();
  };
  const straddled = await get('/shelves/e');
  duringRead = () => undefined;
  const before = calls;
  const next = await get('/shelves/e');
  assert.is(calls, before + 1, 'not kept: read again');
  assert.is(straddled.status, 200);
  assert.is(next.text, '{"id":"e","version":3}');
});

test('problems are not kept', async () => {
  assert.is((await get('/shelves/none')).status, 404);
  const before = calls;
  assert.is((await get('/shelves/none')).status, 404);
  assert.is(calls, before + 1);
});

test('a route that is not public, or has no entity tags, cannot keep answers in the cache', () => {
  const other = createApiRouter({ bodyLimitBytes: 1024 });
  const handler = () => Promise.resolve({ status: 200 as const, body: { id: 'x', version: 1 } });
  assert.throws(() => {
    other.route({ ...definition, path: '/private/:id', access: { readUser: 'id' }, responseCache: cache, handler });
  }, /only public GET routes/);
  assert.throws(() => {
    other.route({ ...definition, path: '/untagged/:id', entityTags: false, responseCache: cache, handler });
  }, /only public GET routes/);
});

test.run();
