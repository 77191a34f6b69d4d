import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServiceTokens, serviceTokenDigest } from './serviceTokens.ts';

const READER = 'reader-token-0123456789abcdef0123456789';
const WRITER = 'writer-token-0123456789abcdef0123456789';
const API_TOKEN = 'the-api-token-of-this-deployment';

const match = createServiceTokens(
  [
    { name: 'dashboard', sha256: serviceTokenDigest(READER), rights: ['read'] },
    { name: 'sync', sha256: serviceTokenDigest(WRITER), rights: ['read', 'write'] },
  ],
  API_TOKEN,
);

test('each configured token is its named principal with its rights; API_TOKEN is api-token with every right', () => {
  assert.equal(match(READER), { kind: 'service', name: 'dashboard', rights: ['read'] });
  assert.equal(match(WRITER), { kind: 'service', name: 'sync', rights: ['read', 'write'] });
  assert.equal(match(API_TOKEN), { kind: 'service', name: 'api-token', rights: ['read', 'write'] });
});

test('anything else matches nothing, whatever its length', () => {
  for (const token of ['', 'x', READER.slice(0, -1), `${READER}x`, READER.toUpperCase(), serviceTokenDigest(READER), 'y'.repeat(10_000)]) {
    assert.is(match(token), undefined, token.slice(0, 40));
  }
});

test('without configured tokens nothing matches', () => {
  assert.is(createServiceTokens([], undefined)(API_TOKEN), undefined);
});

test('the digest is SHA-256 in lowercase hex', () => {
  assert.is(serviceTokenDigest('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test.run();
