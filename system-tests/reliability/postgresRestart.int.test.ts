/**
 * Postgres restarted in the middle of a projection. Generated data (`pnpm gen
 * --scale 4`, about 36 000 events) is produced once (real broker, unique
 * prefix); a clean run projects it into one
 * database of a private Postgres server, and the real projector process
 * (`pnpm projector --until-caught-up`, small batches) projects it into
 * another while the test stops the server as soon as the first batch has
 * committed and starts it again a few seconds later. The projector must back
 * off, resume by itself, finish, and leave checksums equal to the clean run's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJsonCodec } from '@medly/shared/codec';
import { createDatabasePool } from '@medly/shared/db';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { startPrivatePostgres, type PrivatePostgres } from '@medly/shared/testing/privatePostgres';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { openSqlInspector } from '@medly/shared/testing/sqlInspector';
import { allTopicNames } from '@medly/shared/topics';
import { produce } from '@medly/producers/produce';
import { catchUp } from '@medly/projector/catchUp';
import { differingTables, projectionChecksums } from '@medly/projector/checksums';
import { migrate } from '@medly/projector/migrate';
import { reportedHook } from './reportedHook.ts';
import { within } from '@medly/shared/within';

const ROOT = resolve(import.meta.dirname, '../..');
const SCALE = '4';
const logger = createLogger({ level: 'error', name: 'postgres-restart' });
const OUTAGE_MS = 4_000;

let postgres: PrivatePostgres;
let kafkaBrokers: string[];
let folder: string;
const prefix = uniqueTopicPrefix('postgres-restart');

const cleanups: (() => Promise<unknown>)[] = [];

test.before(
  reportedHook(async () => {
    kafkaBrokers = (await testServices()).kafkaBrokers;
    folder = await mkdtemp(join(tmpdir(), 'medly-pg-restart-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    await promisify(execFile)(process.execPath, ['tools/src/gen/main.ts', '--scale', SCALE, '--out', join(folder, 'data')], { cwd: ROOT });
    postgres = await startPrivatePostgres('postgres-restart');
    cleanups.push(() => postgres.destroy());
    const admin = openSqlInspector(postgres.url());
    try {
      for (const name of ['clean', 'faulty']) await admin.rows(`CREATE DATABASE ${name}`);
    } finally {
      await admin.close();
    }
    await Promise.all([migrate(postgres.url('clean'), logger), migrate(postgres.url('faulty'), logger)]);
    const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'postgres-restart', logger });
    cleanups.push(async () => {
      const topicAdmin = kafka.admin();
      await topicAdmin.connect();
      await topicAdmin.deleteTopics({ topics: allTopicNames(prefix) }).catch(() => undefined);
      await topicAdmin.disconnect();
    });
    const produced = await produce(
      { kafka, codec: createJsonCodec(), logger },
      { dataDir: join(folder, 'data'), topicPrefix: prefix, partitions: 3, maxRecordBytes: 1024 * 1024 },
    );
    if (produced.failed) throw new Error('producing the generated data failed');
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function startProjector(databaseUrl: string) {
  const child = spawn(process.execPath, ['projector/src/main.ts', '--until-caught-up', '--max-batch', '250'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafkaBrokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
  return { exited, output: () => output, kill: () => child.kill('SIGKILL') };
}

/** The warning and error lines of a pino log, each as its message, error and first stack frames, and any line that is not pino's (a crash). */
function problems(log: string): string {
  return log
    .split('\n')
    .filter((line) => /"level":(40|50|60)/.test(line) || (line.trim() !== '' && !line.startsWith('{')))
    .map((line) => {
      if (!line.startsWith('{')) return line;
      const entry = JSON.parse(line) as { msg?: string; err?: { message?: string; stack?: string } };
      return `${entry.msg ?? ''}: ${entry.err?.message ?? ''}\n    ${(entry.err?.stack ?? '').split('\n').slice(1, 8).join('\n    ')}`;
    })
    .join('\n');
}

test('the projector backs off while Postgres restarts, resumes by itself, and ends equal to a clean run', async () => {
  await catchUp({ databaseUrl: postgres.url('clean'), kafkaBrokers, topicPrefix: prefix, topicPartitions: 3, logger });

  const inspector = openSqlInspector(postgres.url('faulty'));
  const projector = startProjector(postgres.url('faulty'));
  let appliedBeforeOutage = 0;
  try {
    // Wait until a batch is being written (a transaction open for a moment) or one has committed,
    // then take the server away under the projector.
    const deadline = Date.now() + 120_000;
    let trigger: { applied: string; writing: number } | undefined;
    while (!trigger && Date.now() < deadline) {
      await sleep(20);
      const [state] = await inspector.rows<{ applied: string; writing: number }>(`
        SELECT (SELECT coalesce(sum(next_offset), 0) FROM checkpoints)::bigint AS applied,
               (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND now() - xact_start > interval '200 milliseconds')::int AS writing`);
      if (state && (Number(state.applied) > 0 || state.writing > 0)) trigger = state;
    }
    assert.ok(trigger, 'the projector started writing');
    appliedBeforeOutage = Number(trigger.applied);
    await postgres.stop('fast');
    const stoppedAt = Date.now();
    await sleep(OUTAGE_MS);
    await postgres.start();
    console.log(
      `postgres was down ${Date.now() - stoppedAt} ms, stopped ${trigger.writing > 0 ? 'while a batch was being written' : 'after a commit'}; ${appliedBeforeOutage} messages applied before`,
    );

    const code = await within(projector.exited, 180_000, 'the projector finishing');
    assert.is(code, 0, `the projector finished by itself:\n${problems(projector.output())}`);
  } finally {
    projector.kill();
    await inspector.close();
  }
  assert.match(projector.output(), /database unavailable; retrying the batch/, 'it backed off and retried');
  const checkpoints = async (database: string) => {
    const reader = openSqlInspector(postgres.url(database));
    try {
      return await reader.rows('SELECT topic, partition, next_offset FROM checkpoints ORDER BY topic, partition');
    } finally {
      await reader.close();
    }
  };
  assert.equal(await checkpoints('faulty'), await checkpoints('clean'), 'the same offsets applied');

  const [clean, faulty] = await Promise.all([createDatabasePool(postgres.url('clean')), createDatabasePool(postgres.url('faulty'))]);
  try {
    const [before, after] = [await projectionChecksums(clean), await projectionChecksums(faulty)];
    assert.equal(differingTables(before, after), [], 'checksums equal the clean run');
    assert.ok(before.attempts.rows > 4000 && before.items.rows > 20_000, 'the clean run projected the data');
  } finally {
    await Promise.all([clean.end(), faulty.end()]);
  }
});

test.run();
