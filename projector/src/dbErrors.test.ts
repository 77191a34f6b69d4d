import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorCode, isDataError, isRetryableDbError } from './dbErrors.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });

test('connection trouble and lost races are retryable; bad data and bugs are not', () => {
  for (const code of ['08006', '57P01', '57P03', '53300', '40001', '40P01', 'ECONNREFUSED']) {
    assert.ok(isRetryableDbError(withCode(code)), code);
  }
  for (const code of ['22P05', '23505', '42P01']) assert.not.ok(isRetryableDbError(withCode(code)), code);
});

test('data exceptions and integrity violations are the data’s fault', () => {
  assert.ok(isDataError(withCode('22P05')));
  assert.ok(isDataError(withCode('23502')));
  assert.not.ok(isDataError(withCode('42P01')));
  assert.not.ok(isDataError(new Error('no code')));
});

test('the code is found along the cause chain', () => {
  assert.is(errorCode(new Error('outer', { cause: new Error('mid', { cause: withCode('22021') }) })), '22021');
});

test.run();
