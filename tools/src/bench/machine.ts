/** What the bench ran on: cores, memory, CPU, and the versions of Node, Postgres and Kafka. */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import pg from 'pg';

export interface MachineInfo {
  nproc: string;
  memory: string;
  cpuModel: string;
  kernel: string;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  kafka: string;
}

const POSTGRES_SETTINGS = ['shared_buffers', 'synchronous_commit', 'wal_level', 'max_wal_size', 'work_mem', 'fsync'];

function run(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trimEnd();
  } catch {
    return 'unknown';
  }
}

export async function describeMachine(databaseUrl: string): Promise<MachineInfo> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const version = await client.query<{ version: string }>('SELECT version()');
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
      'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[]) ORDER BY name',
      [POSTGRES_SETTINGS],
    );
    return {
      nproc: run('nproc', []),
      memory: run('free', ['-h']),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      kernel: run('uname', ['-srm']),
      node: process.version,
      postgres: version.rows[0]?.version ?? 'unknown',
      postgresSettings: Object.fromEntries(settings.rows.map((row) => [row.name, row.unit ? `${row.setting} × ${row.unit}` : row.setting])),
      kafka: await kafkaVersion(),
    };
  } finally {
    await client.end();
  }
}

/** The version the local stack fetches from Maven Central (scripts/kafka/pom.xml). */
async function kafkaVersion(): Promise<string> {
  const pom = await readFile(new URL('../../../scripts/kafka/pom.xml', import.meta.url), 'utf8').catch(() => '');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  return version ? `Apache Kafka ${version} (KRaft, single node, scripts/kafka)` : 'unknown';
}
