import type { ZodError } from 'zod';

/**
 * Errors that say whether retrying can help. Retryable errors (a broker or
 * database that is briefly away) are retried with backoff by the long-running
 * services; non-retryable ones (bad input, a bug) stop the operation at once.
 */
export class AppError extends Error {
  readonly retryable: boolean;
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof AppError ? error.retryable : false;
}

/** `path: message; path: message` — short enough for a log line or a rejection reason. */
export function formatZodIssues(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
