/**
 * Service tokens: opaque secrets for automation, configured only as SHA-256
 * digests (SERVICE_TOKENS) plus API_TOKEN, which keeps working unchanged as
 * the service token `api-token` with every right.
 *
 * The presented token is hashed and its digest compared with every configured
 * digest by timingSafeEqual: always 32 bytes against 32 (never a throw on a
 * length mismatch), every entry compared whatever matched, so the time taken
 * says nothing about the token. A digest suffices: service tokens are random
 * (128 bits or more), nothing a dictionary could find.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_TOKEN_NAME, type ServiceTokenSetting } from '@medly/shared/config';
import type { Principal } from './principal.ts';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The SERVICE_TOKENS digest of a token (lowercase hex). */
export function serviceTokenDigest(token: string): string {
  return digest(token).toString('hex');
}

export type MatchServiceToken = (token: string) => Principal | undefined;

export function createServiceTokens(configured: readonly ServiceTokenSetting[], apiToken: string | undefined): MatchServiceToken {
  const entries: { digest: Buffer; principal: Principal }[] = configured.map((entry) => ({
    digest: Buffer.from(entry.sha256, 'hex'),
    principal: { kind: 'service', name: entry.name, rights: entry.rights },
  }));
  if (apiToken !== undefined) {
    entries.push({ digest: digest(apiToken), principal: { kind: 'service', name: API_TOKEN_NAME, rights: ['read', 'write'] } });
  }
  return function matchServiceToken(token) {
    const presented = digest(token);
    let found: Principal | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(presented, entry.digest)) found = entry.principal;
    }
    return found;
  };
}
