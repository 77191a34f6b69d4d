/**
 * Two projectors in one group apply their own partitions side by side
 * (DECISIONS record 20), and end exactly where one projector would: one
 * started later, during the import, the other killed with SIGKILL mid-batch;
 * the survivor takes its partitions over after the rebalance. A rebuild by two
 * fresh projectors (what a replay with two does) equals a rebuild by one.
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
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { lagBehind, readCheckpoints } from '@medly/shared/progress';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { produce } from '@medly/producers/produce';
import { catchUp } from '@medly/projector/catchUp';
import { differingTables, projectionChecksums } from '@medly/projector/checksums';
import { appliedOffsets } from '@medly/projector/testing/inspect';
import { migratedTestDatabase, type MigratedDatabase } from '@medly/projector/testing/migratedDatabase';
import { deleteTopicsUnder } from '@medly/projector/testing/topics';
import { generate } from '@medly/tools/gen/generate';
import { spawnService, type ServiceChild } from '../serviceChild.ts';

const PARTITIONS = 6;
const logger = createLogger({ level: 'warn', name: 'two-projectors-test' });
const prefix = uniqueTopicPrefix('two_projectors');
const databases: MigratedDatabase[] = [];
const children: ServiceChild[] = [];

test.after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(databases.map((database) => database.drop()));
  await deleteTopicsUnder((await testServices()).kafkaBrokers, prefix);
});

/** `pnpm projector` as its own process, on a group's database, with small batches so a kill lands mid-run. */
function startProjector(databaseUrl: string): ServiceChild {
  const projector = spawnService(
    'projector/src/main.ts',
    { ...process.env, DATABASE_URL: databaseUrl, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: String(PARTITIONS), LOG_LEVEL: 'warn' },
    15_000,
    ['--max-batch', '500'],
  );
  children.push(projector);
  return projector;
}

async function waitFor(condition: () => Promise<boolean>, what: string, output: () => string, timeoutMs = 300_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) assert.unreachable(`${what} did not happen:\n${output()}`);
    await sleep(100);
  }
}

const caughtUp = (database: MigratedDatabase, group: string, ends: readonly PartitionOffset[]) => async () =>
  lagBehind(await readCheckpoints(database.pool, group), ends).every((partition) => partition.lag === 0);

test('two projectors, one started late and the other killed mid-batch, end equal to one; two rebuilding equal one', async () => {
  const { kafkaBrokers } = await testServices();
  const dataDir = await mkdtemp(join(tmpdir(), 'medly-two-projectors-'));
  await generate({ scale: 3, outDir: dataDir, seed: 'two-projectors' });
  const shared = await migratedTestDatabase('two_projectors');
  const single = await migratedTestDatabase('two_projectors_single');
  const rebuilt = await migratedTestDatabase('two_projectors_rebuilt');
  databases.push(shared, single, rebuilt);
  const group = `${prefix}projector`;

  // One projector from the start; a second joins during the import; the first is killed half-way.
  const first = startProjector(shared.url);
  const producing = produce(
    { kafka: createKafka({ brokers: kafkaBrokers, clientId: 'two-projectors-test', logger }), codec: createJsonCodec(), logger },
    { dataDir, topicPrefix: prefix, partitions: PARTITIONS, maxRecordBytes: 1024 * 1024 },
  );
  await waitFor(async () => (await appliedOffsets(shared.pool, group)) > 2_000, 'the first projector applying', first.output);
  const second = startProjector(shared.url);
  const produced = await producing;
  const total = produced.endOffsets.reduce((sum, partition) => sum + partition.offset, 0);
  await waitFor(async () => (await appliedOffsets(shared.pool, group)) > total * 0.4, 'both projectors applying', second.output);
  first.kill('SIGKILL');
  await first.exited;
  const atKill = await appliedOffsets(shared.pool, group);
  assert.ok(atKill < total, `killed mid-run (${String(atKill)} of ${String(total)} applied)`);

  // The survivor gets the dead member's partitions once its session runs out, and finishes them.
  await waitFor(caughtUp(shared, group, produced.endOffsets), 'the survivor catching up', second.output);
  second.kill('SIGTERM');
  await second.exited;

  // The same topics, by one projector into another database; and by two fresh ones (the group's
  // members have left; its offsets live in each database) into a third.
  await catchUp({ databaseUrl: single.url, kafkaBrokers, topicPrefix: prefix, topicPartitions: PARTITIONS, logger, group: `${prefix}single` });
  const rebuilders = [startProjector(rebuilt.url), startProjector(rebuilt.url)];
  const rebuilderOutput = () => rebuilders.map((rebuilder) => rebuilder.output()).join('\n');
  await waitFor(caughtUp(rebuilt, group, produced.endOffsets), 'two fresh projectors rebuilding', rebuilderOutput);
  for (const rebuilder of rebuilders) rebuilder.kill('SIGTERM');
  await Promise.all(rebuilders.map((rebuilder) => rebuilder.exited));

  const [twoWithKill, one, twoRebuilt] = [await projectionChecksums(shared.pool), await projectionChecksums(single.pool), await projectionChecksums(rebuilt.pool)];
  assert.equal(differingTables(twoWithKill, one), [], 'two projectors, one killed, equal one');
  assert.equal(differingTables(twoRebuilt, one), [], 'two rebuilding equal one rebuilding');
  assert.ok(one.item_appearances.rows > 10_000 && one.attempts.rows > 2_000, 'the 3× tables are full');
});

test.run();
