/**
 * The router's entity tags and response cache, on a route of its own: the tag
 * derived from the bytes sent, 304, no-cache, hits that never reach the
 * handler, and what is never kept (errors, answers of a read a change
 * straddled); a user route's answers, kept per user behind the access check.
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
import { anonymousAppConfig, createTestCredentials } from './testing/credentials.ts';
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

test('only GET routes with entity tags, public or reading one user, can keep answers in a cache', () => {
  const other = createApiRouter({ bodyLimitBytes: 1024 });
  const handler = () => Promise.resolve({ status: 200 as const, body: { id: 'x', version: 1 } });
  other.route({ ...definition, path: '/mine/:id', access: { readUser: 'id' }, responseCache: cache, handler });
  assert.throws(() => {
    other.route({ ...definition, path: '/changes/:id', access: { writeUser: 'id' }, responseCache: cache, handler });
  }, /only GET routes with entityTags, public or reading one user/);
  assert.throws(() => {
    other.route({ ...definition, path: '/untagged/:id', entityTags: false, responseCache: cache, handler });
  }, /only GET routes with entityTags/);
});

test('a user route keeps answers per user, after the caller was allowed; a change of one user drops only theirs', async () => {
  const credentials = await createTestCredentials();
  const userCache = createResponseCache({ maxEntries: 10, maxBytes: 4096 });
  userCache.setListening(true);
  const userRouter = createApiRouter({ bodyLimitBytes: 1024 });
  const reads: string[] = [];
  userRouter.route({
    ...definition,
    path: '/notes/:id',
    operationId: 'getNotes',
    access: { readUser: 'id' },
    responseCache: userCache,
    handler: ({ params }) => {
      reads.push(params.id);
      return Promise.resolve({ status: 200 as const, body: { id: params.id, version } });
    },
  });
  const userApp = new Koa();
  userApp.silent = true;
  userApp.use(createRequestId());
  userApp.use(createProblemMiddleware());
  userApp.use(createAuthentication(createAuthenticator(credentials.appConfig())));
  for (const middleware of userRouter.middleware()) userApp.use(middleware);
  const userServer = await startTestServer(userApp);
  try {
    const read = async (path: string, token: string) => {
      const response = await userServer.request(path, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, cacheControl: response.headers.get('cache-control'), text: await response.text() };
    };
    const [alice, bob] = [await credentials.user('alice'), await credentials.user('bob')];
    const first = await read('/notes/alice', alice);
    assert.is(first.status, 200);
    assert.is(first.cacheControl, 'private, no-store', 'kept by the API, never by a shared cache');
    assert.equal(await read('/notes/alice', alice), first);
    assert.equal(reads, ['alice'], 'the second read was a hit');
    assert.is((await read('/notes/alice', bob)).status, 403, 'a kept answer is not served to a caller who may not read it');
    assert.is((await read('/notes/bob', bob)).status, 200);
    assert.equal(reads, ['alice', 'bob']);

    userCache.invalidate('bob');
    assert.is((await read('/notes/alice', alice)).status, 200);
    assert.is((await read('/notes/bob', bob)).status, 200);
    assert.equal(reads, ['alice', 'bob', 'bob'], 'only bob\'s answer was dropped');
    userCache.invalidate();
    assert.is((await read('/notes/alice', alice)).status, 200);
    assert.equal(reads, ['alice', 'bob', 'bob', 'alice'], 'a change of everything drops every user\'s');
  } finally {
    await userServer.close();
  }
});

test.run();
