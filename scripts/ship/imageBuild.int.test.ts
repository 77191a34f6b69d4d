/**
 * Both Dockerfiles built without an engine (emulateBuild.ts) on the current
 * sources: the build commands succeed, the images hold production files only,
 * every @medly/shared module the services import loads from the compiled copy
 * under node_modules (where Node will not strip types), and the projector
 * image's migrate finds migrations/ and applies them to a throwaway database.
 * Needs pnpm on the PATH (its store is reused) and Postgres (DATABASE_URL).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestDatabase } from '../../shared/src/testing/database.ts';
import { testServices } from '../../shared/src/testing/services.ts';
import { emulateBuild, type EmulatedImage } from './emulateBuild.ts';
import { readRepoFile } from './repo.ts';

const workDir = mkdtempSync(join(tmpdir(), 'ship-build-'));
const pnpmStore = dirname(execFileSync('pnpm', ['store', 'path'], { encoding: 'utf8' }).trim());

function build(dockerfile: string, label: string): EmulatedImage {
  const root = join(workDir, label);
  return emulateBuild(readRepoFile(dockerfile), root, {
    '/repo': join(root, 'repo'),
    '/out': join(root, 'out'),
    '/app': join(root, 'app'),
    '/pnpm/store': pnpmStore,
  });
}

/** The @medly/shared modules a deployed package's own sources import. */
function sharedImports(packageDir: string): string[] {
  const files = readdirSync(join(packageDir, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  const specifiers = files.flatMap((file) =>
    [...readFileSync(join(packageDir, 'src', file), 'utf8').matchAll(/from '(@medly\/shared\/[^']+)'/g)].map((match) => match[1] ?? ''),
  );
  return [...new Set(specifiers)].sort();
}

function assertProductionPackage(packageDir: string): void {
  const files = readdirSync(join(packageDir, 'src'), { recursive: true, encoding: 'utf8' });
  assert.ok(files.includes('main.ts'), `${packageDir}: no src/main.ts`);
  assert.not.ok(files.some((file) => file.endsWith('.test.ts') || file.startsWith('testing')), `${packageDir}: test files in the image`);
  const virtualStore = readdirSync(join(packageDir, 'node_modules', '.pnpm'));
  for (const devOnly of ['typescript@', 'uvu@', 'testcontainers@', 'eslint@']) {
    assert.not.ok(virtualStore.some((entry) => entry.startsWith(devOnly)), `${packageDir}: ${devOnly} is a devDependency`);
  }
  const shared = JSON.parse(readFileSync(join(packageDir, 'node_modules', '@medly', 'shared', 'package.json'), 'utf8')) as { exports: unknown };
  assert.equal(shared.exports, { './*': './dist/*.js' });

  const imports = sharedImports(packageDir);
  assert.ok(imports.includes('@medly/shared/config'), `${packageDir}: reads no config?`);
  const script = `for (const name of ${JSON.stringify(imports)}) await import(name);`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageDir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('Dockerfile.api builds: the API with production dependencies and a compiled @medly/shared', () => {
  const image = build('Dockerfile.api', 'api');
  assert.ok(image.workdir.endsWith(join('app', 'api')));
  assertProductionPackage(image.workdir);
});

test('Dockerfile.projector builds: the importer, projector, producers and migrations as a production workspace; its migrate applies them', async () => {
  const image = build('Dockerfile.projector', 'projector');
  assert.ok(image.workdir.endsWith('app'));
  const entries = readdirSync(image.workdir);
  for (const entry of ['importer', 'migrations', 'node_modules', 'producers', 'projector', 'shared']) assert.ok(entries.includes(entry), `${entry} in the image`);
  assert.not.ok(entries.includes('api'), 'the API has its own image');
  for (const main of ['importer', 'projector', 'producers']) assert.ok(existsSync(join(image.workdir, main, 'src', 'main.ts')), `${main}/src/main.ts`);
  const virtualStore = readdirSync(join(image.workdir, 'node_modules', '.pnpm'));
  for (const devOnly of ['typescript@', 'uvu@', 'testcontainers@', 'eslint@']) {
    assert.not.ok(virtualStore.some((entry) => entry.startsWith(devOnly)), `${devOnly} is a devDependency`);
  }
  const testFiles = readdirSync(image.workdir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => !file.includes('node_modules') && (file.endsWith('.test.ts') || file.includes('/testing/')),
  );
  assert.equal(testFiles, [], 'no test files in the image');
  // Every command compose runs from this image loads (type stripping works outside node_modules).
  for (const main of ['importer/src/main.ts', 'producers/src/main.ts']) {
    const usage = spawnSync(process.execPath, [main, '--no-such-flag'], { cwd: image.workdir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    assert.is(usage.status, 2, `${main}: ${usage.stderr}`);
    assert.match(usage.stderr, /usage: pnpm/);
  }

  // The command compose's `migrate` runs, from the image's working directory.
  const services = await testServices();
  const database = await createTestDatabase(services.adminDatabaseUrl, 'ship_migrate');
  try {
    execFileSync(process.execPath, ['projector/src/migrate.ts'], {
      cwd: image.workdir,
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const applied = execFileSync('psql', [database.url, '-tAc', 'SELECT count(*) FROM pgmigrations'], { encoding: 'utf8' }).trim();
    const expected = readdirSync(join(image.workdir, 'migrations')).filter((file) => file.endsWith('.sql')).length;
    assert.ok(expected > 0);
    assert.is(Number(applied), expected);
  } finally {
    await database.drop();
  }
});

test.after(() => {
  rmSync(workDir, { recursive: true, force: true });
});

test.run();
