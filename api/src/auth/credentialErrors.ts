import { AppError } from '@medly/shared/errors';

/** A credential that is not accepted (malformed, badly signed, expired, for another audience…): a 401, never retried. */
export class InvalidCredential extends AppError {
  constructor(detail: string, options: { cause?: unknown } = {}) {
    super('invalid_credential', detail, { cause: options.cause, retryable: false });
    this.name = 'InvalidCredential';
  }
}

/** The keys to check a token against could not be fetched: a 503, worth retrying. */
export class VerificationUnavailable extends AppError {
  constructor(cause: unknown) {
    super('verification_unavailable', 'the keys that sign user tokens could not be fetched', { cause, retryable: true });
    this.name = 'VerificationUnavailable';
  }
}
