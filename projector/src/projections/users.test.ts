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
    kafka_topic: 'fixture.users.profiles',
    kafka_partition: 0,
    kafka_offset: 8,
  });
});

test.run();
