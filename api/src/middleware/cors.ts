import cors from '@koa/cors';
import type { Middleware } from 'koa';

/** CORS is closed (no Access-Control-* header at all) unless CORS_ORIGINS lists origins; then only those. */
export function createCors(allowedOrigins: readonly string[]): Middleware | undefined {
  if (allowedOrigins.length === 0) return undefined;
  const allowed = new Set(allowedOrigins);
  return cors({
    origin: (ctx) => (allowed.has(ctx.get('origin')) ? ctx.get('origin') : ''),
    allowMethods: ['GET', 'HEAD', 'PATCH', 'OPTIONS'],
    allowHeaders: ['authorization', 'content-type', 'x-request-id', 'if-match', 'if-none-match'],
    exposeHeaders: ['x-request-id', 'location', 'etag', 'retry-after'],
    maxAge: 600,
  });
}
