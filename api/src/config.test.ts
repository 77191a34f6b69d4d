import { generateKeyPairSync } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, type ConfigError } from '@medly/shared/config';
import { apiConfig } from './config.ts';

const PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(apiConfig, env);
    return [];
  } catch (error) {
    return [...(error as ConfigError).issues];
  }
}

test('service tokens alone, or nothing at all, is a valid configuration', () => {
  assert.equal(problemsOf({}), []);
  assert.equal(problemsOf({ API_TOKEN: 'x'.repeat(24) }), []);
});

test('user tokens need an issuer and an audience, and one source of keys', () => {
  assert.equal(problemsOf({ AUTH_PUBLIC_KEYS: PEM, AUTH_ISSUER: 'https://securetoken.google.com/p', AUTH_AUDIENCE: 'p' }), []);
  const missing = problemsOf({ AUTH_PUBLIC_KEYS: PEM });
  assert.equal(missing.map((issue) => issue.split(':')[0]).sort(), ['AUTH_AUDIENCE', 'AUTH_ISSUER']);
  const both = problemsOf({ AUTH_PUBLIC_KEYS: PEM, AUTH_JWKS_URL: 'https://keys.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' });
  assert.match(both.join(), /AUTH_PUBLIC_KEYS: set AUTH_JWKS_URL or AUTH_PUBLIC_KEYS, not both/);
});

test('staff settings without user tokens are a mistake, said at start-up', () => {
  assert.equal(problemsOf({ AUTH_STAFF_CLAIM: 'staff', AUTH_STAFF_UIDS: 'u1' }).map((issue) => issue.split(':')[0]).sort(), ['AUTH_STAFF_CLAIM', 'AUTH_STAFF_UIDS']);
});

test.run();
