/**
 * The API under load, for docs/RELIABILITY.md (a bench, not a CI test):
 *
 *   node system-tests/reliability/load.ts [--scale 1] [--connections 64] [--duration 30] [--rounds 1]
 *                                    [--database-url URL --topic-prefix P] [--keep] [--json FILE]
 *
 * Without --database-url it imports data into a throwaway database beside
 * DATABASE_URL (default the local Postgres) with `pnpm run import` (data/ at
 * --scale 1, `pnpm gen --scale K` otherwise; the import ANALYZEs what it
 * loaded); with it, it loads a database imported before (--keep leaves the one it made, and
 * prints its URL). Then it starts the real API (`pnpm api`), runs autocannon
 * over a mix of every read route, and prints the figures as a table row and
 * as JSON.
 * With --rounds N the same load runs N times against the same API process,
 * so the RSS after each round shows whether memory keeps growing.
 * Exits 1 if any request failed, timed out or was not 2xx.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase } from '@medly/shared/testing/database';
import { uniqueTopicPrefix } from '@medly/shared/testing/services';
import { openSqlInspector } from '@medly/shared/testing/sqlInspector';
import { allTopicNames } from '@medly/shared/topics';
import { startApiProcess } from './apiProcess.ts';
import { FIGURES_HEADER, figuresRow, LOAD_API_SETTINGS, loadPaths, runLoad } from './loadRun.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '1' },
    'database-url': { type: 'string' },
    'topic-prefix': { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const scale = Number(values.scale);
const connections = Number(values.connections);
const durationSeconds = Number(values.duration);
const rounds = Number(values.rounds);
if (!(scale > 0) || !(connections > 0) || !(durationSeconds > 0) || !Number.isInteger(rounds) || rounds < 1 || (values['database-url'] !== undefined) !== (values['topic-prefix'] !== undefined)) {
  console.error('usage: load.ts [--scale K] [--connections N] [--duration S] [--rounds N] [--database-url URL --topic-prefix P] [--keep] [--json FILE]');
  process.exit(2);
}

const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const logger = createLogger({ level: 'warn', name: 'load' });
const cleanups: (() => Promise<unknown>)[] = [];

async function importData(): Promise<{ databaseUrl: string; topicPrefix: string }> {
  const database = await createTestDatabase(adminUrl, `load_${String(scale).replace('.', '_')}x`);
  const topicPrefix = uniqueTopicPrefix(`load-${scale}x`);
  if (!values.keep) {
    cleanups.push(() => database.drop());
    cleanups.push(async () => {
      const admin = createKafka({ brokers: kafkaBrokers, clientId: 'load-cleanup', logger }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: allTopicNames(topicPrefix) }).catch(() => undefined);
      await admin.disconnect();
    });
  }
  const folder = await mkdtemp(join(tmpdir(), 'medly-load-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  let dataDir = join(ROOT, 'data');
  if (scale !== 1) {
    dataDir = join(folder, 'data');
    console.log(`generating ${scale}× data into ${dataDir}`);
    await run(process.execPath, ['tools/src/gen/main.ts', '--scale', String(scale), '--out', dataDir], { cwd: ROOT });
  }
  const started = Date.now();
  console.log(`importing ${dataDir} into ${database.name} (topics ${topicPrefix}*)`);
  await run(process.execPath, ['importer/src/main.ts', '--data-dir', dataDir, '--report-file', join(folder, 'import.json')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: database.url, KAFKA_BROKERS: kafkaBrokers.join(','), TOPIC_PREFIX: topicPrefix, LOG_LEVEL: 'warn' },
    maxBuffer: 64 * 1024 * 1024,
  });
  console.log(`imported in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (values.keep) console.log(`kept: --database-url ${database.url} --topic-prefix ${topicPrefix}`);
  return { databaseUrl: database.url, topicPrefix };
}

try {
  const target =
    values['database-url'] !== undefined && values['topic-prefix'] !== undefined
      ? { databaseUrl: values['database-url'], topicPrefix: values['topic-prefix'] }
      : await importData();
  const db = openSqlInspector(target.databaseUrl);
  cleanups.push(() => db.close());
  const rows = await db.rows<{ attempts: number; items: number; lessons: number }>(
    'SELECT (SELECT count(*) FROM attempts)::int AS attempts, (SELECT count(*) FROM items)::int AS items, (SELECT count(*) FROM lessons)::int AS lessons',
  );
  const paths = await loadPaths(db);
  const api = await startApiProcess({ ...target, kafkaBrokers, logLevel: 'warn', ...LOAD_API_SETTINGS });
  cleanups.push(() => api.stop());
  console.log(`loading ${api.url} (pid ${api.pid}): ${connections} connections, ${durationSeconds} s, ${paths.length} paths; data ${JSON.stringify(rows[0])}`);
  const results = [];
  for (let round = 1; round <= rounds; round += 1) results.push(await runLoad(api, paths, { connections, durationSeconds }));
  const label = (round: number) => (rounds === 1 ? `${scale}×` : `${scale}×, round ${round}`);
  console.log(`\n${FIGURES_HEADER}\n${results.map((figures, index) => figuresRow(label(index + 1), figures)).join('\n')}\n`);
  const report = { scale, data: rows[0], rounds: results };
  console.log(JSON.stringify(report, null, 2));
  if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (results.some((figures) => figures.errors + figures.timeouts + figures.non2xx > 0)) process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((error: unknown) => {
      console.error('cleanup failed:', error);
    });
  }
}
