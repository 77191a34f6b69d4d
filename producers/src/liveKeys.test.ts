import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLiveKeys, entityOf } from './liveKeys.ts';

const A = '2026-01-01T00:00:00.000Z';
const B = '2026-02-01T00:00:00.000Z';

test('the last message of a key wins; a tombstone removes it', () => {
  const live = createLiveKeys();
  live.add('lessons', { key: 'l1', source: 'course', firstSeenAt: A });
  live.add('lessons', { key: 'l1', source: 'course', firstSeenAt: A });
  live.add('lessons', { key: 'l2', source: 'course', firstSeenAt: B });
  live.remove('lessons', 'l2');
  live.seal();
  assert.is(live.size, 1);
  assert.equal(live.unproduced('course'), { live: 1, keys: [{ topic: 'lessons', key: 'l1' }] });
});

test('producing a key carries its first-seen time on and marks it produced; an unknown key has none', () => {
  const live = createLiveKeys();
  live.add('attempts', { key: 'users/u1/subjectsWeb/s/mocks/p/questions/q1', source: 'users', firstSeenAt: A });
  live.add('attempts', { key: 'users/u1/subjectsWeb/s/mocks/p/questions/q2', source: 'users', firstSeenAt: B });
  live.seal();
  assert.equal(live.produce('attempts', 'users/u1/subjectsWeb/s/mocks/p/questions/q2'), { firstSeenAt: B, entityFirstSeenAt: A });
  // A new attempt of a known user: no first-seen of its own, but the user's.
  assert.equal(live.produce('attempts', 'users/u1/subjectsWeb/s/mocks/p/questions/q9'), { entityFirstSeenAt: A });
  assert.equal(live.produce('attempts', 'users/u2/subjectsWeb/s/mocks/p/questions/q1'), { entityFirstSeenAt: undefined });
  assert.equal(live.unproduced('users'), { live: 2, keys: [{ topic: 'attempts', key: 'users/u1/subjectsWeb/s/mocks/p/questions/q1' }] });
});

test('an item is first seen when any of its live appearances was, so a part that moves keeps its item’s time', () => {
  const live = createLiveKeys();
  live.add('itemAppearances', { key: 'practice/bank1/q1', source: 'practices', firstSeenAt: B, entityFirstSeenAt: A });
  live.add('itemAppearances', { key: 'paper/p1/q1', source: 'exams', firstSeenAt: B });
  live.seal();
  assert.equal(live.produce('itemAppearances', 'practice/bank2/q1'), { entityFirstSeenAt: A });
  assert.is(entityOf('itemAppearances', 'practice/a%2Fb/q%2F1'), 'q/1');
});

test('removal candidates are per source: another source’s keys are never among them', () => {
  const live = createLiveKeys();
  live.add('questions', { key: 'paper/p1/s1', source: 'exams', firstSeenAt: A });
  live.add('questions', { key: 'practice/l1/s1', source: 'practices', firstSeenAt: A });
  live.add('rejections', { key: 'curriculum_data/x_course.json#/units/0', source: 'course', firstSeenAt: A });
  live.seal();
  assert.equal(live.unproduced('exams').keys, [{ topic: 'questions', key: 'paper/p1/s1' }]);
  assert.equal(live.unproduced('course').keys, [{ topic: 'rejections', key: 'curriculum_data/x_course.json#/units/0' }]);
  assert.equal(live.unproduced('users'), { live: 0, keys: [] });
});

test.run();
