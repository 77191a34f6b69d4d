/**
 * Credentials for tests, made here with no network: a local key pair the API
 * is configured to trust (plus a stranger's key, for wrong signatures), user
 * tokens for students and staff, service tokens with each set of rights, and
 * the API_TOKEN. `settings` is the environment that configures the API for
 * them; `appConfig()` the parsed configuration for createApp.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@medly/shared/config';
import { createLocalKeyPair, LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_STAFF_CLAIM, signLocalToken, type LocalTokenOptions } from '../auth/localTokens.ts';
import { serviceTokenDigest } from '../auth/serviceTokens.ts';
import { appConfig as appConfigSchema, type AppConfig } from '../config.ts';

/** A staff member known from AUTH_STAFF_UIDS rather than from a claim. */
export const LISTED_STAFF_UID = 'listed-staff-1';

export interface TestCredentials {
  /** Environment variables configuring the API for these credentials (rate limits off unless given). */
  settings: Record<string, string>;
  /** createApp's configuration: `settings` and the overrides, parsed. */
  appConfig(overrides?: Record<string, string>): AppConfig;
  /** A user token for uid, valid for an hour, signed with the trusted key. */
  user(uid: string, options?: Omit<LocalTokenOptions, 'subject'>): Promise<string>;
  staff(uid?: string): Promise<string>;
  expired(uid: string): Promise<string>;
  /** A well-formed token for uid signed with a key the API does not trust. */
  wrongSignature(uid: string): Promise<string>;
  apiToken: string;
  serviceReader: string;
  serviceWriter: string;
}

const secret = () => randomBytes(32).toString('base64url');

export async function createTestCredentials(): Promise<TestCredentials> {
  const trusted = await createLocalKeyPair();
  const stranger = await createLocalKeyPair();
  const apiToken = secret();
  const serviceReader = secret();
  const serviceWriter = secret();
  const settings = {
    API_TOKEN: apiToken,
    SERVICE_TOKENS: `reader:${serviceTokenDigest(serviceReader)}:read,writer:${serviceTokenDigest(serviceWriter)}:write`,
    AUTH_PUBLIC_KEYS: trusted.publicKeyPem,
    AUTH_ISSUER: LOCAL_ISSUER,
    AUTH_AUDIENCE: LOCAL_AUDIENCE,
    AUTH_STAFF_CLAIM: LOCAL_STAFF_CLAIM,
    AUTH_STAFF_UIDS: LISTED_STAFF_UID,
    RATE_LIMIT_REQUESTS: '0',
    CORS_ORIGINS: '',
  };
  return {
    settings,
    appConfig: (overrides = {}) => loadConfig(appConfigSchema, { TOPIC_PREFIX: 'test.', ...settings, ...overrides }),
    user: (uid, options = {}) => signLocalToken(trusted.privateKeyPem, { ...options, subject: uid }),
    staff: (uid = 'staff-1') => signLocalToken(trusted.privateKeyPem, { subject: uid, staff: true }),
    // Past the 30 s of allowed clock skew.
    expired: (uid) => signLocalToken(trusted.privateKeyPem, { subject: uid, expiresInSeconds: -120 }),
    wrongSignature: (uid) => signLocalToken(stranger.privateKeyPem, { subject: uid }),
    apiToken,
    serviceReader,
    serviceWriter,
  };
}

/** createApp's configuration with no credential configured at all (only public routes answer). */
export function anonymousAppConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(appConfigSchema, { TOPIC_PREFIX: 'test.', RATE_LIMIT_REQUESTS: '0', ...overrides });
}
