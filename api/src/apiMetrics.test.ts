import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import { createApiMetrics } from './apiMetrics.ts';
import { startTestServer } from './testing/http.ts';

test('requests: timed by method, declared route (never the raw path) and status class; profile changes by outcome', async () => {
  const metrics = createApiMetrics();
  const app = new Koa();
  app.use(metrics.requests((path) => (/^\/users\/[^/]+$/.test(path) ? '/users/:id' : undefined)));
  app.use((ctx) => {
    if (ctx.path === '/users/boom') throw new Error('boom');
    if (ctx.path.startsWith('/users/')) ctx.body = { ok: true };
  });
  app.silent = true;
  const server = await startTestServer(app);
  try {
    for (const path of ['/users/u1', '/users/u2', '/nowhere/u3']) await (await server.request(path)).text();
    await (await server.request('/users/boom')).text();
  } finally {
    await server.close();
  }
  metrics.profileChange('applied');
  metrics.profileChange('unknown-user');
  const text = await metrics.registry.metrics();
  assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="\/users\/:id",status_class="2xx"\} 2$/m);
  assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="unmatched",status_class="4xx"\} 1$/m);
  assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="\/users\/:id",status_class="5xx"\} 1$/m);
  assert.not.match(text, /u1|u2|u3|nowhere/);
  assert.match(text, /^medly_profile_changes_total\{outcome="applied"\} 1$/m);
  assert.match(text, /^medly_profile_changes_total\{outcome="unknown_user"\} 1$/m);
  assert.match(text, /^process_cpu_seconds_total /m);
});

test.run();
