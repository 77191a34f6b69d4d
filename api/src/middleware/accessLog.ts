import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import { pinoHttp } from 'pino-http';
import type { Logger } from '@medly/shared/logger';
import { principalName } from '../auth/principal.ts';
import { authenticationOf } from './authentication.ts';

/** Query parameters that may carry a credential: the API never reads one there, but a client may still send it. */
const SECRET_PARAMETERS = /([?&](?:access_token|token|id_token|api_key|apikey|key|jwt|auth|authorization|password|secret)=)[^&#]*/gi;

export function withoutSecrets(url: string): string {
  return url.replace(SECRET_PARAMETERS, '$1[Redacted]');
}

/**
 * One pino line per request (method, url, status, time, request id, and the
 * verified caller: `user:<uid>` or `service:<name>`) when the response
 * finishes; 5xx lines carry the error the problem middleware left in
 * `res.err`. No header is logged, so no credential: the Authorization header
 * is also redacted should a serializer ever include it, and credentials in a
 * URL's query are cut out.
 */
export function createAccessLog(logger: Logger): Middleware {
  const callers = new WeakMap<IncomingMessage, string>();
  const httpLogger = pinoHttp({
    logger: logger.child({ component: 'http' }),
    genReqId: (req) => String(req.headers['x-request-id'] ?? ''),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customProps: (req) => {
      const caller = callers.get(req);
      return caller === undefined ? {} : { caller };
    },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    serializers: {
      req: (req: { id: unknown; method: unknown; url: unknown }) => ({ id: req.id, method: req.method, url: withoutSecrets(String(req.url)) }),
      res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
    },
  });
  return async function accessLog(ctx, next) {
    // The request-id middleware runs first; make its id the one pino-http logs.
    ctx.req.headers['x-request-id'] = String(ctx.state.requestId);
    httpLogger(ctx.req, ctx.res);
    try {
      await next();
    } finally {
      const authentication = authenticationOf(ctx);
      if (authentication.status === 'authenticated') callers.set(ctx.req, principalName(authentication.principal));
    }
  };
}
