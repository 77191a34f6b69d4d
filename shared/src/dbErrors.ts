/**
 * Database errors, classified once where they leave the driver (the
 * projector's batch transactions, the API's error mapping, a read that waits
 * out a restart) into a DatabaseError that says whether retrying can help.
 * Code above that boundary asks only `isRetryable` (errors.ts) and
 * `isRefusedData`; no other file names slonik's or pg's error classes.
 *
 * Retrying can cure: the server away, restarting, out of connections or
 * resources, a statement timeout, a lost serialization race (SQLSTATE classes
 * 08, 53, 57, 58, 40; network codes; pg's own connection messages). The
 * data's fault: a value or constraint Postgres refuses (classes 22, 23);
 * the same values fail the same way, so the projector isolates and
 * dead-letters them. Everything else from the database (a bug, a missing
 * table) is neither.
 */
import { BackendTerminatedError, BackendTerminatedUnexpectedlyError, ConnectionError, SlonikError, StatementTimeoutError } from 'slonik';
import { AppError } from './errors.ts';

const RETRYABLE_CLASSES = ['08', '53', '57', '58', '40'];
const REFUSED_DATA_CLASSES = ['22', '23'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const SQLSTATE = /^[0-9A-Z]{5}$/;
/** What pg and pg-pool say, without a code, when the connection is gone or never came. */
const LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|Query read timeout|timeout exceeded when trying to connect|timeout expired)/;

export class DatabaseError extends AppError {
  /** The statement's values are at fault: the same values fail the same way. */
  readonly refusedData: boolean;
  /** The SQLSTATE (or Node network code) found on the error or its causes. */
  readonly sqlState: string | undefined;

  constructor(message: string, options: { cause: unknown; retryable: boolean; refusedData: boolean; sqlState: string | undefined }) {
    const code = options.retryable ? 'database_unavailable' : options.refusedData ? 'database_refused_data' : 'database_error';
    super(code, message, { cause: options.cause, retryable: options.retryable });
    this.name = 'DatabaseError';
    this.refusedData = options.refusedData;
    this.sqlState = options.sqlState;
  }
}

/** A driver error as a DatabaseError; an AppError (already classified) or an error not from the database, unchanged. */
export function toDatabaseError<E>(error: E): DatabaseError | E {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const code = errorCode(error);
  const retryable =
    error instanceof ConnectionError ||
    error instanceof BackendTerminatedError ||
    error instanceof BackendTerminatedUnexpectedlyError ||
    error instanceof StatementTimeoutError ||
    (code === undefined
      ? messages(error).some((message) => LOST_CONNECTION.test(message))
      : NETWORK_CODES.has(code) || RETRYABLE_CLASSES.some((prefix) => code.startsWith(prefix)));
  const fromDatabase = retryable || error instanceof SlonikError || (code !== undefined && SQLSTATE.test(code));
  if (!fromDatabase) return error;
  const refusedData = code !== undefined && SQLSTATE.test(code) && REFUSED_DATA_CLASSES.some((prefix) => code.startsWith(prefix));
  return new DatabaseError(error.message, { cause: error, retryable, refusedData, sqlState: code });
}

/** A value or constraint Postgres refused: retrying the same values cannot help. */
export function isRefusedData(error: unknown): boolean {
  return error instanceof DatabaseError && error.refusedData;
}

/** The SQLSTATE (or Node network code) of an error or of anything in its cause chain. */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Object && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function messages(error: unknown): string[] {
  const found: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    found.push(current.message);
    current = current.cause;
  }
  return found;
}
