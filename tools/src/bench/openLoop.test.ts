import { createServer, type Server } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dueBy, runOpenLoop, scheduledAt } from './openLoop.ts';

test('the schedule is fixed: the i-th request at i ÷ rate', () => {
  assert.is(scheduledAt(0, 1000), 0);
  assert.is(scheduledAt(250, 1000), 250);
  assert.is(scheduledAt(3, 200), 15);
  assert.is(dueBy(0, 1000, 30), 1);
  assert.is(dueBy(9.9, 1000, 30), 10);
  assert.is(dueBy(10, 1000, 30), 11);
  assert.is(dueBy(1_000, 1000, 30), 30);
});

async function listen(delayOf: (index: number) => number): Promise<{ server: Server; base: string }> {
  let served = 0;
  const server = createServer((request, response) => {
    const delay = delayOf(served);
    served += 1;
    setTimeout(() => {
      response.writeHead(request.url === '/missing' ? 404 : 200);
      response.end('{}');
    }, delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, base: `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}` };
}

test('a stall delays the requests scheduled behind it, and their latency says so (no coordinated omission)', async () => {
  // One socket, the first answer held 300 ms: the ~30 requests scheduled meanwhile wait, each measured from its schedule.
  const { server, base } = await listen((index) => (index === 0 ? 300 : 0));
  try {
    const result = await runOpenLoop({
      base,
      targets: [{ route: '/a', path: '/a' }],
      ratePerSecond: 100,
      durationSeconds: 1,
      maxSockets: 1,
      headers: {},
    });
    assert.is(result.scheduled, 100);
    assert.is(result.errors, 0);
    assert.ok(result.maxMs >= 290, `the first: ${String(result.maxMs)}`);
    // Timed from when they were written, only the first would be slow; from their schedule, the ~20 behind it are too.
    assert.ok(result.p90Ms >= 100, `a tenth of the requests waited behind the stall: p90 ${String(result.p90Ms)}`);
    assert.ok(result.maxInFlight >= 20, `requests kept arriving: ${String(result.maxInFlight)} outstanding`);
  } finally {
    server.close();
  }
});

test('routes are taken in turn and counted apart; non-2xx answers are counted', async () => {
  const { server, base } = await listen(() => 0);
  try {
    const result = await runOpenLoop({
      base,
      targets: [
        { route: '/a', path: '/a' },
        { route: '/missing', path: '/missing' },
      ],
      ratePerSecond: 200,
      durationSeconds: 0.5,
      maxSockets: 8,
      headers: {},
    });
    assert.equal(
      result.routes.map((route) => [route.route, route.responses]),
      [
        ['/a', 50],
        ['/missing', 50],
      ],
    );
    assert.is(result.non2xx, 50);
    assert.is(result.unanswered, 0);
    assert.ok(result.achievedRate > 150 && result.achievedRate <= 200, String(result.achievedRate));
  } finally {
    server.close();
  }
});

test.run();
