import type { Middleware } from 'koa';
import type { Logger } from '@medly/shared/logger';
import { principalName } from '../auth/principal.ts';
import { authenticationOf } from './authentication.ts';

declare module 'http' {
  interface ServerResponse {
    /** A 5xx's error, left by the problem middleware for the access line. */
    err?: Error;
  }
}

/** Query parameters that may carry a credential: the API never reads one there, but a client may still send it. */
const SECRET_PARAMETERS = /([?&](?:access_token|token|id_token|api_key|apikey|key|jwt|auth|authorization|password|secret)=)[^&#]*/gi;

export function withoutSecrets(url: string): string {
  // Most URLs have no query at all: no regex run for them.
  return url.includes('?') ? url.replace(SECRET_PARAMETERS, '$1[Redacted]') : url;
}

/**
 * One pino line per request (method, url, status, time, request id, and the
 * verified caller: `user:<uid>` or `service:<name>`) when the response
 * finishes or the connection closes; 5xx lines carry the error the problem
 * middleware left in `res.err`. No header is logged, so no credential, and
 * credentials in a URL's query are cut out.
 *
 * The line pino-http wrote, without its per-request child loggers (two per
 * request, each serialising its bindings): one object, one write, by a child
 * made once. A line without an error holds only the fields built here, none
 * of which is a redacted path (shared/src/logger.ts), so it skips redaction,
 * which costs about three times the rest of the line; a line with an error
 * goes through it (a database error's detail may quote a row).
 */
export function createAccessLog(logger: Logger): Middleware {
  const httpLogger = logger.child({ component: 'http' });
  const plainLogger = logger.child({ component: 'http' }, { redact: [] });
  return async function accessLog(ctx, next) {
    const started = Date.now();
    const { req, res } = ctx;
    res.once('close', () => {
      const statusCode = res.statusCode;
      const error = res.err ?? (statusCode >= 500 ? new Error(`failed with status code ${String(statusCode)}`) : undefined);
      const authentication = authenticationOf(ctx);
      const line: Record<string, unknown> = {
        req: { id: String(ctx.state.requestId), method: req.method, url: withoutSecrets(String(req.url)) },
        ...(authentication.status === 'authenticated' ? { caller: principalName(authentication.principal) } : {}),
        res: { statusCode },
        ...(error ? { err: error } : {}),
        responseTime: Date.now() - started,
      };
      if (error) httpLogger.error(line, 'request errored');
      else if (statusCode >= 400) plainLogger.warn(line, 'request completed');
      else plainLogger.info(line, 'request completed');
    });
    await next();
  };
}
