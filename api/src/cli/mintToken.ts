/**
 * `pnpm mint`: credentials for trying the API locally.
 *
 *   pnpm mint keys [--dir .auth]
 *       an ES256 key pair in DIR (private.pem, public.pem); prints the settings to start the API with
 *   pnpm mint user UID [--staff] [--ttl SECONDS] [--dir .auth]
 *       a user token for UID (a student's; with --staff a staff member's), signed with DIR/private.pem,
 *       for AUTH_ISSUER / AUTH_AUDIENCE (medly-local / medly-api when unset)
 *   pnpm mint service NAME [--rights read|write|read+write]
 *       a random service token, and the SERVICE_TOKENS entry that accepts it (its SHA-256, never the token)
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalKeyPair, LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_STAFF_CLAIM, signLocalToken } from '../auth/localTokens.ts';
import { serviceTokenDigest } from '../auth/serviceTokens.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string', default: '.auth' },
    staff: { type: 'boolean', default: false },
    ttl: { type: 'string', default: '3600' },
    rights: { type: 'string', default: 'read' },
  },
});
const [command, name] = positionals;
const dir = resolve(values.dir);

function usage(message: string): never {
  console.error(`${message}\nusage: pnpm mint keys [--dir D] | user UID [--staff] [--ttl S] [--dir D] | service NAME [--rights read+write]`);
  process.exit(2);
}

switch (command) {
  case 'keys': {
    const { privateKeyPem, publicKeyPem } = await createLocalKeyPair();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'private.pem'), privateKeyPem, { mode: 0o600 });
    await writeFile(join(dir, 'public.pem'), publicKeyPem);
    console.log(`# keys written to ${dir}; start the API with:`);
    console.log(`export AUTH_PUBLIC_KEYS="$(cat ${join(values.dir, 'public.pem')})" AUTH_ISSUER=${LOCAL_ISSUER} AUTH_AUDIENCE=${LOCAL_AUDIENCE} AUTH_STAFF_CLAIM=${LOCAL_STAFF_CLAIM}`);
    break;
  }
  case 'user': {
    if (!name) usage('name the uid');
    const ttl = Number(values.ttl);
    if (!Number.isInteger(ttl) || ttl <= 0) usage('--ttl is a positive number of seconds');
    const privateKeyPem = await readFile(join(dir, 'private.pem'), 'utf8').catch(() => usage(`no ${join(dir, 'private.pem')}: run pnpm mint keys first`));
    const token = await signLocalToken(privateKeyPem, {
      subject: name,
      staff: values.staff,
      issuer: process.env.AUTH_ISSUER || LOCAL_ISSUER,
      audience: process.env.AUTH_AUDIENCE || LOCAL_AUDIENCE,
      expiresInSeconds: ttl,
    });
    console.log(token);
    break;
  }
  case 'service': {
    if (!name || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) usage('name the token: 1-64 letters, digits, ".", "_" or "-"');
    if (!/^(read|write)(\+(read|write))?$/.test(values.rights)) usage('--rights is read, write or read+write');
    const token = randomBytes(32).toString('base64url');
    console.log(`# the token (give it to the client; it is not stored anywhere):\n${token}`);
    console.log(`# add to SERVICE_TOKENS (comma-separated entries):\n${name}:${serviceTokenDigest(token)}:${values.rights}`);
    break;
  }
  default:
    usage(command === undefined ? 'name a command' : `unknown command ${command}`);
}
