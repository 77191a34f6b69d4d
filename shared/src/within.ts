import { AppError } from './errors.ts';

/**
 * The promise's outcome, or a retryable AppError naming what was awaited when
 * it has not settled after `ms`; no timer is left behind either way. The
 * promise is not cancelled: a late result is simply not waited for.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const bound = ms >= 1_000 && ms % 1_000 === 0 ? `${ms / 1_000} s` : `${ms} ms`;
      reject(new AppError('timeout', `${what} did not happen within ${bound}`, { retryable: true }));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
