import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import helmet from 'helmet';

/**
 * helmet's headers (nosniff, frame denial, referrer policy, HSTS, CORP…) with
 * a CSP that lets the docs page run from this origin only: no inline script,
 * no third-party host (swagger-ui needs inline styles and data: images).
 */
export function createSecurityHeaders(): Middleware {
  const apply = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  // Every header helmet sets is static here (no nonce): collected once, then set per request without helmet's
  // chain of a dozen middleware functions and a promise per request.
  const headers: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    removeHeader: (name: string) => removed.push(name),
  };
  apply({} as unknown as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('helmet failed', { cause: error });
  });
  if (headers.length === 0) throw new Error('helmet set no header: it has stopped answering synchronously');
  return async function securityHeaders(ctx, next) {
    const { res } = ctx;
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of headers) res.setHeader(name, value);
    await next();
  };
}
