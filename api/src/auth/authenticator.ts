/**
 * Turns an Authorization header into who is calling. A bearer token is first
 * looked up among the service tokens (constant time), then, if it has the
 * shape of a JWT, verified as a user ID token. Nothing is thrown here: the
 * outcome is kept for the route to judge, so public routes ignore a bad
 * credential and the rate limiter can count a verified caller as itself.
 */
import type { AppConfig, AUTH_SETTINGS } from '../config.ts';
import { InvalidCredential } from './credentialErrors.ts';
import { createJwtVerifier } from './jwtVerifier.ts';
import type { Principal } from './principal.ts';
import { createServiceTokens } from './serviceTokens.ts';

export type Authentication =
  | { status: 'anonymous' }
  | { status: 'authenticated'; principal: Principal }
  | { status: 'rejected'; error: InvalidCredential }
  /** The token could not be checked (the key set is unreachable): retrying may work. */
  | { status: 'unavailable'; error: unknown };

export type Authenticate = (authorization: string) => Promise<Authentication>;

const BEARER = /^Bearer ([\x21-\x7e]+)$/i;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

export function createAuthenticator(config: Pick<AppConfig, (typeof AUTH_SETTINGS)[number]>): Authenticate {
  const matchServiceToken = createServiceTokens(config.SERVICE_TOKENS, config.API_TOKEN);
  const userTokens = config.AUTH_JWKS_URL !== undefined || config.AUTH_PUBLIC_KEYS !== undefined;
  const verifyJwt = userTokens
    ? createJwtVerifier({
        jwksUrl: config.AUTH_JWKS_URL,
        publicKeys: config.AUTH_PUBLIC_KEYS,
        issuer: config.AUTH_ISSUER ?? '',
        audience: config.AUTH_AUDIENCE ?? '',
        clockSkewSeconds: config.AUTH_CLOCK_SKEW_SECONDS,
        staffClaim: config.AUTH_STAFF_CLAIM,
        staffUids: config.AUTH_STAFF_UIDS,
      })
    : undefined;
  const rejected = (detail: string): Authentication => ({ status: 'rejected', error: new InvalidCredential(detail) });

  return async function authenticate(authorization) {
    if (authorization === '') return { status: 'anonymous' };
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) return rejected('Send the token as "Authorization: Bearer <token>".');
    const service = matchServiceToken(token);
    if (service) return { status: 'authenticated', principal: service };
    if (!JWT_SHAPE.test(token)) return rejected('The bearer token is not valid.');
    if (!verifyJwt) return rejected('This server accepts no user tokens, only service tokens.');
    try {
      return { status: 'authenticated', principal: await verifyJwt(token) };
    } catch (error) {
      return error instanceof InvalidCredential ? { status: 'rejected', error } : { status: 'unavailable', error };
    }
  };
}
