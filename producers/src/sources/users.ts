/**
 * users: one Firebase export entry (`targets[<path>]`) → one AttemptRecorded.
 *
 * The path is the attempt's identity and the authority on who, where and which
 * question: `users/<uid>/subjectsWeb/<subjectId>/mocks/<paperId>/questions/<questionID>`
 * or `users/<uid>/subjectsWeb/<subjectId>/lessons/<lessonID>/practice/<questionID>`.
 * Anything else is `unparseable_key`. The body's own questionID may be missing;
 * a different one is kept beside the path's and counted (`question_id_mismatch`).
 *
 * Times are read by normalize/timestamps.ts against the import's plausible
 * window: epoch seconds are converted (`timestamp_in_seconds`); an unreadable
 * time (`invalid_timestamp`) or one this data cannot hold
 * (`implausible_timestamp`) is null beside its raw value, so it takes no part
 * in `updated_before_created` nor in the user's first / last seen.
 */
import type { AttemptRecorded } from '@medly/shared/events/attemptRecorded';
import { childPointer } from '../jsonPointer.ts';
import { storableString, type TextRepair } from '../normalize/storableText.ts';
import { normalizeTimestamp, plausibleWindow, type PlausibleWindow } from '../normalize/timestamps.ts';
import { createRecorder, isObject, optional, type MappedRecord, type Recorder } from './recorder.ts';

export interface AttemptPath {
  uid: string;
  subjectId: string;
  context: 'mock' | 'practice';
  paperId: string | null;
  lessonId: string | null;
  questionId: string;
}

/** Both path shapes the app writes; undefined for anything else. */
export function parseAttemptPath(path: string): AttemptPath | undefined {
  const segments = path.split('/');
  if (segments.length !== 8 || segments.some((segment) => segment === '')) return undefined;
  const [users, uid, subjectsWeb, subjectId, containerKind, containerId, leafKind, questionId] = segments as [
    string, string, string, string, string, string, string, string,
  ];
  if (users !== 'users' || subjectsWeb !== 'subjectsWeb') return undefined;
  if (containerKind === 'mocks' && leafKind === 'questions') {
    return { uid, subjectId, context: 'mock', paperId: containerId, lessonId: null, questionId };
  }
  if (containerKind === 'lessons' && leafKind === 'practice') {
    return { uid, subjectId, context: 'practice', paperId: null, lessonId: containerId, questionId };
  }
  return undefined;
}

/** Body fields the event names; every other field is kept in `extra`. */
const NAMED_FIELDS = new Set([
  'createdAt', 'updatedAt', 'questionID', 'isMarked', 'userMark', 'userAnswer',
  'annotatedAnswer', 'markingTable', 'options', 'canvas',
]);

export interface AttemptContext {
  /** Relative to the data folder, with `/` separators. */
  file: string;
  /** When the import started (epoch ms): the end of the plausible window of times. */
  importStartedAt: number;
}

export function mapAttempt(rawKey: string, rawBody: unknown, context: AttemptContext): MappedRecord {
  const { file } = context;
  const recorder = createRecorder('users', file);
  const repairs: TextRepair[] = [];
  const key = storableString(rawKey, repairs);
  const pointer = childPointer('/targets', key);
  for (const reason of repairs) recorder.warn(reason, pointer);

  const path = parseAttemptPath(key);
  if (!path) {
    recorder.reject('unparseable_key', pointer, `key is not a Firebase attempt path: ${key.slice(0, 200)}`, { [key]: rawBody });
    return recorder.done(1);
  }
  if (!isObject(rawBody)) {
    recorder.reject('invalid_body', pointer, `attempt body is ${describe(rawBody)}, not an object`, { [key]: rawBody });
    return recorder.done(1);
  }
  const body = recorder.storable(rawBody, pointer) as Record<string, unknown>;

  const extra: Record<string, unknown> = {};
  for (const field of Object.keys(body).sort()) {
    if (!NAMED_FIELDS.has(field)) extra[field] = body[field];
  }
  const bodyQuestionId = bodyQuestionIdOf(body.questionID, path.questionId, pointer, recorder, extra);
  const window = plausibleWindow(context.importStartedAt);
  const createdAt = timestamp(body.createdAt, childPointer(pointer, 'createdAt'), window, recorder);
  const updatedAt = timestamp(body.updatedAt, childPointer(pointer, 'updatedAt'), window, recorder);
  if (createdAt !== null && updatedAt !== null && updatedAt < createdAt) {
    recorder.warn('updated_before_created', pointer);
  }

  const candidate: Record<keyof AttemptRecorded, unknown> = {
    path: key,
    uid: path.uid,
    subjectId: path.subjectId,
    context: path.context,
    paperId: path.paperId,
    lessonId: path.lessonId,
    questionId: path.questionId,
    bodyQuestionId,
    createdAt,
    createdAtRaw: optional(body.createdAt),
    updatedAt,
    updatedAtRaw: optional(body.updatedAt),
    isMarked: optional(body.isMarked),
    userMark: recorder.number(body.userMark, childPointer(pointer, 'userMark')),
    userAnswer: optional(body.userAnswer),
    annotatedAnswer: optional(body.annotatedAnswer),
    markingTable: optional(body.markingTable),
    options: optional(body.options),
    canvas: optional(body.canvas),
    extra,
    source: { file, pointer },
  };
  recorder.emit('attempts', candidate, pointer, { [key]: body });
  return recorder.done(1);
}

function bodyQuestionIdOf(
  raw: unknown,
  pathQuestionId: string,
  pointer: string,
  recorder: Recorder,
  extra: Record<string, unknown>,
): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') {
    if (raw !== pathQuestionId) recorder.warn('question_id_mismatch', pointer);
    return raw;
  }
  // Not even a string: the path still decides; the odd value is kept, not dropped.
  extra.questionID = raw;
  recorder.warn('question_id_mismatch', pointer);
  return null;
}

function timestamp(raw: unknown, pointer: string, window: PlausibleWindow, recorder: Recorder): string | null {
  const normalized = normalizeTimestamp(raw, window);
  switch (normalized.kind) {
    case 'valid':
      if (normalized.epochSeconds) recorder.warn('timestamp_in_seconds', pointer);
      return normalized.iso;
    case 'invalid':
      recorder.warn('invalid_timestamp', pointer);
      return null;
    case 'implausible':
      recorder.warn('implausible_timestamp', pointer);
      return null;
    case 'missing':
      return null;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
