import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from './logger.ts';
import { startMetricsServer } from './metricsServer.ts';

const logger = createLogger({ level: 'silent', name: 'metrics-test' });

test('GET /metrics answers the source\'s text with its content type; nothing else is served', async () => {
  let fail = false;
  const source = {
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    metrics: () => (fail ? Promise.reject(new Error('collector failed')) : Promise.resolve('up 1\n')),
  };
  const server = await startMetricsServer({ port: 0, source, logger });
  const url = `http://127.0.0.1:${String(server.port)}`;
  try {
    const scrape = await fetch(`${url}/metrics`);
    assert.is(scrape.status, 200);
    assert.is(scrape.headers.get('content-type'), source.contentType);
    assert.is(await scrape.text(), 'up 1\n');
    assert.is((await fetch(`${url}/metrics?x=1`)).status, 200);
    assert.is((await fetch(`${url}/`)).status, 404);
    assert.is((await fetch(`${url}/users/u1`)).status, 404);
    assert.is((await fetch(`${url}/metrics`, { method: 'POST' })).status, 405);
    fail = true;
    const failed = await fetch(`${url}/metrics`);
    assert.is(failed.status, 500);
    assert.not.match(await failed.text(), /collector failed/);
  } finally {
    await server.close();
  }
});

test.run();
