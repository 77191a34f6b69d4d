/**
 * `produce --wait` against the real projector, run as its own process (the
 * producers import no projector code): the migrations by `pnpm migrate`'s
 * entry point, the projector by `pnpm projector`'s, on a throwaway database
 * and a unique topic prefix.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase, type TestDatabase } from '@medly/shared/testing/database';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { topicIds, topicName } from '@medly/shared/topics';
import type { MigrationReport } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const logger = createLogger({ level: 'warn', name: 'test' });

interface Setup {
  env: Record<string, string>;
  database: TestDatabase;
  folder: string;
  prefix: string;
}

async function setUp(label: string): Promise<Setup> {
  const { kafkaBrokers, adminDatabaseUrl } = await testServices();
  const database = await createTestDatabase(adminDatabaseUrl, label);
  const prefix = uniqueTopicPrefix(label);
  const env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  await promisify(execFile)(process.execPath, ['projector/src/migrate.ts'], { cwd: ROOT, env: { ...process.env, ...env } });
  return { env, database, prefix, folder: await mkdtemp(join(tmpdir(), `${label}-`)) };
}

async function tearDown({ database, folder, prefix, env }: Setup): Promise<void> {
  const admin = createKafka({ brokers: (env.KAFKA_BROKERS ?? '').split(','), clientId: 'wait-cleanup', logger }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: topicIds.map((id) => topicName(prefix, id)) }).catch(() => {});
  await admin.disconnect();
  await database.drop();
  await rm(folder, { recursive: true });
}

function runProduce(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['producers/src/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      done({ code, output });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) {
      done();
      return;
    }
    child.once('close', () => {
      done();
    });
    child.kill('SIGTERM');
  });
}

test('--wait returns once the projector has applied everything produced, with both halves of the report', async () => {
  const setup = await setUp('produce_wait');
  const projector = spawn(process.execPath, ['projector/src/main.ts'], { cwd: ROOT, env: { ...process.env, ...setup.env }, stdio: 'ignore' });
  try {
    const reportFile = join(setup.folder, 'report.json');
    const { code, output } = await runProduce(['--wait', '--wait-timeout', '120', '--report-file', reportFile], setup.env);
    assert.is(code, 0, output);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as MigrationReport;
    assert.is(report.sources.users?.read, 1061);
    assert.is(report.tables.lessons?.inserted, 279);
    assert.is(report.tables.attempts?.inserted, 1061);
    assert.is(report.tables.papers?.inserted, 2);
    assert.ok(report.projectionWarnings !== undefined, 'the projection warnings are read too');
    assert.match(output, /^lessons\s+279\s+0\s+0$/m);
  } finally {
    await stop(projector);
    await tearDown(setup);
  }
});

test('--wait gives up after --wait-timeout when nothing projects: exit 1, the lag named, the report still written', async () => {
  const setup = await setUp('produce_wait_timeout');
  try {
    const reportFile = join(setup.folder, 'report.json');
    const { code, output } = await runProduce(['--source', 'course', '--wait', '--wait-timeout', '1', '--report-file', reportFile], setup.env);
    assert.is(code, 1, output);
    assert.match(output, /the projector did not apply everything within 1 s; behind: .*curriculum\.lessons\[\d\] \d+/);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as MigrationReport;
    assert.is(report.sources.course?.produced, 279);
  } finally {
    await tearDown(setup);
  }
});

test.run();
