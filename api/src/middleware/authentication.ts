import type { Context, Middleware } from 'koa';
import type { Authenticate, Authentication } from '../auth/authenticator.ts';

/**
 * Checks the request's credential, if any, before anything else looks at it
 * (the rate limiter counts a verified caller as itself), and keeps the outcome
 * in ctx.state for the router: only routes that need a credential act on a
 * missing or bad one.
 */
export function createAuthentication(authenticate: Authenticate): Middleware {
  return async function authentication(ctx, next) {
    ctx.state.authentication = await authenticate(ctx.get('authorization'));
    await next();
  };
}

export function authenticationOf(ctx: Context): Authentication {
  return (ctx.state.authentication as Authentication | undefined) ?? { status: 'anonymous' };
}
