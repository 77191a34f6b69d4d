import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Admin } from '@medly/shared/kafka';
import { createKafkaProbe } from './kafkaProbe.ts';

function fakeAdmin(state: { calls: number; fail: boolean }): Admin {
  return {
    connect: () => Promise.resolve(),
    listTopics: () => {
      state.calls += 1;
      return state.fail ? Promise.reject(new Error('broker away')) : Promise.resolve(['t.a', 't.b']);
    },
    fetchTopicOffsets: (topic: string) => Promise.resolve([{ partition: 0, offset: '5', high: topic === 't.a' ? '7' : '3', low: '0' }]),
  } as unknown as Admin;
}

test('end offsets of existing topics only, as numbers', async () => {
  const probe = createKafkaProbe(fakeAdmin({ calls: 0, fail: false }));
  assert.equal(await probe.endOffsets(['t.a', 't.b', 't.missing']), [
    { topic: 't.a', partition: 0, offset: 7 },
    { topic: 't.b', partition: 0, offset: 3 },
  ]);
});

test('answers are reused within cacheMs; failures are not cached', async () => {
  const state = { calls: 0, fail: true };
  const probe = createKafkaProbe(fakeAdmin(state), { cacheMs: 50 });
  const first = await probe.endOffsets(['t.a']).then(() => 'answered', () => 'failed');
  assert.is(first, 'failed');
  state.fail = false;
  await probe.endOffsets(['t.a']);
  await probe.endOffsets(['t.a']);
  assert.is(state.calls, 2, 'the failure was retried, the success reused');
  await new Promise((resolve) => setTimeout(resolve, 60));
  await probe.endOffsets(['t.a']);
  assert.is(state.calls, 3, 'refreshed after cacheMs');
});

test.run();
