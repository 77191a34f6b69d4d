import { generateKeyPairSync } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allSettings, ConfigError, configOf, loadConfig } from './config.ts';

const everySetting = allSettings;

test('defaults fill every variable of an empty environment', () => {
  const config = loadConfig(everySetting, {});
  assert.equal(config.KAFKA_BROKERS, ['127.0.0.1:9092']);
  assert.is(config.DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/medly');
  assert.is(config.TOPIC_PREFIX, 'medly.');
  assert.is(config.PORT, 3000);
  assert.is(config.MAX_RECORD_BYTES, 1024 * 1024);
  assert.is(config.SCHEMA_REGISTRY_URL, undefined);
  assert.is(config.API_TOKEN, undefined);
});

test('values are parsed and coerced', () => {
  const config = loadConfig(everySetting, {
    KAFKA_BROKERS: 'a:9092, b:9093',
    PORT: '8080',
    SCHEMA_REGISTRY_URL: 'http://localhost:8081',
    CORS_ORIGINS: 'https://a.example, https://b.example',
  });
  assert.equal(config.KAFKA_BROKERS, ['a:9092', 'b:9093']);
  assert.is(config.PORT, 8080);
  assert.is(config.SCHEMA_REGISTRY_URL, 'http://localhost:8081');
  assert.equal(config.CORS_ORIGINS, ['https://a.example', 'https://b.example']);
});

test('an empty SCHEMA_REGISTRY_URL or API_TOKEN means none (compose passes unset variables as empty)', () => {
  const config = loadConfig(everySetting, { SCHEMA_REGISTRY_URL: '', API_TOKEN: '' });
  assert.is(config.SCHEMA_REGISTRY_URL, undefined);
  assert.is(config.API_TOKEN, undefined);
});

test('every bad variable is listed in one error', () => {
  try {
    loadConfig(everySetting, {
      DATABASE_URL: 'mysql://x',
      KAFKA_BROKERS: 'no-port',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      TOPIC_PREFIX: 'has space',
      API_TOKEN: 'short',
    });
    assert.unreachable('loadConfig accepted bad values');
  } catch (error) {
    assert.instance(error, ConfigError);
    const variables = (error as ConfigError).issues.map((issue) => issue.split(':')[0]).sort();
    assert.equal(variables, ['API_TOKEN', 'DATABASE_URL', 'KAFKA_BROKERS.0', 'LOG_LEVEL', 'PORT', 'TOPIC_PREFIX']);
    assert.match((error as Error).message, /PORT/);
  }
});

test('a service parses only its own settings: a bad setting of another service does not stop it', () => {
  const projector = configOf('DATABASE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL');
  const config = loadConfig(projector, { API_TOKEN: 'short', PORT: 'eighty', LOG_LEVEL: 'debug' });
  assert.equal(Object.keys(config).sort(), ['DATABASE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL']);
  assert.is(config.LOG_LEVEL, 'debug');
});

const HASH = 'a'.repeat(64);
const OTHER_HASH = 'b'.repeat(64);

const issuesOf = (env: Record<string, string>) => {
  try {
    loadConfig(everySetting, env);
    return [];
  } catch (error) {
    return (error as ConfigError).issues;
  }
};

test('credential and rate-limit settings: defaults', () => {
  const config = loadConfig(everySetting, {});
  assert.equal(config.SERVICE_TOKENS, []);
  assert.equal(config.AUTH_STAFF_UIDS, []);
  assert.equal([config.AUTH_JWKS_URL, config.AUTH_PUBLIC_KEYS, config.AUTH_ISSUER, config.AUTH_AUDIENCE, config.AUTH_STAFF_CLAIM], [undefined, undefined, undefined, undefined, undefined]);
  assert.equal([config.AUTH_CLOCK_SKEW_SECONDS, config.RATE_LIMIT_REQUESTS, config.RATE_LIMIT_WINDOW_SECONDS], [30, 600, 60]);
});

test('SERVICE_TOKENS: name:sha256:rights entries, comma- or space-separated; hashes only, names and hashes unique', () => {
  const config = loadConfig(everySetting, { SERVICE_TOKENS: `ci:${HASH}:read+write, dashboard:${OTHER_HASH}:read` });
  assert.equal(config.SERVICE_TOKENS, [
    { name: 'ci', sha256: HASH, rights: ['read', 'write'] },
    { name: 'dashboard', sha256: OTHER_HASH, rights: ['read'] },
  ]);
  for (const bad of [`ci:${HASH}:admin`, `ci:${HASH.slice(1)}:read`, `ci:${HASH.toUpperCase()}:read`, 'ci:plaintext-token:read', `ci:${HASH}`, `c i:${HASH}:read`]) {
    assert.ok(issuesOf({ SERVICE_TOKENS: bad }).some((issue) => issue.startsWith('SERVICE_TOKENS')), bad);
  }
  assert.match(issuesOf({ SERVICE_TOKENS: `a:${HASH}:read,a:${OTHER_HASH}:read` }).join(), /names a token twice/);
  assert.match(issuesOf({ SERVICE_TOKENS: `a:${HASH}:read,b:${HASH}:write` }).join(), /one token under two names/);
  assert.match(issuesOf({ SERVICE_TOKENS: `api-token:${HASH}:read` }).join(), /name of API_TOKEN/);
});

test('AUTH_PUBLIC_KEYS: PEM keys with real line breaks or \\n escapes; anything else is refused', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  assert.equal(loadConfig(everySetting, { AUTH_PUBLIC_KEYS: `${ec}${rsa}` }).AUTH_PUBLIC_KEYS?.map((key) => key.trim()), [ec.trim(), rsa.trim()]);
  assert.equal(loadConfig(everySetting, { AUTH_PUBLIC_KEYS: ec.replaceAll('\n', '\\n') }).AUTH_PUBLIC_KEYS?.length, 1);
  assert.ok(issuesOf({ AUTH_PUBLIC_KEYS: 'not a key' }).length > 0);
  assert.ok(issuesOf({ AUTH_PUBLIC_KEYS: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }).length > 0);
});

test('AUTH_JWKS_URL is https (http only on this machine); AUTH_STAFF_CLAIM is a name or name=value', () => {
  assert.ok(issuesOf({ AUTH_JWKS_URL: 'http://keys.example/jwks.json' }).length > 0);
  assert.equal(issuesOf({ AUTH_JWKS_URL: 'https://keys.example/jwks.json' }), []);
  assert.equal(issuesOf({ AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' }), []);
  assert.equal(loadConfig(everySetting, { AUTH_STAFF_CLAIM: 'staff' }).AUTH_STAFF_CLAIM, { claim: 'staff', value: undefined });
  assert.equal(loadConfig(everySetting, { AUTH_STAFF_CLAIM: 'role=teacher' }).AUTH_STAFF_CLAIM, { claim: 'role', value: 'teacher' });
  assert.ok(issuesOf({ AUTH_STAFF_CLAIM: 'a b' }).length > 0);
  assert.equal(loadConfig(everySetting, { RATE_LIMIT_REQUESTS: '0' }).RATE_LIMIT_REQUESTS, 0);
  assert.ok(issuesOf({ RATE_LIMIT_REQUESTS: '-1' }).length > 0);
});

test.run();
