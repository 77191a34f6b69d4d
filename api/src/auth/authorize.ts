/**
 * Whether a request may use a route, from what authentication found: 401
 * (with a Bearer challenge) when there is no acceptable credential, 403 when
 * the caller may not do this, 503 when the token could not be checked. It
 * runs before the path is validated or any query is made, so a caller who may
 * not read a uid learns nothing about it, not even whether it exists.
 */
import { HttpProblem, RETRY_AFTER_SECONDS } from '../problem.ts';
import type { Authentication } from './authenticator.ts';
import { mayReadUser, mayWriteUser, type Principal } from './principal.ts';

/** Who may call a route: anyone, or whoever may read / change the user named by a path parameter. */
export type RouteAccess = 'public' | { readUser: string } | { writeUser: string };

const REALM = 'Bearer realm="medly"';

function challenge(description?: string): Record<string, string> {
  if (description === undefined) return { 'WWW-Authenticate': REALM };
  // RFC 6750 §3: error_description is a quoted string of printable ASCII, without `"` or `\`.
  const quoted = description.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
  return { 'WWW-Authenticate': `${REALM}, error="invalid_token", error_description="${quoted}"` };
}

/** The caller, or the problem that stops them; for routes that are not public. */
export function authorize(authentication: Authentication, access: RouteAccess, params: Record<string, string | undefined>): Principal | undefined {
  if (access === 'public') return authentication.status === 'authenticated' ? authentication.principal : undefined;
  switch (authentication.status) {
    case 'anonymous':
      throw new HttpProblem(401, 'This route needs a credential: "Authorization: Bearer <token>" (a user ID token or a service token).', {
        headers: challenge(),
      });
    case 'rejected':
      throw new HttpProblem(401, authentication.error.message, { headers: challenge(authentication.error.message), cause: authentication.error });
    case 'unavailable':
      throw new HttpProblem(503, 'The token could not be checked now; try again shortly.', {
        headers: { 'Retry-After': RETRY_AFTER_SECONDS },
        cause: authentication.error,
      });
    case 'authenticated':
      break;
  }
  const { principal } = authentication;
  const allowed = 'readUser' in access ? mayReadUser(principal, params[access.readUser] ?? '') : mayWriteUser(principal);
  if (!allowed) {
    const detail = 'readUser' in access ? 'This credential may not read this user\'s data.' : 'This credential may not change user profiles.';
    throw new HttpProblem(403, detail, { headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope"` } });
  }
  return principal;
}
