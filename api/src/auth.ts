import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { HttpProblem } from './problem.ts';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <API_TOKEN>`. Both sides are hashed first so
 * timingSafeEqual compares equal lengths and the time taken says nothing about
 * the token. Without a configured token every request is refused.
 */
export function createBearerAuth(apiToken: string | undefined): (ctx: Context) => void {
  const expected = apiToken === undefined ? undefined : digest(apiToken);
  return function authenticate(ctx) {
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(ctx.get('authorization'));
    const unauthorized = (detail: string) =>
      new HttpProblem(401, detail, { headers: { 'WWW-Authenticate': 'Bearer realm="medly"' } });
    if (!expected) throw unauthorized('This server has no API token configured; writes are disabled.');
    if (!match?.[1]) throw unauthorized('Send the API token as "Authorization: Bearer <token>".');
    if (!timingSafeEqual(digest(match[1]), expected)) throw unauthorized('The bearer token is not valid.');
  };
}
