/**
 * User tokens without Firebase, for trying the API locally and for tests: an
 * ES256 key pair made here, and JWTs signed with it that carry what a
 * Firebase ID token carries for the API (iss, aud, sub = the uid, iat, exp,
 * and optionally the staff claim). The API checks them exactly as it checks
 * Firebase's, given the public key (AUTH_PUBLIC_KEYS) and the same issuer
 * and audience. Nothing here touches the network.
 */
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT } from 'jose';

export const LOCAL_ALGORITHM = 'ES256';
export const LOCAL_ISSUER = 'medly-local';
export const LOCAL_AUDIENCE = 'medly-api';
/** The claim the local tokens mark staff with (AUTH_STAFF_CLAIM=staff). */
export const LOCAL_STAFF_CLAIM = 'staff';

export interface LocalKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export async function createLocalKeyPair(): Promise<LocalKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
  return { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

export interface LocalTokenOptions {
  /** The uid. */
  subject: string;
  staff?: boolean;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for a token that has already expired. */
  expiresInSeconds?: number;
  /** Any other claims (a test's odd ones). */
  claims?: Record<string, unknown>;
}

export async function signLocalToken(privateKeyPem: string, options: LocalTokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = options.expiresInSeconds ?? 3600;
  const key = await importPKCS8(privateKeyPem, LOCAL_ALGORITHM);
  return new SignJWT({ ...options.claims, ...(options.staff ? { [LOCAL_STAFF_CLAIM]: true } : {}) })
    .setProtectedHeader({ alg: LOCAL_ALGORITHM, typ: 'JWT' })
    .setIssuer(options.issuer ?? LOCAL_ISSUER)
    .setAudience(options.audience ?? LOCAL_AUDIENCE)
    .setSubject(options.subject)
    .setIssuedAt(Math.min(now, now + expiresIn - 60))
    .setExpirationTime(now + expiresIn)
    .sign(key);
}
