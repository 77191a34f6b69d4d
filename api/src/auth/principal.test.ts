import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mayReadUser, mayWriteUser, principalName, type Principal } from './principal.ts';

const student: Principal = { kind: 'user', subject: 'u1', staff: false };
const staff: Principal = { kind: 'user', subject: 't1', staff: true };
const reader: Principal = { kind: 'service', name: 'dashboard', rights: ['read'] };
const writer: Principal = { kind: 'service', name: 'sync', rights: ['write'] };

test('a student reads their own uid only and changes nothing', () => {
  assert.equal([mayReadUser(student, 'u1'), mayReadUser(student, 'u2'), mayReadUser(student, ''), mayWriteUser(student)], [true, false, false, false]);
});

test('staff read every uid and change profiles', () => {
  assert.equal([mayReadUser(staff, 'u1'), mayReadUser(staff, 't1'), mayWriteUser(staff)], [true, true, true]);
});

test('a service token has exactly its rights', () => {
  assert.equal([mayReadUser(reader, 'u1'), mayWriteUser(reader)], [true, false]);
  assert.equal([mayReadUser(writer, 'u1'), mayWriteUser(writer)], [false, true]);
});

test('names: user:<uid>, service:<name>', () => {
  assert.equal([principalName(student), principalName(writer)], ['user:u1', 'service:sync']);
});

test.run();
