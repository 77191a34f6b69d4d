import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import { createAuthenticator } from './auth/authenticator.ts';
import { createAuthentication } from './middleware/authentication.ts';
import { createOpenApiDocument } from './openapi.ts';
import { createCursorCodec, limitQuery } from './pagination.ts';
import { createProblemMiddleware, HttpProblem } from './problem.ts';
import { createRequestId } from './middleware/requestId.ts';
import { createApiRouter } from './router.ts';
import { anonymousAppConfig } from './testing/credentials.ts';
import { startTestServer, type TestServer } from './testing/http.ts';
import { z } from './zod.ts';

const TOKEN = 'a-test-token-of-32-characters-xx';
const cursor = createCursorCodec('things', { at: z.string().datetime({ offset: true }), id: z.string() });

const router = createApiRouter({ bodyLimitBytes: 1024 });
const thing = z.object({ id: z.string(), limit: z.number(), after: z.string().nullable() });
router.route({
  method: 'get',
  path: '/things/:id',
  operationId: 'getThing',
  summary: 'A thing',
  description: 'Echoes what it was given.',
  tags: ['test'],
  access: 'public',
  request: {
    params: z.object({ id: z.string().regex(/^[a-z]{1,8}$/) }),
    query: z.object({ limit: limitQuery, cursor: cursor.query }).strict(),
  },
  responses: { 200: { description: 'The thing.', schema: thing } },
  errors: [400],
  handler: ({ params, query }) => {
    if (params.id === 'boom') throw new Error('secret internals: password=hunter2');
    if (params.id === 'bad') return Promise.resolve({ status: 200, body: { id: 1 } as never });
    if (params.id === 'gone') throw new HttpProblem(404, 'No thing "gone".');
    return Promise.resolve({ status: 200, body: { id: params.id, limit: query.limit, after: query.cursor?.id ?? null } });
  },
});
router.route({
  method: 'patch',
  path: '/things/:id',
  operationId: 'patchThing',
  summary: 'Change a thing',
  description: 'Echoes the body.',
  tags: ['test'],
  access: { writeUser: 'id' },
  request: {
    params: z.object({ id: z.string() }),
    body: z.object({ name: z.string().trim().min(1) }).strict(),
  },
  responses: { 200: { description: 'Changed.', schema: z.object({ id: z.string(), name: z.string() }) } },
  errors: [400, 401, 413, 415],
  handler: ({ params, body }) => Promise.resolve({ status: 200, body: { id: params.id, name: body.name } }),
});

const app = new Koa();
app.silent = true;
app.use(createRequestId());
app.use(createProblemMiddleware());
app.use(createAuthentication(createAuthenticator(anonymousAppConfig({ API_TOKEN: TOKEN }))));
for (const middleware of router.middleware()) app.use(middleware);

let server: TestServer;
test.before(async () => {
  server = await startTestServer(app);
});
test.after(async () => {
  await server.close();
});

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: { in: string; pointer: string; message: string; code: string }[];
}

async function problem(response: Response, status: number): Promise<ProblemBody> {
  assert.is(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const body = (await response.json()) as ProblemBody;
  assert.is(body.status, status);
  assert.is(body.requestId, response.headers.get('x-request-id'));
  return body;
}

const patch = (body: string, headers: Record<string, string> = {}) =>
  server.request('/things/abc', {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });

test('a valid request reaches the handler with parsed, defaulted values', async () => {
  const response = await server.request('/things/abc');
  assert.is(response.status, 200);
  assert.equal(await response.json(), { id: 'abc', limit: 20, after: null });
  const next = cursor.encode({ at: '2025-09-15T07:53:09.441Z', id: 'x1' });
  const paged = await server.request(`/things/abc?limit=100&cursor=${next}`);
  assert.equal(await paged.json(), { id: 'abc', limit: 100, after: 'x1' });
});

test('a bad path id is a 400 naming the parameter', async () => {
  const body = await problem(await server.request('/things/NOT-OK'), 400);
  assert.is(body.type, 'urn:medly:problem:validation');
  assert.equal(body.errors?.map((issue) => [issue.in, issue.pointer]), [['path', '/id']]);
});

for (const limit of ['0', '101', 'ten', '1.5', '-1', '', '1e1']) {
  test(`limit=${limit} is a 400, not a clamp`, async () => {
    const body = await problem(await server.request(`/things/abc?limit=${limit}`), 400);
    assert.equal(body.errors?.map((issue) => [issue.in, issue.pointer]), [['query', '/limit']]);
  });
}

test('a repeated or unknown query parameter is a 400', async () => {
  await problem(await server.request('/things/abc?limit=5&limit=6'), 400);
  const unknown = await problem(await server.request('/things/abc?limt=5'), 400);
  assert.is(unknown.errors?.[0]?.code, 'unrecognized_keys');
});

const forgedCursors = {
  'not base64url': '!!!',
  'not JSON': Buffer.from('{nope').toString('base64url'),
  'another list': Buffer.from(JSON.stringify({ list: 'others', position: { at: '2025-01-01T00:00:00Z', id: 'x' } })).toString('base64url'),
  'a wrong type': Buffer.from(JSON.stringify({ list: 'things', position: { at: 5, id: 'x' } })).toString('base64url'),
  'an extra field': Buffer.from(JSON.stringify({ list: 'things', position: { at: '2025-01-01T00:00:00Z', id: 'x', sql: '1' } })).toString('base64url'),
  'non-canonical padding': `${cursor.encode({ at: '2025-01-01T00:00:00Z', id: 'x' })}=`,
};
for (const [what, forged] of Object.entries(forgedCursors)) {
  test(`a cursor with ${what} is a 400`, async () => {
    const body = await problem(await server.request(`/things/abc?cursor=${encodeURIComponent(forged)}`), 400);
    assert.equal(body.errors?.map((issue) => [issue.in, issue.pointer, issue.message]), [['query', '/cursor', 'is not a cursor this list issued']]);
  });
}

test('a thrown HttpProblem keeps its status and detail', async () => {
  const body = await problem(await server.request('/things/gone'), 404);
  assert.is(body.detail, 'No thing "gone".');
  assert.is(body.instance, '/things/gone');
});

test('an unexpected error is a 500 that leaks nothing', async () => {
  const response = await server.request('/things/boom');
  const text = await response.clone().text();
  const body = await problem(response, 500);
  assert.is(body.title, 'Internal Server Error');
  assert.not.match(text, /hunter2|secret|at .*\.ts/);
});

test('a response that breaks its own schema is a 500, not a malformed 200', async () => {
  await problem(await server.request('/things/bad'), 500);
});

test('PATCH: no token, a malformed one or a wrong one is a 401 with a Bearer challenge', async () => {
  for (const authorization of [undefined, 'Basic abc', 'Bearer', `Bearer ${TOKEN}x`, `bearer ${TOKEN.slice(1)}`]) {
    const response = await server.request('/things/abc', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: '{"name":"x"}',
    });
    await problem(response, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
  }
});

test('PATCH: the right token and a valid body reach the handler', async () => {
  const response = await patch('{"name":"  Ada  "}');
  assert.is(response.status, 200);
  assert.equal(await response.json(), { id: 'abc', name: 'Ada' });
});

test('PATCH: a body that is not JSON by content type is a 415', async () => {
  await problem(await patch('name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
  await problem(await patch('{"name":"x"}', { 'content-type': 'text/plain' }), 415);
});

test('PATCH: malformed JSON is a 400, a JSON scalar too', async () => {
  const body = await problem(await patch('{"name":'), 400);
  assert.is(body.detail, 'The request body is not valid JSON.');
  await problem(await patch('"just a string"'), 400);
});

test('PATCH: a body over the limit is a 413', async () => {
  await problem(await patch(JSON.stringify({ name: 'x'.repeat(2000) })), 413);
});

test('PATCH: a body that breaks the schema is a 400 listing every issue', async () => {
  const body = await problem(await patch('{"name":"   ","extra":1}'), 400);
  assert.equal(body.errors?.map((issue) => [issue.in, issue.code]).sort(), [
    ['body', 'too_small'],
    ['body', 'unrecognized_keys'],
  ]);
});

test('the OpenAPI document has both operations, with {param} paths, security and problem responses', () => {
  const document = createOpenApiDocument(router.registry, { version: 'test' });
  const operations = document.paths?.['/things/{id}'];
  assert.ok(operations?.get && operations.patch);
  assert.equal(operations.patch.security, [{ userToken: [] }, { serviceToken: [] }]);
  assert.equal(operations.get.security, []);
  assert.equal(Object.keys(operations.patch.responses ?? {}).sort(), ['200', '400', '401', '403', '413', '415', '429', '500', '503']);
  assert.equal(Object.keys(operations.get.responses ?? {}).sort(), ['200', '400', '429', '500']);
  const limit = operations.get.parameters?.find((parameter) => 'name' in parameter && parameter.name === 'limit');
  assert.ok(limit && 'schema' in limit);
  assert.equal(limit.schema, { type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Page size, 1–100.', example: 20 });
});

test.run();
