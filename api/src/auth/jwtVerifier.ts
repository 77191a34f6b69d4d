/**
 * Verifies user ID tokens (Firebase ID tokens in production): JWTs signed with
 * an asymmetric key, checked with jose against either a JWKS URL (fetched and
 * cached by jose, refetched when a token names an unknown key) or PEM public
 * keys from the configuration. Issuer and audience must match, `exp`, `iat`
 * and `sub` must be present, expiry allows a small clock skew, and only
 * asymmetric algorithms are accepted (no `none`, no HMAC with a public key as
 * its secret). The subject is the uid; staff come from a claim or a list.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type KeyInput,
  type JWTPayload,
  type JWTVerifyOptions,
  type ProtectedHeaderParameters,
} from 'jose';
import { InvalidCredential, VerificationUnavailable } from './credentialErrors.ts';
import type { Principal } from './principal.ts';

export interface JwtVerifierOptions {
  /** Exactly one of jwksUrl and publicKeys. */
  jwksUrl?: string | undefined;
  publicKeys?: readonly string[] | undefined;
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  /** A claim that makes its bearer staff: `true`, or equal to (or, in an array, holding) `value`. */
  staffClaim?: { claim: string; value?: string | undefined } | undefined;
  staffUids: readonly string[];
}

export type VerifyJwt = (token: string) => Promise<Principal>;

const ALGORITHMS_BY_KEY: Record<string, readonly string[]> = {
  rsa: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  prime256v1: ['ES256'],
  secp384r1: ['ES384'],
  secp521r1: ['ES512'],
  ed25519: ['EdDSA', 'Ed25519'],
};
const ASYMMETRIC = [...new Set(Object.values(ALGORITHMS_BY_KEY).flat())];

const algorithmsOf = (key: KeyObject) => ALGORITHMS_BY_KEY[key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyType ?? ''] ?? [];

/** Errors that say the token is wrong (401); anything else means the keys could not be had (503). */
const TOKEN_ERRORS = new Set([
  errors.JWTClaimValidationFailed.code,
  errors.JWTExpired.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JWSSignatureVerificationFailed.code,
]);

function describe(error: unknown): InvalidCredential | VerificationUnavailable {
  if (!(error instanceof errors.JOSEError) || !TOKEN_ERRORS.has(error.code)) return new VerificationUnavailable(error);
  if (error instanceof errors.JWTExpired) return new InvalidCredential('The token has expired.', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) return new InvalidCredential(`The token's "${error.claim}" claim is not accepted.`, { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidCredential('The token\'s signature is not valid.', { cause: error });
  if (error instanceof errors.JWKSNoMatchingKey) return new InvalidCredential('The token is not signed by a known key.', { cause: error });
  return new InvalidCredential('The bearer token is not a valid token.', { cause: error });
}

export function createJwtVerifier(options: JwtVerifierOptions): VerifyJwt {
  const localKeys = options.publicKeys?.map((pem) => createPublicKey(pem));
  // Keys are refetched at most every 30 s when a token names an unknown one, and every hour anyway (a key the
  // issuer withdrew stops being trusted); the hour also bounds how long an outage of the JWKS URL goes unnoticed.
  const remote =
    options.jwksUrl === undefined
      ? undefined
      : createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 60 * 60_000 });
  const staffUids = new Set(options.staffUids);
  const verifyOptions: JWTVerifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: ASYMMETRIC,
    clockTolerance: options.clockSkewSeconds,
    requiredClaims: ['sub', 'exp', 'iat'],
  };

  /** The keys the token may be signed with: a key set can hold several for one algorithm (rotation, no `kid`). */
  async function keysFor(header: ProtectedHeaderParameters): Promise<KeyInput[]> {
    if (localKeys) return localKeys.filter((key) => algorithmsOf(key).includes(header.alg ?? ''));
    if (!remote) return [];
    try {
      return [await remote(header, { payload: '', signature: '' })];
    } catch (error) {
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
      const keys: KeyInput[] = [];
      for await (const key of error) keys.push(key);
      return keys;
    }
  }

  function isStaff(payload: JWTPayload, subject: string): boolean {
    if (staffUids.has(subject)) return true;
    if (!options.staffClaim) return false;
    const { claim, value } = options.staffClaim;
    const held = payload[claim];
    if (value === undefined) return held === true;
    return held === value || (Array.isArray(held) && held.includes(value));
  }

  return async function verifyJwt(token) {
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch (error) {
      throw new InvalidCredential('The bearer token is not a valid token.', { cause: error });
    }
    let payload: JWTPayload | undefined;
    try {
      const keys = await keysFor(header);
      if (keys.length === 0) throw new errors.JWKSNoMatchingKey();
      for (const [index, key] of keys.entries()) {
        try {
          ({ payload } = await jwtVerify(token, key, verifyOptions));
          break;
        } catch (error) {
          if (!(error instanceof errors.JWSSignatureVerificationFailed) || index === keys.length - 1) throw error;
        }
      }
    } catch (error) {
      throw describe(error);
    }
    const subject = payload?.sub;
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > 128) {
      throw new InvalidCredential('The token\'s "sub" claim is not a uid.');
    }
    return { kind: 'user', subject, staff: isStaff(payload ?? {}, subject) };
  };
}
