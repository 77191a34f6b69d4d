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
  return async function securityHeaders(ctx, next) {
    await new Promise<void>((resolve, reject) => {
      apply(ctx.req, ctx.res, (error?: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error('helmet failed', { cause: error }));
        else resolve();
      });
    });
    await next();
  };
}
