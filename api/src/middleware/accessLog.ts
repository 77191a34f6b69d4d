import type { Middleware } from 'koa';
import { pinoHttp } from 'pino-http';
import type { Logger } from '@medly/shared/logger';

/**
 * One pino line per request (method, url, status, time, request id) when the
 * response finishes; 5xx lines carry the error the problem middleware left in
 * `res.err`. Auth headers never reach the log.
 */
export function createAccessLog(logger: Logger): Middleware {
  const httpLogger = pinoHttp({
    logger: logger.child({ component: 'http' }),
    genReqId: (req) => String(req.headers['x-request-id'] ?? ''),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    serializers: {
      req: (req: { id: unknown; method: unknown; url: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
    },
  });
  return async function accessLog(ctx, next) {
    // The request-id middleware runs first; make its id the one pino-http logs.
    ctx.req.headers['x-request-id'] = String(ctx.state.requestId);
    httpLogger(ctx.req, ctx.res);
    await next();
  };
}
