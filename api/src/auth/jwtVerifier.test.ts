import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exportJWK, exportSPKI, generateKeyPair, importPKCS8, SignJWT, UnsecuredJWT } from 'jose';
import { InvalidCredential, VerificationUnavailable } from './credentialErrors.ts';
import { createJwtVerifier, type JwtVerifierOptions } from './jwtVerifier.ts';
import { createLocalKeyPair, LOCAL_AUDIENCE, LOCAL_ISSUER, signLocalToken, type LocalKeyPair } from './localTokens.ts';

let trusted: LocalKeyPair;
let second: LocalKeyPair;
let stranger: LocalKeyPair;
let options: JwtVerifierOptions;

test.before(async () => {
  [trusted, second, stranger] = await Promise.all([createLocalKeyPair(), createLocalKeyPair(), createLocalKeyPair()]);
  options = {
    publicKeys: [trusted.publicKeyPem],
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    clockSkewSeconds: 30,
    staffClaim: { claim: 'staff' },
    staffUids: ['listed-staff'],
  };
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, InvalidCredential);
    return (error as Error).message;
  }
  assert.unreachable('the token was accepted');
  return '';
}

test('a student token: the subject is the uid, not staff', async () => {
  const verify = createJwtVerifier(options);
  assert.equal(await verify(await signLocalToken(trusted.privateKeyPem, { subject: 'u1' })), { kind: 'user', subject: 'u1', staff: false });
});

test('staff: the configured claim (true, a value, or a value in an array) or the configured list', async () => {
  const sign = (claims: Record<string, unknown>, subject = 'u1') => signLocalToken(trusted.privateKeyPem, { subject, claims });
  const staffOf = async (verifierOptions: Partial<JwtVerifierOptions>, token: string) => ((await createJwtVerifier({ ...options, ...verifierOptions })(token)) as { staff: boolean }).staff;
  assert.is(await staffOf({}, await sign({ staff: true })), true);
  assert.is(await staffOf({}, await sign({ staff: 'true' })), false, 'only the boolean true');
  assert.is(await staffOf({ staffClaim: { claim: 'role', value: 'teacher' } }, await sign({ role: 'teacher' })), true);
  assert.is(await staffOf({ staffClaim: { claim: 'role', value: 'teacher' } }, await sign({ role: 'student' })), false);
  assert.is(await staffOf({ staffClaim: { claim: 'roles', value: 'teacher' } }, await sign({ roles: ['student', 'teacher'] })), true);
  assert.is(await staffOf({ staffClaim: undefined }, await sign({ staff: true })), false, 'no claim configured: no claim grants staff');
  assert.is(await staffOf({ staffClaim: undefined }, await sign({}, 'listed-staff')), true);
});

test('expired beyond the clock skew is refused; within it, accepted', async () => {
  const verify = createJwtVerifier(options);
  assert.match(await refusal(verify(await signLocalToken(trusted.privateKeyPem, { subject: 'u1', expiresInSeconds: -60 }))), /expired/);
  assert.ok(await verify(await signLocalToken(trusted.privateKeyPem, { subject: 'u1', expiresInSeconds: -10 })));
});

test('a signature by another key, another issuer or audience, a missing subject or expiry: refused', async () => {
  const verify = createJwtVerifier(options);
  assert.match(await refusal(verify(await signLocalToken(stranger.privateKeyPem, { subject: 'u1' }))), /signature/);
  assert.match(await refusal(verify(await signLocalToken(trusted.privateKeyPem, { subject: 'u1', issuer: 'https://elsewhere' }))), /"iss"/);
  assert.match(await refusal(verify(await signLocalToken(trusted.privateKeyPem, { subject: 'u1', audience: 'other-app' }))), /"aud"/);
  const privateKey = await importPKCS8(trusted.privateKeyPem, 'ES256');
  const base = () => new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt();
  assert.match(await refusal(verify(await base().setExpirationTime('1h').sign(privateKey))), /"sub"/);
  assert.match(await refusal(verify(await base().setSubject('u1').sign(privateKey))), /"exp"/);
  assert.match(await refusal(verify(await base().setSubject('').setExpirationTime('1h').sign(privateKey))), /"sub"/);
});

test('no unsigned token, no HMAC keyed with the public key, nothing malformed', async () => {
  const verify = createJwtVerifier(options);
  const unsigned = new UnsecuredJWT({}).setSubject('u1').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().setExpirationTime('1h').encode();
  await refusal(verify(unsigned));
  const confused = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u1')
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(trusted.publicKeyPem));
  await refusal(verify(confused));
  for (const malformed of ['a.b.c', 'not-a-token', '', `${unsigned}x`]) await refusal(verify(malformed));
});

test('several keys (rotation): a token signed by any of them is accepted; RSA keys too', async () => {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const verify = createJwtVerifier({ ...options, publicKeys: [trusted.publicKeyPem, second.publicKeyPem, await exportSPKI(rsa.publicKey)] });
  assert.ok(await verify(await signLocalToken(second.privateKeyPem, { subject: 'u1' })));
  assert.ok(await verify(await signLocalToken(trusted.privateKeyPem, { subject: 'u1' })));
  const rsaToken = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'firebase-style-kid' })
    .setSubject('u1')
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(rsa.privateKey);
  assert.is(((await verify(rsaToken)) as { subject: string }).subject, 'u1');
});

test('a JWKS URL: keys fetched from it; when it cannot be reached, the token could not be checked (not refused)', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  let fetched = 0;
  const server = createServer((_req, res) => {
    fetched += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  try {
    const verify = createJwtVerifier({ ...options, publicKeys: undefined, jwksUrl: url });
    const sign = (kid: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject('u9')
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
    assert.is(((await verify(await sign('key-1'))) as { subject: string }).subject, 'u9');
    assert.ok(await verify(await sign('key-1')));
    assert.is(fetched, 1, 'the key set is cached');
    await refusal(verify(await signLocalToken(trusted.privateKeyPem, { subject: 'u9' })));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  const unreachable = createJwtVerifier({ ...options, publicKeys: undefined, jwksUrl: url });
  try {
    await unreachable(await signLocalToken(trusted.privateKeyPem, { subject: 'u9' }));
    assert.unreachable('accepted');
  } catch (error) {
    assert.instance(error, VerificationUnavailable);
  }
});

test.run();
