import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { orderByForeignKeys } from './foreignKeyOrder.ts';

test('without foreign keys the given order stays', () => {
  assert.equal(orderByForeignKeys(['b', 'a', 'c'], []), ['b', 'a', 'c']);
});

test('referenced tables come before the tables referring to them', () => {
  const keys = [
    { table: 'attempts', references: 'users' },
    { table: 'attempts', references: 'items' },
    { table: 'items', references: 'subjects' },
  ];
  const order = orderByForeignKeys(['attempts', 'items', 'users', 'subjects'], keys);
  assert.equal(order, ['users', 'subjects', 'items', 'attempts']);
});

test('self-references and tables outside the list are ignored', () => {
  const keys = [
    { table: 'topics', references: 'topics' },
    { table: 'topics', references: 'checkpoints' },
  ];
  assert.equal(orderByForeignKeys(['topics', 'units'], keys), ['topics', 'units']);
});

test('a cycle is an error naming it', () => {
  const keys = [
    { table: 'a', references: 'b' },
    { table: 'b', references: 'a' },
  ];
  assert.throws(() => orderByForeignKeys(['a', 'b'], keys), /a → b → a/);
});

test.run();
