import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envelope, profile } from '../testing/fixtures.ts';
import { userProfileRows } from './users.ts';

test('a profile event becomes the profile columns only (activity comes from attempts)', () => {
  const [row] = userProfileRows([envelope('userProfiles', profile({ displayName: null }), 8)]);
  assert.equal(row, {
    uid: 'user1',
    display_name: null,
    metadata: { school: 'Hill' },
    profile_changed_at: '2025-10-01T10:00:00.000Z',
    profile_changed_by: null,
    kafka_topic: 'fixture.users.profiles',
    kafka_partition: 0,
    kafka_offset: 8,
  });
});

test('who made the change is kept; an event from before attribution has nobody', () => {
  const [attributed, older] = userProfileRows([
    envelope('userProfiles', profile({ changedBy: 'service:api-token' }), 9),
    envelope('userProfiles', profile({ uid: 'user2' }), 10),
  ]);
  assert.equal([attributed?.profile_changed_by, older?.profile_changed_by], ['service:api-token', null]);
});

test.run();
