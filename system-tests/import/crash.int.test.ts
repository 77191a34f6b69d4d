/**
 * Crash safety (DESIGN §5): the projector process is SIGKILLed in the middle
 * of a 10× import, restarted, and must end with exactly the tables a clean
 * projection of the same topics gives, having applied nothing twice.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsonCodec } from '@medly/shared/codec';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { lagBehind, projectorGroupId, readCheckpoints, readTableStats } from '@medly/shared/progress';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { catchUp } from '@medly/projector/catchUp';
import { differingTables, projectionChecksums } from '@medly/projector/checksums';
import { appliedOffsets, countRows } from '@medly/projector/testing/inspect';
import { migratedTestDatabase, type MigratedDatabase } from '@medly/projector/testing/migratedDatabase';
import { deleteTopicsUnder } from '@medly/projector/testing/topics';
import { produce } from '@medly/producers/produce';
import { generate } from '@medly/tools/gen/generate';
import { spawnService, type ServiceChild } from '../serviceChild.ts';

const logger = createLogger({ level: 'warn', name: 'crash-test' });
const prefix = uniqueTopicPrefix('crash');
const group = projectorGroupId(prefix);
const databases: MigratedDatabase[] = [];
const children: ServiceChild[] = [];

test.after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(databases.map((database) => database.drop()));
  await deleteTopicsUnder((await testServices()).kafkaBrokers, prefix);
});

function startProjector(databaseUrl: string, args: string[]): ServiceChild {
  const projector = spawnService(
    'projector/src/main.ts',
    { ...process.env, DATABASE_URL: databaseUrl, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3', LOG_LEVEL: 'warn' },
    15_000,
    ['--max-batch', '1000', ...args],
  );
  children.push(projector);
  return projector;
}

test('a projector killed mid-import and restarted ends equal to a clean projection, nothing applied twice', async () => {
  const { kafkaBrokers } = await testServices();
  const dataDir = await mkdtemp(join(tmpdir(), 'medly-crash-'));
  await generate({ scale: 10, outDir: dataDir, seed: 'crash-test' });
  const crashed = await migratedTestDatabase('crash');
  const clean = await migratedTestDatabase('crash_clean');
  databases.push(crashed, clean);

  // The projector runs while the producers write; it is killed part-way through.
  const first = startProjector(crashed.url, []);
  const produced = await produce(
    { kafka: createKafka({ brokers: kafkaBrokers, clientId: 'crash-test', logger }), codec: createJsonCodec(), logger },
    { dataDir, topicPrefix: prefix, partitions: 3, maxRecordBytes: 1024 * 1024 },
  );
  const total = produced.endOffsets.reduce((sum, partition) => sum + partition.offset, 0);
  assert.ok(total > 80_000, `a 10× import is large (${String(total)} events)`);
  for (let waited = 0; (await appliedOffsets(crashed.pool, group)) < total * 0.25; waited += 20) {
    if (waited > 120_000) assert.unreachable(`the projector did not get going:\n${first.output()}`);
    await sleep(20);
  }
  first.kill('SIGKILL');
  await first.exited;
  const atKill = await appliedOffsets(crashed.pool, group);
  assert.not.match(first.output(), /seeking back/, 'without a replay, the checkpoints never fall behind the consumer');
  assert.ok(atKill > 0 && atKill < total, `killed mid-way (${String(atKill)} of ${String(total)} applied)`);

  const second = startProjector(crashed.url, ['--until-caught-up']);
  const code = await Promise.race([second.exited, sleep(240_000, 'timeout' as const, { ref: false })]);
  assert.is(code, 0, `the restarted projector caught up and exited cleanly:\n${second.output()}`);
  assert.equal(
    lagBehind(await readCheckpoints(crashed.pool, group), produced.endOffsets).filter((partition) => partition.lag > 0),
    [],
    'every produced offset is covered by a checkpoint',
  );

  // The same topics projected in one clean go, by another group into another database.
  await catchUp({ databaseUrl: clean.url, kafkaBrokers, topicPrefix: prefix, topicPartitions: 3, logger, group: `${prefix}clean` });
  const [afterCrash, cleanly] = [await projectionChecksums(crashed.pool), await projectionChecksums(clean.pool)];
  assert.equal(differingTables(afterCrash, cleanly), []);
  assert.ok(afterCrash.attempts.rows > 5_000 && afterCrash.item_appearances.rows > 40_000, 'the 10× tables are full');

  // Every attempt event has its own key: applying one twice would have counted it unchanged.
  const attempts = (await readTableStats(crashed.pool)).attempts;
  assert.equal(attempts, { inserted: await countRows(crashed.pool, 'attempts'), updated: 0, unchanged: 0, deleted: 0 });
});

test.run();
