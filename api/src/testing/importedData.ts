/**
 * The shared data imported for real: a throwaway database and a unique topic
 * prefix, `pnpm run import` (importer/src/main.ts: migrate, produce, project until
 * caught up) run as a child process on data/, and a projector process that
 * keeps running for tests that write (PATCH) and must see the projection move.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDatabasePool, type DatabasePool } from '@medly/shared/db';
import { createTestDatabase } from '@medly/shared/testing/database';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { REPOSITORY_ROOT } from './migratedDatabase.ts';

export interface ImportedData {
  pool: DatabasePool;
  databaseUrl: string;
  topicPrefix: string;
  kafkaBrokers: string[];
  /** Runs `pnpm import` again on another data folder (a changed export), into the same database and topics. */
  reimport(dataDir: string): Promise<void>;
  /** Starts `pnpm projector` on this database and prefix; stopped by cleanup(). */
  startProjector(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function importSharedData(label: string): Promise<ImportedData> {
  const { adminDatabaseUrl, kafkaBrokers } = await testServices();
  const database = await createTestDatabase(adminDatabaseUrl, label);
  const topicPrefix = uniqueTopicPrefix(label);
  const reportDir = await mkdtemp(join(tmpdir(), 'medly-api-import-'));
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'error',
  };
  const runImport = (dataDir: string) =>
    promisify(execFile)(process.execPath, ['importer/src/main.ts', '--data-dir', dataDir, '--report-file', join(reportDir, 'report.json')], {
      cwd: REPOSITORY_ROOT,
      env,
      timeout: 5 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  try {
    await runImport('data');
  } catch (error) {
    await database.drop();
    throw new Error('pnpm import failed on data/', { cause: error });
  }
  const pool = await createDatabasePool(database.url);
  let projector: ChildProcess | undefined;

  return {
    pool,
    databaseUrl: database.url,
    topicPrefix,
    kafkaBrokers,
    async reimport(dataDir) {
      await runImport(dataDir);
    },
    startProjector() {
      projector = spawn(process.execPath, ['projector/src/main.ts'], { cwd: REPOSITORY_ROOT, env, stdio: 'ignore' });
      return Promise.resolve();
    },
    async cleanup() {
      if (projector && projector.exitCode === null) {
        const exited = new Promise((resolve) => projector?.once('exit', resolve));
        projector.kill('SIGTERM');
        await exited;
      }
      await pool.end();
      await database.drop();
      await rm(reportDir, { recursive: true, force: true });
    },
  };
}
