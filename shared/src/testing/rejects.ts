import * as assert from 'uvu/assert';

/** Asserts that `promise` rejects with an error whose text matches `pattern`; returns the error. */
export async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    assert.match(String(error), pattern);
    return error;
  }
  assert.unreachable(`expected a rejection matching ${String(pattern)}`);
  return undefined;
}
