/**
 * Which database errors retrying can cure (the server is away, restarting,
 * out of connections, or a transaction lost a race) and which are the data's
 * fault (a value Postgres refuses: retrying the same message fails the same
 * way, so it is isolated and dead-lettered instead).
 */
import { BackendTerminatedError, BackendTerminatedUnexpectedlyError, ConnectionError, StatementTimeoutError } from 'slonik';

const RETRYABLE_CLASSES = ['08', '53', '57', '58', '40'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/** The SQLSTATE (or Node network code) of an error or of anything in its cause chain. */
export function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Object && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isRetryableDbError(error: unknown): boolean {
  if (
    error instanceof ConnectionError ||
    error instanceof BackendTerminatedError ||
    error instanceof BackendTerminatedUnexpectedlyError ||
    error instanceof StatementTimeoutError
  ) {
    return true;
  }
  const code = errorCode(error);
  if (code === undefined) return /connection|terminat|timeout|ECONNREFUSED|ECONNRESET/i.test(String(error));
  return NETWORK_CODES.has(code) || RETRYABLE_CLASSES.some((prefix) => code.startsWith(prefix));
}

/** Data exceptions (22) and integrity violations (23): the message's values, not the moment. */
export function isDataError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
}
