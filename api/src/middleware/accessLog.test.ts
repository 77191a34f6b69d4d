import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import type { Logger } from '@medly/shared/logger';
import { createProblemMiddleware, HttpProblem } from '../problem.ts';
import { startTestServer } from '../testing/http.ts';
import { createAccessLog, withoutSecrets } from './accessLog.ts';
import { createRequestId } from './requestId.ts';

interface Line {
  level: 'info' | 'warn' | 'error';
  bindings: Record<string, unknown>;
  /** Whether the logger's redaction applies (a child made without `redact: []`). */
  redacted: boolean;
  fields: Record<string, unknown>;
  message: string;
}

/** A logger that keeps what it is given: the middleware's part, not pino's serialisation (shared/src/logger.ts). */
function recordingLogger(lines: Line[], bindings: Record<string, unknown> = {}, redacted = true): Logger {
  const at = (level: Line['level']) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, bindings, redacted, fields, message });
  };
  return {
    child: (more: Record<string, unknown>, options?: { redact?: unknown }) =>
      recordingLogger(lines, { ...bindings, ...more }, redacted && !(Array.isArray(options?.redact) && options.redact.length === 0)),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  } as unknown as Logger;
}

async function linesOf(requests: { path: string; headers?: Record<string, string> }[]): Promise<Line[]> {
  const lines: Line[] = [];
  const app = new Koa();
  app.silent = true;
  app.use(createRequestId());
  app.use(createAccessLog(recordingLogger(lines)));
  app.use(createProblemMiddleware());
  app.use(async (ctx) => {
    if (ctx.get('authorization')) ctx.state.authentication = { status: 'authenticated', principal: { kind: 'service', name: 'sync', rights: ['read'] } };
    if (ctx.path === '/boom') throw new Error('the database said no');
    if (ctx.path === '/missing') throw new HttpProblem(404, 'No such thing.');
    ctx.body = { ok: true };
  });
  const server = await startTestServer(app);
  try {
    for (const { path, headers } of requests) await (await server.request(path, headers ? { headers } : {})).arrayBuffer();
    // The line is written when the response closes, just after the client has it.
    for (let wait = 0; lines.length < requests.length && wait < 100; wait += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    await server.close();
  }
  return lines;
}

test('a line per request: request id, method, url, status, time, the verified caller; no header at all', async () => {
  const [line] = await linesOf([{ path: '/things?x=1', headers: { authorization: 'Bearer secret-token', 'x-request-id': 'req-1' } }]);
  assert.ok(line);
  assert.is(line.level, 'info');
  assert.is(line.message, 'request completed');
  assert.equal(line.bindings, { component: 'http' });
  assert.equal(line.fields.req, { id: 'req-1', method: 'GET', url: '/things?x=1' });
  assert.equal(line.fields.res, { statusCode: 200 });
  assert.is(line.fields.caller, 'service:sync');
  assert.type(line.fields.responseTime, 'number');
  assert.not.ok(JSON.stringify(line).includes('secret-token'));
});

test('4xx is a warning without a caller when none was verified; 5xx an error with its cause', async () => {
  const [missing, boom] = await linesOf([{ path: '/missing' }, { path: '/boom' }]);
  assert.is(missing?.level, 'warn');
  assert.equal(missing?.fields.res, { statusCode: 404 });
  assert.is('caller' in (missing?.fields ?? {}), false);
  assert.is('err' in (missing?.fields ?? {}), false);
  assert.is(boom?.level, 'error');
  assert.is(boom?.message, 'request errored');
  // Only lines of the fields built by the middleware skip redaction; an error may quote a row.
  assert.is(missing?.redacted, false);
  assert.is(boom?.redacted, true);
  assert.is((boom?.fields.err as Error).message, 'the database said no');
});

test('credentials in a query are cut out; a URL without a query is left as it is', () => {
  assert.is(withoutSecrets('/a?token=abc&x=1&api_key=k#f'), '/a?token=[Redacted]&x=1&api_key=[Redacted]#f');
  assert.is(withoutSecrets('/users/u1'), '/users/u1');
});

test.run();
