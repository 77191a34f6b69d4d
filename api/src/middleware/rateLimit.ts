/**
 * Per-client rate limits on every route: RATE_LIMIT_REQUESTS requests per
 * RATE_LIMIT_WINDOW_SECONDS, then 429 with Retry-After until the window ends.
 * A client is its verified credential (a student, a staff member or a service
 * token, wherever it calls from) or else its address, so a flood of made-up
 * tokens is counted against the address that sends it. RATE_LIMIT_REQUESTS=0
 * turns limiting off (benchmarks).
 *
 * rate-limiter-flexible's in-memory limiter: fixed windows per key, each key
 * dropped when its window ends (memory stays proportional to the clients of
 * one window). Per process: N API instances allow N times the limit, which is
 * fine for abuse limits; an exact global limit needs a shared store (the same
 * library's Redis or Postgres limiter) or the proxy in front.
 */
import type { Context, Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { principalName } from '../auth/principal.ts';
import { HttpProblem } from '../problem.ts';
import { authenticationOf } from './authentication.ts';

export interface RateLimitOptions {
  requests: number;
  windowSeconds: number;
}

function clientOf(ctx: Context): string {
  const authentication = authenticationOf(ctx);
  // proxy: false, so ctx.ip is the peer address: behind a proxy every client shares the proxy's budget.
  return authentication.status === 'authenticated' ? principalName(authentication.principal) : `address:${ctx.ip}`;
}

export function createRateLimit({ requests, windowSeconds }: RateLimitOptions): Middleware | undefined {
  if (requests === 0) return undefined;
  const limiter = new RateLimiterMemory({ points: requests, duration: windowSeconds });
  return async function rateLimit(ctx, next) {
    try {
      await limiter.consume(clientOf(ctx));
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome;
      const seconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      throw new HttpProblem(429, `Too many requests: at most ${requests} every ${windowSeconds} s per client. Try again in ${seconds} s.`, {
        headers: { 'Retry-After': String(seconds) },
      });
    }
    await next();
  };
}
