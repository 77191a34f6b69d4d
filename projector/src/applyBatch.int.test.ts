import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'slonik';
import { z } from 'zod';
import { createLogger } from '@medly/shared/logger';
import { partitionKey } from '@medly/shared/partitionOffset';
import { readCheckpoints, readProjectionWarnings, readTableStats } from '@medly/shared/progress';
import { topicName, type TopicId } from '@medly/shared/topics';
import { applyBatch, type Batch, type PartitionRange } from './applyBatch.ts';
import { projectionChecksums } from './checksums.ts';
import { positionOf, type Decoded } from './decode.ts';
import type { EnvelopeOf } from './envelope.ts';
import { createFlusher } from './flusher.ts';
import { appearance, asDecoded, attempt, bank, envelope, lesson, paper, PREFIX, profile, question, rejection, SEEN } from './testing/fixtures.ts';
import { migratedTestDatabase, type MigratedDatabase } from './testing/migratedDatabase.ts';

const GROUP = 'fixture.projector';
const databases: MigratedDatabase[] = [];
const fresh = async (label: string) => {
  const database = await migratedTestDatabase(`apply_${label}`);
  databases.push(database);
  return database;
};
test.after(async () => {
  await Promise.all(databases.map((database) => database.drop()));
});

/** A batch of envelopes, each partition's range running from `from` (default 0) to its last offset + 1. */
function batchOf(items: Decoded[], from: Partial<Record<string, number>> = {}): Batch {
  const ranges = new Map<string, PartitionRange>();
  for (const item of items) {
    const position = positionOf(item);
    const key = partitionKey(position.topic, position.partition);
    const known = ranges.get(key);
    ranges.set(key, {
      topic: position.topic,
      partition: position.partition,
      from: known?.from ?? from[key] ?? 0,
      next: Math.max(known?.next ?? 0, position.offset + 1),
    });
  }
  return { items, ranges: [...ranges.values()] };
}

const apply = (database: MigratedDatabase, batch: Batch) => database.writer.transaction((connection) => applyBatch(connection, GROUP, batch));
const count = (database: MigratedDatabase, table: string) =>
  database.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM ${sql.identifier([table])}`);

test('a batch applies all its topics, moves the checkpoints and the stats in the same transaction', async () => {
  const database = await fresh('all');
  const outcome = await apply(
    database,
    batchOf(
      asDecoded(
        envelope('lessons', lesson(), 0),
        envelope('papers', paper(), 0),
        envelope('practiceBanks', bank(), 0),
        envelope('questions', question(), 0),
        envelope('itemAppearances', appearance(), 0),
        envelope('attempts', attempt(), 0),
        envelope('attempts', attempt({ questionId: 'q2', createdAt: '2025-09-16T08:00:00Z' }), 1),
        envelope('userProfiles', profile(), 0),
        envelope('rejections', rejection(), 0),
      ),
    ),
  );
  assert.is(outcome.applied, 9);
  assert.equal(outcome.diverged, []);
  for (const [table, rows] of Object.entries({
    subjects: 1, units: 1, topics: 1, lessons: 1, papers: 1, practice_banks: 1, questions: 1,
    item_appearances: 1, items: 1, item_lessons: 1, attempts: 2, users: 1, rejections: 1,
  })) {
    assert.is(await count(database, table), rows, table);
  }
  const user = await database.pool.one(sql.type(z.object({ display_name: z.string(), first_seen: z.number(), last_seen: z.number(), attempt_count: z.number() }))`
    SELECT display_name, first_seen, last_seen, attempt_count FROM users WHERE uid = 'user1'`);
  assert.is(user.display_name, 'Ada');
  assert.is(user.attempt_count, 2);
  assert.is(new Date(user.first_seen).toISOString(), '2025-09-15T07:53:09.441Z');
  assert.is(new Date(user.last_seen).toISOString(), '2025-09-16T08:00:00.000Z');
  const attemptsTopic = topicName(PREFIX, 'attempts');
  assert.ok((await readCheckpoints(database.pool, GROUP)).some((c) => c.topic === attemptsTopic && c.partition === 0 && c.offset === 2));
  const stats = await readTableStats(database.pool);
  assert.equal(stats.attempts, { inserted: 2, updated: 0, unchanged: 0, deleted: 0 });
  // One run: the user its attempts inserted and its profile then changed counts once, as inserted.
  assert.equal(stats.users, { inserted: 1, updated: 0, unchanged: 0, deleted: 0 }, 'activity inserts the user; its profile, in the same run, is no update');
});

test('a redelivered batch applies nothing twice; a changed event is an update, an equal one unchanged', async () => {
  const database = await fresh('redelivery');
  const first = batchOf(asDecoded(envelope('lessons', lesson(), 0), envelope('lessons', lesson({ lessonId: 'bio0.0.1' }), 1)));
  await apply(database, first);
  const again = await apply(database, first);
  assert.is(again.applied, 0);
  assert.is(again.skipped, 2);
  assert.equal((await readTableStats(database.pool)).lessons, { inserted: 2, updated: 0, unchanged: 0, deleted: 0 });

  // The next import re-sends both lessons (first seen in the first one) and renames one.
  const later = { ...SEEN, importedAt: '2026-02-01T00:00:00.000Z' };
  const next = batchOf(
    asDecoded(envelope('lessons', lesson(), 2, 0, later), envelope('lessons', lesson({ lessonId: 'bio0.0.1', title: 'Renamed' }), 3, 0, later)),
    { [partitionKey(topicName(PREFIX, 'lessons'), 0)]: 2 },
  );
  await apply(database, next);
  assert.equal((await readTableStats(database.pool)).lessons, { inserted: 2, updated: 1, unchanged: 1, deleted: 0 });
});

test('within a batch the last event of a key wins', async () => {
  const database = await fresh('lastwins');
  await apply(database, batchOf(asDecoded(envelope('lessons', lesson({ title: 'first' }), 0), envelope('lessons', lesson({ title: 'second' }), 1))));
  assert.is(await database.pool.oneFirst(sql.type(z.object({ title: z.string() }))`SELECT title FROM lessons`), 'second');
});

test('a batch that starts past the stored checkpoint is refused (replay emptied it), nothing applied', async () => {
  const database = await fresh('diverged');
  const lessons = topicName(PREFIX, 'lessons');
  const outcome = await apply(database, batchOf(asDecoded(envelope('lessons', lesson(), 10)), { [partitionKey(lessons, 0)]: 10 }));
  assert.equal(outcome.diverged, [{ topic: lessons, partition: 0, from: 10, storedOffset: 0 }]);
  assert.is(outcome.applied, 0);
  assert.is(await count(database, 'lessons'), 0);
  assert.equal(await readCheckpoints(database.pool, GROUP), []);
});

test('one partition may bring several ranges in a batch: contiguous ones apply, a gap is refused', async () => {
  const database = await fresh('ranges');
  const topic = topicName(PREFIX, 'lessons');
  const items = asDecoded(...[0, 1, 2, 3, 4, 5].map((offset) => envelope('lessons', lesson({ lessonId: `l${String(offset)}` }), offset)));
  const outcome = await apply(database, {
    items,
    ranges: [
      { topic, partition: 0, from: 2, next: 4 },
      { topic, partition: 0, from: 0, next: 2 },
      { topic, partition: 0, from: 1, next: 3 },
    ],
  });
  assert.equal(outcome.diverged, []);
  assert.equal(outcome.checkpoints, [{ topic, partition: 0, offset: 4 }]);
  assert.is(await count(database, 'lessons'), 4, 'offsets 0-3, not the ones no range covers');

  const gap = await apply(database, {
    items: asDecoded(...[4, 5, 6, 7].map((offset) => envelope('lessons', lesson({ lessonId: `l${String(offset)}` }), offset))),
    ranges: [
      { topic, partition: 0, from: 4, next: 6 },
      { topic, partition: 0, from: 7, next: 8 },
    ],
  });
  assert.equal(gap.diverged, [{ topic, partition: 0, from: 7, storedOffset: 6 }]);
  assert.equal(await readCheckpoints(database.pool, GROUP), [{ topic, partition: 0, offset: 6 }]);
  assert.is(await count(database, 'lessons'), 6, 'nothing past the gap');
});

test('a lesson that moves to another unit or subject takes its derived rows along', async () => {
  const database = await fresh('moves');
  const key = partitionKey(topicName(PREFIX, 'lessons'), 0);
  await apply(database, batchOf(asDecoded(envelope('lessons', lesson(), 0))));
  await apply(database, batchOf(asDecoded(envelope('lessons', lesson({ unitIndex: 3, unitTitle: 'Moved' }), 1)), { [key]: 1 }));
  assert.equal(
    await database.pool.any(sql.type(z.object({ subject_id: z.string(), unit_index: z.number(), title: z.string() }))`SELECT subject_id, unit_index, title FROM units`),
    [{ subject_id: 'bio', unit_index: 3, title: 'Moved' }],
  );
  await apply(database, batchOf(asDecoded(envelope('lessons', lesson({ subjectId: 'chem' }), 2)), { [key]: 2 }));
  assert.equal(await database.pool.anyFirst(sql.type(z.object({ subject_id: z.string() }))`SELECT subject_id FROM subjects`), ['chem']);
  assert.equal(await database.pool.anyFirst(sql.type(z.object({ subject_id: z.string() }))`SELECT DISTINCT subject_id FROM units`), ['chem']);
});

test('the canonical item follows paper over practice, then position, in whatever order appearances come', async () => {
  const practiceLow = appearance({ containerId: 'bio0.0.0', position: 1 }, { text: 'practice low' });
  const practiceHigh = appearance({ containerId: 'bio0.0.1', position: 7, lessonIds: ['bio0.0.1'] }, { text: 'practice high' });
  const onPaper = appearance({ kind: 'paper', containerId: 'paper1', position: 0, lessonIds: ['bio0.0.0'] }, { text: 'on paper' });
  const orders: EnvelopeOf<'itemAppearances'>['event'][][] = [
    [practiceLow, practiceHigh, onPaper],
    [onPaper, practiceHigh, practiceLow],
  ];
  const checksums = [];
  for (const [index, order] of orders.entries()) {
    const database = await fresh(`canonical${String(index)}`);
    let offset = 0;
    for (const event of order) {
      // one appearance per transaction, the way separate flushes would bring them
      const key = partitionKey(topicName(PREFIX, 'itemAppearances'), 0);
      await apply(database, batchOf(asDecoded(envelope('itemAppearances', event, offset)), { [key]: offset }));
      offset += 1;
    }
    const item = await database.pool.one(sql.type(z.object({ text: z.string(), canonical_kind: z.string(), appearance_count: z.number(), content_variants: z.number() }))`
      SELECT text, canonical_kind, appearance_count, content_variants FROM items WHERE question_id = 'q1'`);
    assert.equal(item, { text: 'on paper', canonical_kind: 'paper', appearance_count: 3, content_variants: 3 });
    assert.is((await readProjectionWarnings(database.pool)).conflicting_item_content, 1);
    checksums.push(await projectionChecksums(database.pool));
  }
  assert.equal(checksums[0], checksums[1]);

  const database = await fresh('canonical_practice');
  await apply(database, batchOf(asDecoded(envelope('itemAppearances', practiceLow, 0), envelope('itemAppearances', practiceHigh, 1))));
  assert.is(await database.pool.oneFirst(sql.type(z.object({ text: z.string() }))`SELECT text FROM items`), 'practice high', 'without a paper, the greater position wins');
});

test('a link to a lesson that is not there is kept unresolved and resolves when the lesson arrives', async () => {
  const database = await fresh('links');
  await apply(database, batchOf(asDecoded(envelope('itemAppearances', appearance({ kind: 'paper', containerId: 'paper1', lessonIds: ['bio0.0.0', 'bio9.9.99'] }), 0))));
  const links = () =>
    database.pool.any(sql.type(z.object({ lesson_id: z.string(), resolved: z.boolean() }))`
      SELECT lesson_id, resolved FROM item_lesson_links ORDER BY lesson_id`);
  assert.equal(await links(), [
    { lesson_id: 'bio0.0.0', resolved: false },
    { lesson_id: 'bio9.9.99', resolved: false },
  ]);
  assert.is((await readProjectionWarnings(database.pool)).unknown_lesson, 2);
  await apply(database, batchOf(asDecoded(envelope('lessons', lesson(), 0))));
  assert.equal(await links(), [
    { lesson_id: 'bio0.0.0', resolved: true },
    { lesson_id: 'bio9.9.99', resolved: false },
  ]);
  assert.is((await readProjectionWarnings(database.pool)).unknown_lesson, 1);

  // The appearance's newest event decides its links: a dropped lesson id goes.
  const key = partitionKey(topicName(PREFIX, 'itemAppearances'), 0);
  await apply(database, batchOf(asDecoded(envelope('itemAppearances', appearance({ kind: 'paper', containerId: 'paper1', lessonIds: ['bio0.0.0'] }), 1)), { [key]: 1 }));
  assert.equal(await links(), [{ lesson_id: 'bio0.0.0', resolved: true }]);
});

test('users come out the same whether the profile or the attempts arrive first', async () => {
  const events: [TopicId, Decoded[]][] = [
    ['userProfiles', asDecoded(envelope('userProfiles', profile(), 0))],
    ['attempts', asDecoded(envelope('attempts', attempt(), 0), envelope('attempts', attempt({ questionId: 'q2' }), 1))],
  ];
  const sums = [];
  for (const order of [events, events.toReversed()]) {
    const database = await fresh('users');
    for (const [, items] of order) await apply(database, batchOf(items));
    sums.push((await projectionChecksums(database.pool)).users);
  }
  assert.equal(sums[0], sums[1]);
});

test('an event Postgres refuses is isolated and kept as a dead letter; the rest of the batch is applied', async () => {
  const database = await fresh('deadletter');
  const logger = createLogger({ level: 'silent', name: 'test' });
  const flusher = createFlusher({ writer: database.writer, group: GROUP, logger, maxMessages: 100, lingerMs: 1, onCommitted: () => Promise.resolve() });
  const lessonsTopic = topicName(PREFIX, 'lessons');
  // A NUL can only get here by bypassing the schema; Postgres refuses it in jsonb and text.
  const items = asDecoded(
    envelope('lessons', lesson({ lessonId: 'ok1' }), 0),
    envelope('lessons', lesson({ lessonId: 'bad', title: 'nul\u0000here' }), 1),
    envelope('lessons', lesson({ lessonId: 'ok2' }), 2),
  );
  const outcome = await flusher.add(items, { topic: lessonsTopic, partition: 0, from: 0, next: 3 }, () => Promise.resolve());
  await flusher.stop();
  assert.equal(outcome, { applied: true });
  assert.equal(
    await database.pool.anyFirst(sql.type(z.object({ lesson_id: z.string() }))`SELECT lesson_id FROM lessons ORDER BY lesson_id`),
    ['ok1', 'ok2'],
  );
  const dead = await database.pool.one(sql.type(z.object({ file: z.string(), pointer: z.string(), origin: z.string(), reason: z.string() }))`
    SELECT file, pointer, origin, reason FROM rejections`);
  assert.equal(dead, { file: `kafka:${lessonsTopic}`, pointer: 'bad', origin: 'projector', reason: 'unprojectable_event' });
  assert.equal(await readCheckpoints(database.pool, GROUP), [{ topic: lessonsTopic, partition: 0, offset: 3 }]);
});

test('an undecodable message is stored as a dead letter and its offset passed (offsets before it compacted away)', async () => {
  const database = await fresh('undecodable');
  const position = { topic: topicName(PREFIX, 'attempts'), partition: 2, offset: 5 };
  await apply(database, batchOf([{ kind: 'deadLetter', deadLetter: { position, key: null, seen: SEEN, reason: 'undecodable_event', message: 'not JSON', excerpt: 'xx' } }]));
  assert.is(await count(database, 'rejections'), 1);
  assert.equal(await readCheckpoints(database.pool, GROUP), [{ ...position, offset: 6 }]);
});

test('two projectors apply their own partitions at once; an item made of both waits for the other\'s commit', async () => {
  const database = await fresh('two_partitions');
  const onPartition = (containerId: string, partition: number) =>
    batchOf(asDecoded(envelope('itemAppearances', appearance({ containerId, questionId: 'shared_q' }), 0, partition)));
  const waiting = z.object({ waiting: z.number() });
  const someoneWaits = async () =>
    (await database.pool.oneFirst(sql.type(waiting)`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted`)) > 0;

  // The first holds its transaction open (derived stage done) until the second is seen waiting on a lock;
  // the second wrote its own partition's appearance meanwhile, then waited for the derived stage.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const first = database.writer.transaction(async (connection) => {
    await applyBatch(connection, GROUP, onPartition('bankA', 0));
    await held;
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const second = apply(database, onPartition('bankB', 1));
  for (let polls = 0; !(await someoneWaits()); polls += 1) {
    if (polls > 200) assert.unreachable('the second transaction never waited');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.is(await count(database, 'item_appearances'), 0, 'nothing committed yet');
  release();
  await Promise.all([first, second]);

  const item = await database.pool.one(sql.type(z.object({ appearance_count: z.number() }))`
    SELECT appearance_count FROM items WHERE question_id = 'shared_q'`);
  assert.is(item.appearance_count, 2, 'recomputed after the first commit, from both appearances');
  assert.equal((await readCheckpoints(database.pool, GROUP)).map(({ partition, offset }) => [partition, offset]), [[0, 1], [1, 1]]);
});

test.run();
