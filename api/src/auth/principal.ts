/**
 * Who is calling, once a credential has been verified, and what that allows.
 *
 * - A user: a verified ID token (a Firebase ID token in production); its
 *   subject is the caller's uid. A student reads only their own uid; staff
 *   (a claim or a configured list) read every uid and change profiles.
 * - A service: a configured service token (automation, scripts), with the
 *   rights it was configured with: `read` (every uid), `write` (profiles).
 */
import type { ServiceTokenRight } from '@medly/shared/config';

export type Right = ServiceTokenRight;

export type Principal =
  | { kind: 'user'; subject: string; staff: boolean }
  | { kind: 'service'; name: string; rights: readonly Right[] };

/** How a principal is named in events, responses and logs: `user:<uid>` or `service:<token name>`. */
export function principalName(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.subject}` : `service:${principal.name}`;
}

function rightsOf(principal: Principal): readonly Right[] {
  if (principal.kind === 'service') return principal.rights;
  return principal.staff ? ['read', 'write'] : [];
}

/** Reading a user's data: their own, or anyone's with the read right. */
export function mayReadUser(principal: Principal, uid: string): boolean {
  return rightsOf(principal).includes('read') || (principal.kind === 'user' && principal.subject === uid);
}

/** Changing a user's profile needs the write right, whoever the user is. */
export function mayWriteUser(principal: Principal): boolean {
  return rightsOf(principal).includes('write');
}
