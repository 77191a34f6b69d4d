import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConnectionError, NotFoundError } from 'slonik';
import { AppError, isRetryable } from './errors.ts';
import { DatabaseError, isRefusedData, toDatabaseError } from './dbErrors.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });

test('connection trouble and lost races are retryable; bad data and bugs are not', () => {
  for (const code of ['08006', '57P01', '57P03', '53300', '40001', '40P01', 'ECONNREFUSED']) {
    assert.ok(isRetryable(toDatabaseError(withCode(code))), code);
  }
  for (const code of ['22P05', '23505', '42P01']) assert.not.ok(isRetryable(toDatabaseError(withCode(code))), code);
  assert.ok(isRetryable(toDatabaseError(new ConnectionError('connect ECONNREFUSED 127.0.0.1:5432'))));
  assert.ok(isRetryable(toDatabaseError(new Error('Connection terminated unexpectedly'))));
  assert.ok(isRetryable(toDatabaseError(new Error('timeout exceeded when trying to connect'))));
});

test('data exceptions and integrity violations are the data’s fault', () => {
  assert.ok(isRefusedData(toDatabaseError(withCode('22P05'))));
  assert.ok(isRefusedData(toDatabaseError(withCode('23502'))));
  assert.not.ok(isRefusedData(toDatabaseError(withCode('42P01'))));
  assert.not.ok(isRefusedData(toDatabaseError(withCode('08006'))));
  assert.not.ok(isRefusedData(withCode('22P05')), 'only a classified error says so');
});

test('the code is found along the cause chain, and the error is kept as the cause with its message', () => {
  const driverError = new Error('outer', { cause: new Error('mid', { cause: withCode('22021') }) });
  const wrapped = toDatabaseError(driverError);
  assert.instance(wrapped, DatabaseError);
  assert.is((wrapped as DatabaseError).sqlState, '22021');
  assert.is((wrapped as DatabaseError).message, 'outer');
  assert.is((wrapped as DatabaseError).cause, driverError);
});

test('wrapped once: an AppError, or an error that is not the database’s, passes unchanged', () => {
  const wrapped = toDatabaseError(withCode('57P01'));
  assert.is(toDatabaseError(wrapped), wrapped);
  const appError = new AppError('broker_unavailable', 'away', { retryable: true });
  assert.is(toDatabaseError(appError), appError);
  const bug = new TypeError('x is undefined');
  assert.is(toDatabaseError(bug), bug);
  assert.is(toDatabaseError('text'), 'text');
  // slonik's own errors are the database layer's, and not retryable unless about the connection.
  const notFound = toDatabaseError(new NotFoundError('Query returned no rows.', { sql: 'SELECT 1', values: [] }));
  assert.instance(notFound, DatabaseError);
  assert.not.ok(isRetryable(notFound));
});

test.run();
