import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsonCodec } from '@medly/shared/codec';
import { EXCERPT_MAX_CHARS } from '@medly/shared/events/recordRejected';
import type { ValidEvent } from '@medly/shared/codec';
import { mapAttempt, parseAttemptPath } from './users.ts';
import type { MappedRecord } from './recorder.ts';

const FILE = 'user_data/user_data.json';
/** The import's start: times up to a day after it are plausible. */
const IMPORT_STARTED = Date.UTC(2025, 9, 1, 12, 0, 0);
const CONTEXT = { file: FILE, importStartedAt: IMPORT_STARTED };
const MOCK_PATH = 'users/u1/subjectsWeb/aqaGCSEBio/mocks/paper1/questions/q1';
const PRACTICE_PATH = 'users/u1/subjectsWeb/aqaGCSEBio/lessons/aqaGCSEBio0.0.1/practice/q2';

function attemptOf(mapped: MappedRecord): ValidEvent<'attempts'> {
  assert.equal(mapped.rejections, [], 'no rejection');
  const [only] = mapped.events;
  if (only?.topic !== 'attempts') throw new Error('expected one attempt');
  return only.event;
}

const reasons = (mapped: MappedRecord) => mapped.warnings.map((warning) => warning.reason).sort();

test('a mock attempt: the path says who, where and which question; every field is mapped', () => {
  const mapped = mapAttempt(
    MOCK_PATH,
    {
      createdAt: '2025-09-15T07:53:09.441000+00:00',
      questionID: 'q1',
      canvas: { maths: [], paths: [], textboxes: [] },
      isMarked: true,
      userMark: 1,
      userAnswer: 'Lipase',
      annotatedAnswer: 'Lipase',
      markingTable: '| a |',
      options: ['A', 'B'],
    },
    CONTEXT,
  );
  assert.is(mapped.read, 1);
  assert.equal(mapped.warnings, []);
  assert.equal(attemptOf(mapped), {
    path: MOCK_PATH,
    uid: 'u1',
    subjectId: 'aqaGCSEBio',
    context: 'mock',
    paperId: 'paper1',
    lessonId: null,
    questionId: 'q1',
    bodyQuestionId: 'q1',
    createdAt: '2025-09-15T07:53:09.441000Z',
    createdAtRaw: '2025-09-15T07:53:09.441000+00:00',
    updatedAt: null,
    updatedAtRaw: null,
    isMarked: true,
    userMark: 1,
    userAnswer: 'Lipase',
    annotatedAnswer: 'Lipase',
    markingTable: '| a |',
    options: ['A', 'B'],
    canvas: { maths: [], paths: [], textboxes: [] },
    extra: {},
    source: { file: FILE, pointer: '/targets/users~1u1~1subjectsWeb~1aqaGCSEBio~1mocks~1paper1~1questions~1q1' },
  });
});

test('a practice attempt names its lesson, not a paper; missing fields are null, not rejections', () => {
  const attempt = attemptOf(mapAttempt(PRACTICE_PATH, {}, CONTEXT));
  assert.is(attempt.context, 'practice');
  assert.is(attempt.lessonId, 'aqaGCSEBio0.0.1');
  assert.is(attempt.paperId, null);
  assert.is(attempt.questionId, 'q2');
  assert.is(attempt.bodyQuestionId, null);
  assert.is(attempt.createdAt, null);
  assert.is(attempt.isMarked, null);
  assert.is(attempt.canvas, null);
});

test('parseAttemptPath accepts exactly the two shapes', () => {
  assert.equal(parseAttemptPath(MOCK_PATH)?.paperId, 'paper1');
  assert.equal(parseAttemptPath(PRACTICE_PATH)?.lessonId, 'aqaGCSEBio0.0.1');
  for (const key of [
    'users/u1/subjectsWeb/s/mocks/p/questions',
    'users/u1/subjectsWeb/s/mocks/p/questions/q/extra',
    '/users/u1/subjectsWeb/s/mocks/p/questions/q',
    'users/u1/subjects/s/mocks/p/questions/q',
    'people/u1/subjectsWeb/s/mocks/p/questions/q',
    'users/u1/subjectsWeb/s/mocks/p/practice/q',
    'users/u1/subjectsWeb/s/lessons/l/questions/q',
    'users//subjectsWeb/s/mocks/p/questions/q',
    'not a path',
  ]) {
    assert.is(parseAttemptPath(key), undefined, key);
  }
});

test('unparseable_key: anything else is rejected with its pointer and an excerpt', () => {
  const mapped = mapAttempt('users/u1/notes/n1', { createdAt: 'x' }, CONTEXT);
  assert.is(mapped.read, 1);
  assert.equal(mapped.events, []);
  assert.is(mapped.rejections.length, 1);
  const [rejection] = mapped.rejections;
  assert.is(rejection?.reason, 'unparseable_key');
  assert.is(rejection?.source, 'users');
  assert.is(rejection?.file, FILE);
  assert.is(rejection?.pointer, '/targets/users~1u1~1notes~1n1');
  assert.is(rejection?.excerpt, '{"users/u1/notes/n1":{"createdAt":"x"}}');
});

test('invalid_body: an attempt that is not an object', () => {
  for (const body of [null, 'text', 3, ['a']]) {
    const mapped = mapAttempt(MOCK_PATH, body, CONTEXT);
    assert.equal(mapped.rejections.map((r) => r.reason), ['invalid_body'], JSON.stringify(body));
    assert.equal(mapped.events, []);
  }
});

test('question_id_mismatch: the path wins, the body value is kept beside it', () => {
  const mapped = mapAttempt(MOCK_PATH, { questionID: 'other' }, CONTEXT);
  const attempt = attemptOf(mapped);
  assert.is(attempt.questionId, 'q1');
  assert.is(attempt.bodyQuestionId, 'other');
  assert.equal(reasons(mapped), ['question_id_mismatch']);

  const odd = mapAttempt(MOCK_PATH, { questionID: 7 }, CONTEXT);
  assert.is(attemptOf(odd).bodyQuestionId, null);
  assert.equal(attemptOf(odd).extra, { questionID: 7 }, 'a non-string body questionID is kept, not dropped');
  assert.equal(reasons(odd), ['question_id_mismatch']);
});

test('timestamps: epoch milliseconds are understood; anything else is null, kept raw, and counted', () => {
  const ms = Date.UTC(2025, 8, 15, 7, 53, 9, 441);
  const mapped = mapAttempt(MOCK_PATH, { createdAt: ms, updatedAt: 'not a time' }, CONTEXT);
  const attempt = attemptOf(mapped);
  assert.is(attempt.createdAt, '2025-09-15T07:53:09.441000Z');
  assert.is(attempt.createdAtRaw, ms);
  assert.is(attempt.updatedAt, null);
  assert.is(attempt.updatedAtRaw, 'not a time');
  assert.equal(mapped.warnings, [{ reason: 'invalid_timestamp', pointer: `${attempt.source.pointer}/updatedAt` }]);
});

test('updated_before_created is kept as given and counted (comparing instants, not texts)', () => {
  const mapped = mapAttempt(MOCK_PATH, { createdAt: '2025-09-15T08:00:00+00:00', updatedAt: '2025-09-15T07:00:00.5Z' }, CONTEXT);
  assert.is(attemptOf(mapped).updatedAt, '2025-09-15T07:00:00.500000Z');
  assert.equal(reasons(mapped), ['updated_before_created']);
  // Same instant written in two offsets is not "before".
  const same = mapAttempt(MOCK_PATH, { createdAt: '2025-09-15T08:00:00+01:00', updatedAt: '2025-09-15T07:00:00Z' }, CONTEXT);
  assert.equal(reasons(same), []);
});

test('nul_removed: NUL characters go from the key and every string of the body, each counted', () => {
  const mapped = mapAttempt(`${MOCK_PATH}\u0000`, { userAnswer: 'a\u0000b', canvas: { textboxes: [{ text: '\u0000' }] } }, CONTEXT);
  const attempt = attemptOf(mapped);
  assert.is(attempt.path, MOCK_PATH);
  assert.is(attempt.userAnswer, 'ab');
  assert.equal(attempt.canvas, { textboxes: [{ text: '' }] });
  assert.equal(reasons(mapped), ['nul_removed', 'nul_removed', 'nul_removed']);
});

test('unpaired_surrogate_replaced: a lone surrogate in the canvas, a key or the path becomes U+FFFD, each counted', () => {
  const mapped = mapAttempt(`${MOCK_PATH}\udc00`, { canvas: { textboxes: [{ text: 'cell\ud800 wall' }] }, ['odd\ud800']: 1, userAnswer: '🧬' }, CONTEXT);
  const attempt = attemptOf(mapped);
  assert.is(attempt.path, `${MOCK_PATH}\ufffd`);
  assert.is(attempt.questionId, 'q1\ufffd');
  assert.equal(attempt.canvas, { textboxes: [{ text: 'cell\ufffd wall' }] });
  assert.equal(attempt.extra, { 'odd\ufffd': 1 });
  assert.is(attempt.userAnswer, '🧬', 'a well-formed pair is kept');
  assert.equal(mapped.warnings.map((warning) => warning.reason), Array(3).fill('unpaired_surrogate_replaced'));
  assert.equal(mapped.warnings.map((warning) => warning.pointer.slice(attempt.source.pointer.length)), ['', '/canvas/textboxes/0/text', '/odd\ufffd']);
  assert.ok(JSON.stringify(attempt).isWellFormed());
});

test('timestamp_in_seconds: an epoch number below 1e11 is seconds, stored as its date and counted', () => {
  const mapped = mapAttempt(MOCK_PATH, { createdAt: 1694764389, updatedAt: '1694764400' }, CONTEXT);
  const attempt = attemptOf(mapped);
  assert.is(attempt.createdAt, '2023-09-15T07:53:09.000000Z', 'not 1970-01-20');
  assert.is(attempt.createdAtRaw, 1694764389);
  assert.is(attempt.updatedAt, '2023-09-15T07:53:20.000000Z');
  assert.equal(mapped.warnings, [
    { reason: 'timestamp_in_seconds', pointer: `${attempt.source.pointer}/createdAt` },
    { reason: 'timestamp_in_seconds', pointer: `${attempt.source.pointer}/updatedAt` },
  ]);
});

test('implausible_timestamp: before 2015 or over a day after the import is null, kept raw, counted; it takes no part in updated_before_created', () => {
  const future = new Date(IMPORT_STARTED + 2 * 24 * 60 * 60 * 1000).toISOString();
  const mapped = mapAttempt(MOCK_PATH, { createdAt: future, updatedAt: '2025-09-15T07:00:00Z' }, CONTEXT);
  const attempt = attemptOf(mapped);
  assert.is(attempt.createdAt, null);
  assert.is(attempt.createdAtRaw, future);
  assert.is(attempt.updatedAt, '2025-09-15T07:00:00.000000Z');
  assert.equal(reasons(mapped), ['implausible_timestamp'], 'an unknown createdAt is not after updatedAt');
  const old = mapAttempt(MOCK_PATH, { createdAt: 0, updatedAt: '2014-06-01T00:00:00Z' }, CONTEXT);
  assert.is(attemptOf(old).createdAt, null);
  assert.is(attemptOf(old).updatedAt, null);
  assert.equal(reasons(old), ['implausible_timestamp', 'implausible_timestamp']);
  const sameDay = mapAttempt(MOCK_PATH, { createdAt: new Date(IMPORT_STARTED + 60 * 60 * 1000).toISOString() }, CONTEXT);
  assert.equal(reasons(sameDay), [], 'an hour after the import started is a clock slip, not implausible');
});

test('updated_before_created compares seconds once converted: the same instant in seconds and in ISO is not before', () => {
  const mapped = mapAttempt(MOCK_PATH, { createdAt: 1694764389, updatedAt: '2023-09-15T07:53:09Z' }, CONTEXT);
  assert.equal(reasons(mapped), ['timestamp_in_seconds']);
  const slip = mapAttempt(MOCK_PATH, { createdAt: 1694764389, updatedAt: '2023-09-15T06:53:09Z' }, CONTEXT);
  assert.equal(reasons(slip), ['timestamp_in_seconds', 'updated_before_created']);
});

test('numeric_string_coerced: a mark given as a string becomes a number', () => {
  const mapped = mapAttempt(MOCK_PATH, { userMark: '2' }, CONTEXT);
  assert.is(attemptOf(mapped).userMark, 2);
  assert.equal(reasons(mapped), ['numeric_string_coerced']);
});

test('invalid_record: a number beyond a double (1e309 parses as Infinity) is refused, never written as null', () => {
  for (const body of [{ userMark: Number.POSITIVE_INFINITY }, { canvas: { x: [Number.NEGATIVE_INFINITY] } }, { createdAt: Number.POSITIVE_INFINITY }]) {
    const mapped = mapAttempt(MOCK_PATH, body, CONTEXT);
    assert.equal(mapped.events, [], JSON.stringify(Object.keys(body)));
    assert.equal(mapped.rejections.map((rejection) => rejection.reason), ['invalid_record']);
  }
});

test('fields the schema does not name are kept in extra, in a stable order', () => {
  const attempt = attemptOf(mapAttempt(MOCK_PATH, { zeta: 1, alpha: { b: [1] }, isMarked: false }, CONTEXT));
  assert.equal(Object.keys(attempt.extra), ['alpha', 'zeta']);
  assert.equal(attempt.extra, { alpha: { b: [1] }, zeta: 1 });
});

test('invalid_record: a field of the wrong type fails the event schema; the excerpt is bounded', () => {
  const mapped = mapAttempt(MOCK_PATH, { isMarked: 'yes', canvas: { text: 'x'.repeat(5000) } }, CONTEXT);
  assert.equal(mapped.events, []);
  const [rejection] = mapped.rejections;
  assert.is(rejection?.reason, 'invalid_record');
  assert.match(rejection?.message ?? '', /isMarked/);
  assert.is(rejection?.excerpt.length, EXCERPT_MAX_CHARS);
});

test('the same entry always gives the same key and bytes', async () => {
  const body = { updatedAt: '2025-09-16T21:58:05Z', createdAt: '2025-09-16T21:58:05.744000Z', questionID: 'q1', canvas: { a: 1 } };
  const reordered = Object.fromEntries(Object.entries(body).reverse());
  const codec = createJsonCodec();
  const [a, b] = [mapAttempt(MOCK_PATH, body, CONTEXT), mapAttempt(MOCK_PATH, reordered, CONTEXT)];
  const [first, second] = await Promise.all([a, b].map((mapped) => codec.encode('attempts', attemptOf(mapped))));
  assert.is(first?.key, MOCK_PATH);
  assert.ok(first?.value.equals(second?.value ?? Buffer.alloc(0)));
});

test.run();
