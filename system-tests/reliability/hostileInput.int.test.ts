/**
 * Hostile input, end to end: the real `pnpm import` (migrate, produce, project
 * until caught up, report) on a data folder of hostile exports
 * (hostileData.ts), against the real broker and a throwaway database. Every
 * case must have a clear outcome (kept, kept with a warning, rejected with its
 * reason, or its file failed by name), the report must count it, nothing else
 * may be lost, and the projection must equal a rebuild from the topics.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDatabasePool, type DatabasePool } from '@medly/shared/db';
import { EXCERPT_MAX_CHARS } from '@medly/shared/events/recordRejected';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';
import { createTestDatabase, type TestDatabase } from '@medly/shared/testing/database';
import { testServices, uniqueTopicPrefix } from '@medly/shared/testing/services';
import { openSqlInspector, type SqlInspector } from '@medly/shared/testing/sqlInspector';
import { allTopicNames } from '@medly/shared/topics';
import { createApp } from '@medly/api/app';
import { anonymousAppConfig } from '@medly/api/testing/credentials';
import { startTestServer } from '@medly/api/testing/http';
import { childPointer } from '@medly/producers/jsonPointer';
import type { MigrationReport } from '@medly/importer/report';
import { replay } from '@medly/projector/replay';
import {
  ATTEMPTS,
  BROKEN_FILES,
  DEEP,
  EMOJI_QUESTION_ID,
  EMOJI_UID,
  EXPECTED_PROJECTION_WARNINGS,
  EXPECTED_ROWS,
  EXPECTED_SOURCES,
  LONG_LESSON_ID,
  LONG_QUESTION_ID,
  LONG_UID,
  TEN_KB_QUESTION_ID,
  TWO_MB,
  writeHostileData,
} from './hostileData.ts';
import { reportedHook } from './reportedHook.ts';
import { unusedProfileEvents } from '@medly/api/testing/profileEvents';

const ROOT = resolve(import.meta.dirname, '../..');
const logger = createLogger({ level: 'warn', name: 'hostile-input' });

let database: TestDatabase;
let pool: DatabasePool;
let db: SqlInspector;
/** Undone in reverse order after the tests, whatever was reached. */
const cleanups: (() => Promise<unknown>)[] = [];
let topicPrefix: string;
let kafkaBrokers: string[];
let run: { code: number; output: string };
let report: MigrationReport;

const attemptPointer = (entry: keyof typeof ATTEMPTS) => childPointer('/targets', ATTEMPTS[entry][0]);

function runImport(dataDir: string, reportFile: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      ['importer/src/main.ts', '--data-dir', dataDir, '--report-file', reportFile],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 4 * 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolveRun({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

test.before(
  reportedHook(async () => {
  const services = await testServices();
  kafkaBrokers = services.kafkaBrokers;
  database = await createTestDatabase(services.adminDatabaseUrl, 'hostile_input');
  cleanups.push(() => database.drop());
  topicPrefix = uniqueTopicPrefix('hostile-input');
  cleanups.push(async () => {
    const admin = createKafka({ brokers: kafkaBrokers, clientId: 'hostile-input-cleanup', logger }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: allTopicNames(topicPrefix) }).catch(() => undefined);
    await admin.disconnect();
  });
  const folder = await mkdtemp(join(tmpdir(), 'medly-hostile-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const dataDir = join(folder, 'data');
  await writeHostileData(dataDir);
  const reportFile = join(folder, 'report.json');
  run = await runImport(dataDir, reportFile, {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'error',
  });
  const written = await readFile(reportFile, 'utf8').catch(() => undefined);
  if (written === undefined) throw new Error(`the import wrote no report (exit ${run.code}):\n${run.output.slice(-4000)}`);
  report = JSON.parse(written) as MigrationReport;
  pool = await createDatabasePool(database.url);
  cleanups.push(() => pool.end());
  db = openSqlInspector(database.url);
  cleanups.push(() => db.close());
  }),
);

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test('the run ends with exit 1 and names every broken file with its position or structure; the report is still written', () => {
  assert.is(run.code, 1, run.output.slice(-2000));
  for (const [name, broken] of Object.entries(BROKEN_FILES)) {
    assert.match(run.output, broken.message, `${name}: printed`);
    const failures = report.sources[broken.source]?.failures ?? [];
    const failure = failures.find((entry) => entry.file === broken.file);
    assert.ok(failure, `${name}: ${broken.file} is a failure of ${broken.source}`);
    assert.match(failure.message, broken.message);
  }
  const failed = Object.values(report.sources).flatMap((source) => source.failures.map((failure) => failure.file));
  assert.equal(failed.sort(), Object.values(BROKEN_FILES).map((broken) => broken.file).sort(), 'no other file failed');
});

test('every source counts what it read, produced, deduplicated, rejected by reason and warned by reason', () => {
  for (const [name, expected] of Object.entries(EXPECTED_SOURCES)) {
    const source = report.sources[name as keyof typeof EXPECTED_SOURCES];
    assert.ok(source, name);
    assert.is(source.read, expected.read, `${name}.read`);
    assert.is(source.produced, expected.produced, `${name}.produced`);
    assert.is(source.deduplicated, expected.deduplicated, `${name}.deduplicated`);
    assert.equal(source.rejected, expected.rejected, `${name}.rejected`);
    assert.equal(source.warnings, expected.warnings, `${name}.warnings`);
    if ('users' in expected) assert.is(source.users, expected.users, `${name}.users`);
  }
});

test('the projection-only warnings: conflicting content, unknown lessons, unresolved questions', () => {
  assert.equal(report.projectionWarnings, EXPECTED_PROJECTION_WARNINGS);
});

interface RejectionRow {
  source: string | null;
  reason: string;
  pointer: string;
  excerpt: string;
  message: string;
  origin: string;
}

test('every rejection is a row with its reason, pointer, message and a bounded excerpt; none from the projector', async () => {
  const rows = await db.rows<RejectionRow>('SELECT source, reason, pointer, excerpt, message, origin FROM rejections');
  assert.ok(rows.every((row) => row.origin === 'producer'), 'no dead letter: every produced event was projectable');
  const counted: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const bySource = (counted[row.source ?? '?'] ??= {});
    bySource[row.reason] = (bySource[row.reason] ?? 0) + 1;
    assert.ok(row.excerpt.length <= EXCERPT_MAX_CHARS, `${row.pointer}: excerpt of ${row.excerpt.length} characters`);
    assert.ok(row.message.length > 0);
  }
  const sorted = (counts: Record<string, number> | undefined) => Object.fromEntries(Object.entries(counts ?? {}).sort());
  for (const [name, expected] of Object.entries(EXPECTED_SOURCES)) assert.equal(sorted(counted[name]), expected.rejected, name);
});

const rejectionAt = async (pointer: string) => {
  const [row] = await db.rows<RejectionRow>('SELECT source, reason, pointer, excerpt, message, origin FROM rejections WHERE pointer = $1', [pointer]);
  if (!row) assert.unreachable(`no rejection at ${pointer}`);
  return row as RejectionRow;
};

test(`a 2 MB record is too_large (its size named), one ${DEEP} levels deep invalid_record; both bounded, the run unharmed`, async () => {
  const large = await rejectionAt(attemptPointer('twoMegabytes'));
  assert.is(large.reason, 'too_large');
  assert.match(large.message, /value is \d+ bytes, over the 1048576-byte limit/);
  assert.ok(Number(/value is (\d+) bytes/.exec(large.message)?.[1]) > TWO_MB);
  const deep = await rejectionAt(attemptPointer('deep'));
  assert.is(deep.reason, 'invalid_record');
  assert.match(deep.message, /nest/i);
  const depth = await db.value<number>(
    `WITH RECURSIVE walk(value, depth) AS (
       SELECT canvas, 0 FROM attempts WHERE path = $1
       UNION ALL SELECT value -> 0, depth + 1 FROM walk WHERE jsonb_typeof(value) = 'array')
     SELECT max(depth)::int FROM walk`,
    [ATTEMPTS.shallowNesting[0]],
  );
  assert.is(depth, 50, '50 levels of nesting are kept as given');
});

interface AttemptRow {
  uid: string;
  question_id: string;
  body_question_id: string | null;
  created_at: string | null;
  created_at_raw: unknown;
  is_marked: boolean | null;
  user_mark: number | null;
  user_answer: unknown;
  extra: Record<string, unknown>;
}
const attemptAt = async (entry: keyof typeof ATTEMPTS): Promise<AttemptRow | undefined> =>
  (
    await db.rows<AttemptRow>(
      `SELECT uid, question_id, body_question_id, to_json(created_at)#>>'{}' AS created_at, created_at_raw, is_marked,
              user_mark::float8 AS user_mark, user_answer, extra
       FROM attempts WHERE path = $1`,
      [ATTEMPTS[entry][0]],
    )
  )[0];

test('duplicates: a repeated targets key keeps the later value; a repeated member inside a record keeps the later one', async () => {
  const repeated = await attemptAt('duplicateKey');
  assert.is(repeated?.user_mark, 3);
  assert.is(repeated?.created_at?.slice(0, 10), '2025-09-16');
  assert.is((await attemptAt('practiceGood'))?.is_marked, true);
  const bank = await db.value<string>("SELECT lesson_title FROM practice_banks WHERE lesson_id = 'hx0.0.0'");
  assert.is(bank, 'Cells (the later bank)', 'duplicate_bank_lesson_id: the later bank wins');
  const lesson = await db.value<string>("SELECT title FROM lessons WHERE lesson_id = 'hx0.0.0'");
  assert.is(lesson, 'Cells (the later one)', 'duplicate_lesson_id: the later lesson wins');
});

test('NUL characters are removed (values and keys), emoji kept byte for byte', async () => {
  const nul = await attemptAt('nul');
  assert.equal(nul?.user_answer, 'null');
  assert.equal(nul?.extra, { key: 'v' });
  assert.is(await db.value("SELECT title FROM lessons WHERE lesson_id = 'hx0.0.4'"), 'Mitosis');
  assert.equal((await attemptAt('practiceGood'))?.user_answer, '🧬🙂 emoji answer');
  assert.is((await attemptAt('emoji'))?.uid, EMOJI_UID);
  assert.is(await db.value("SELECT stem FROM questions WHERE stem_id = 'hxS1'"), 'Stem one 🧪');
  assert.is(await db.value('SELECT question_id FROM items WHERE question_id = $1', [EMOJI_QUESTION_ID]), EMOJI_QUESTION_ID);
});

test('long ids: up to 512 characters kept; longer ones (600 characters, 10 KB) rejected as invalid_record', async () => {
  assert.ok(await attemptAt('longQuestionId'), `a ${LONG_QUESTION_ID.length}-character question id is kept`);
  const lessons = await db.rows<{ id: string }>('SELECT lesson_id AS id FROM lessons WHERE length(lesson_id) > 256');
  assert.equal(lessons.map((row) => row.id), [LONG_LESSON_ID]);
  assert.is(await attemptAt('longUid'), undefined);
  assert.is(await attemptAt('tenKilobyteQuestionId'), undefined);
  assert.is((await rejectionAt(attemptPointer('longUid'))).reason, 'invalid_record');
  assert.is((await rejectionAt(attemptPointer('tenKilobyteQuestionId'))).reason, 'invalid_record');
  assert.ok(LONG_UID.length === 600 && TEN_KB_QUESTION_ID.length === 10 * 1024);
});

test('warnings keep the record: mismatched body questionID, unreadable time (raw kept), updated before created', async () => {
  const mismatch = await attemptAt('mismatch');
  assert.is(mismatch?.question_id, 'hxShared', 'the path decides');
  assert.is(mismatch?.body_question_id, 'hxSomethingElse');
  const unreadable = await attemptAt('badTimestamp');
  assert.is(unreadable?.created_at, null);
  assert.is(unreadable?.created_at_raw, 'yesterday');
  assert.ok(await attemptAt('updatedBeforeCreated'));
  assert.ok(await attemptAt('unresolved'), 'an attempt on no known item is kept');
});

test('odd values end as counted warnings, never as lost or silently damaged records', async () => {
  const lone = await attemptAt('loneSurrogate');
  assert.ok(lone, 'the attempt with a lone surrogate is in attempts, not a dead letter');
  const canvas = await db.value<string>('SELECT canvas #>> \'{textboxes,0,text}\' FROM attempts WHERE path = $1', [ATTEMPTS.loneSurrogate[0]]);
  assert.is(canvas, 'cell\ufffd wall');
  assert.is(await db.value("SELECT text FROM item_appearances WHERE question_id = 'hxP3'"), 'Lone \ufffd surrogate');

  const seconds = await attemptAt('epochSeconds');
  const instant = (text: string | null | undefined) => (text ? new Date(text).toISOString() : text);
  assert.is(instant(seconds?.created_at), '2023-09-15T07:53:09.000Z', 'epoch seconds are their date, not 1970-01-20');
  assert.is(seconds?.created_at_raw, 1694764389);
  const future = await attemptAt('implausibleTime');
  assert.is(future?.created_at, null);
  assert.is(future?.created_at_raw, '2099-01-01T00:00:00Z');
  const seen = await db.rows<{ first_seen: string; last_seen: string }>(
    "SELECT to_json(first_seen)#>>'{}' AS first_seen, to_json(last_seen)#>>'{}' AS last_seen FROM users WHERE uid = 'hxUserE'",
  );
  assert.equal(
    seen.map((user) => [instant(user.first_seen), instant(user.last_seen)]),
    [['2023-09-15T07:53:09.000Z', '2025-01-08T00:00:00.000Z']],
    'an implausible time is not last seen',
  );

  const parts = await db.rows<{ question_id: string; part: number; part_label: string | null; mark_max: number | null }>(
    "SELECT question_id, part, part_label, mark_max FROM item_appearances WHERE kind = 'paper' AND stem_id = 'hxS3' ORDER BY part",
  );
  assert.equal(parts, [
    { question_id: 'hxQ3a', part: 1, part_label: '1a', mark_max: 1 },
    { question_id: 'hxQ3b', part: 2, part_label: '1b', mark_max: null },
  ]);
  assert.is(await db.value("SELECT mark_max FROM items WHERE question_id = 'hxQ3b'"), null, 'the canonical item has no negative maximum either');
  const numbered = await db.rows<{ part: number; part_label: string }>("SELECT part, part_label FROM item_appearances WHERE stem_id = 'hxS1' ORDER BY part");
  assert.equal(numbered.map((row) => [row.part, row.part_label]), [[1, '1'], [3, '3']], 'numbered parts keep their number');
});

test('nothing else is lost: every table holds exactly the good records; nothing of a broken file arrived', async () => {
  for (const [table, rows] of Object.entries(EXPECTED_ROWS)) {
    // The table names are this file's constants, not input.
    assert.is(await db.value(`SELECT count(*)::int FROM ${table}`), rows, table);
  }
  const strangers = await db.value(
    `SELECT ((SELECT count(*) FROM subjects WHERE subject_id <> 'hx') + (SELECT count(*) FROM users WHERE uid = 'hxBroken')
           + (SELECT count(*) FROM item_appearances WHERE subject_id <> 'hx'))::int`,
  );
  assert.is(strangers, 0);
});

test('the projection is consistent: a replay from the topics rebuilds equal checksums', async () => {
  const result = await replay({ databaseUrl: database.url, kafkaBrokers, topicPrefix, topicPartitions: 3, logger });
  assert.equal(result.differing, []);
  assert.is(result.after.attempts.rows, EXPECTED_ROWS.attempts);
});

test('the API serves the hostile projection: 200 or a documented 4xx on every route, never a 5xx', async () => {
  const API_TOKEN = 'hostile-input-token-0123456789';
  const reader = { authorization: `Bearer ${API_TOKEN}` };
  const { app } = createApp({
    pool,
    config: anonymousAppConfig({ API_TOKEN: API_TOKEN, TOPIC_PREFIX: topicPrefix }),
    logger: createLogger({ level: 'silent', name: 'hostile-api' }),
    kafka: { endOffsets: () => Promise.resolve([]) },
    profileEvents: unusedProfileEvents('not used'),
  });
  const server = await startTestServer(app);
  try {
    const expectations: [string, number][] = [
      ['/users/hxUserA', 200],
      ['/users/hxUserA/activity?limit=100', 200],
      ['/users/hxUserB/activity?lesson=hx.orphan', 200],
      ['/users/hxUserC/activity', 200],
      ['/users/hxUserA/progress', 200],
      ['/lessons/hx0.0.0', 200],
      ['/lessons/hx.orphan', 200],
      ['/papers/hxPaper1', 200],
      ['/items/hxShared', 200],
      ['/items/hxQ1a', 200],
      // Importable but not addressable: the API's ids are [A-Za-z0-9._~-]{1,256} (see docs/RELIABILITY.md).
      [`/users/${encodeURIComponent(EMOJI_UID)}`, 400],
      [`/items/${encodeURIComponent(EMOJI_QUESTION_ID)}`, 400],
      [`/lessons/${LONG_LESSON_ID}`, 400],
    ];
    for (const [path, status] of expectations) {
      const response = await server.request(path, { headers: reader });
      const body = await response.text();
      assert.is(response.status, status, `${path}: ${body.slice(0, 300)}`);
    }
    const shared = (await (await server.request('/items/hxShared', { headers: reader })).json()) as { text: string; appearances: unknown[] };
    assert.is(shared.text, 'Paper wording', 'paper beats practice');
    assert.is(shared.appearances.length, 2);
    const paper = (await (await server.request('/papers/hxPaper1', { headers: reader })).json()) as {
      items: { questionID: string; questionNumber: number; part: number; partLabel: string | null; markMax: number | null }[];
    };
    assert.equal(
      paper.items.map((item) => [item.questionNumber, item.part, item.partLabel, item.questionID]),
      [[1, 1, '1', 'hxQ1a'], [1, 3, '3', 'hxShared'], [2, 2, '2', EMOJI_QUESTION_ID], [3, 1, '1a', 'hxQ3a'], [3, 2, '1b', 'hxQ3b']],
      'by question number, then part; the labels as given',
    );
    assert.is(paper.items.find((item) => item.questionID === 'hxQ3b')?.markMax, null);
  } finally {
    await server.close();
  }
});

test.run();
