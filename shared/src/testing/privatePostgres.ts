/**
 * A Postgres server of the test's own (DESIGN §7: fault tests never stop the
 * machine's shared server): `initdb` into a temporary folder, `pg_ctl` on a
 * free port of 127.0.0.1, trust authentication, user `postgres`. The test may
 * stop, start and restart it; `destroy()` stops it and removes the folder.
 *
 * The binaries come from PG_BIN, else the first of /usr/lib/postgresql/<n>/bin
 * that has them, else PATH. initdb refuses to run as root, so as root every
 * command runs as the `postgres` user (runuser), which owns the folder.
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort.ts';

const run = promisify(execFile);

export interface PrivatePostgres {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> (default `postgres`). */
  url(database?: string): string;
  running(): boolean;
  start(): Promise<void>;
  /** `fast` disconnects clients and shuts down cleanly; `immediate` is a crash (recovery on the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** The server log so far (for failure messages). */
  log(): Promise<string>;
  destroy(): Promise<void>;
}

async function postgresBin(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? (await readdir(root)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, 'bin')).find((bin) => existsSync(join(bin, 'pg_ctl')));
  return found ?? '';
}

async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export interface PrivatePostgresOptions {
  /** Extra server settings, e.g. `{ log_statement: 'all' }` to see every statement in `log()`. */
  settings?: Record<string, string>;
}

export async function startPrivatePostgres(label: string, { settings = {} }: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = await postgresBin();
  const tool = (name: string) => (bin ? join(bin, name) : name);
  const owner = await postgresUser();
  const folder = await mkdtemp(join(tmpdir(), `medly-pg-${label.replace(/[^a-z0-9_-]/gi, '_')}-`));
  const dataDir = join(folder, 'data');
  const logFile = join(folder, 'server.log');
  if (owner) await chown(folder, owner.uid, owner.gid);

  const exec = async (name: string, args: string[]) => {
    const [file, argv] = owner ? ['runuser', ['-u', 'postgres', '--', tool(name), ...args]] : [tool(name), args];
    try {
      return await run(file, argv, { cwd: folder, timeout: 120_000 });
    } catch (error) {
      const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
      throw new Error(`${name} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`, { cause: error });
    }
  };

  await exec('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  // Small and fast: a test server holds little, and its durability does not matter.
  const options = [
    `-p ${port}`,
    `-k ${folder}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=32MB',
    '-c max_connections=60',
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  let up = false;

  const instance: PrivatePostgres = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    running: () => up,
    async start() {
      await exec('pg_ctl', ['-D', dataDir, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
      up = true;
    },
    async stop(mode = 'fast') {
      await exec('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
      up = false;
    },
    async restart(mode = 'fast') {
      await instance.stop(mode);
      await instance.start();
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async destroy() {
      if (up) await instance.stop('immediate').catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
    },
  };
  try {
    await instance.start();
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return instance;
}
