/**
 * Collects what one raw source record becomes: validated events, rejections
 * and warnings. Every source module maps a record through one recorder, so
 * the rules shared by all of them (schema validation, rejection excerpts,
 * storable strings, numeric coercion) are written once.
 */
import { EXCERPT_MAX_CHARS, type RecordRejected } from '@medly/shared/events/recordRejected';
import { validateEvent } from '@medly/shared/codec';
import { AppError, formatZodIssues } from '@medly/shared/errors';
import type { RejectionReason, SourceName, WarningReason } from '@medly/shared/reasons';
import type { EventOf, TopicId } from '@medly/shared/topics';
import { ZodError } from 'zod';
import { storableStrings } from '../normalize/storableText.ts';
import { coerceInteger, coerceIntegerOrList, coerceNumber, type Coerced } from '../normalize/numbers.ts';

/** The topics source records become events on (profiles come from the API; rejections are not events of a record). */
export type RecordTopic = Exclude<TopicId, 'userProfiles' | 'rejections'>;
export type OutgoingEvent = { [Id in RecordTopic]: { topic: Id; event: EventOf<Id> } }[RecordTopic];

export interface Warning {
  reason: WarningReason;
  pointer: string;
}

export interface MappedRecord {
  /** How many of the source's finest records (attempts, lessons, parts) this raw record held. */
  read: number;
  events: OutgoingEvent[];
  rejections: RecordRejected[];
  warnings: Warning[];
}

export type Recorder = ReturnType<typeof createRecorder>;

export function createRecorder(source: SourceName, file: string) {
  const events: OutgoingEvent[] = [];
  const rejections: RecordRejected[] = [];
  const warnings: Warning[] = [];

  const warn = (reason: WarningReason, pointer: string) => {
    warnings.push({ reason, pointer });
  };

  const reject = (reason: RejectionReason, pointer: string, message: string, raw: unknown) => {
    rejections.push({ source, file, pointer, reason, message, excerpt: excerptOf(raw) });
  };

  const counted = (result: Coerced, pointer: string): unknown => {
    if (result.coerced) warn('numeric_string_coerced', pointer);
    return result.value;
  };

  return {
    warn,
    reject,
    /** Validates the candidate with its topic's schema; a failure is an `invalid_record` rejection. */
    emit(topic: RecordTopic, candidate: unknown, pointer: string, raw: unknown): boolean {
      let event: EventOf<RecordTopic>;
      try {
        // validateEvent, not safeParse: the codec then knows the event is parsed and does not parse it again.
        event = validateEvent(topic, candidate);
      } catch (error) {
        const issues = error instanceof AppError && error.cause instanceof ZodError ? formatZodIssues(error.cause) : String(error);
        reject('invalid_record', pointer, `${topic}: ${issues}`, raw);
        return false;
      }
      events.push({ topic, event } as OutgoingEvent);
      return true;
    },
    /**
     * The record with every string storable (no NUL, no unpaired surrogate);
     * each repaired string or key is a `nul_removed` / `unpaired_surrogate_replaced` warning.
     */
    storable(raw: unknown, pointer: string): unknown {
      const { value, repaired } = storableStrings(raw, pointer);
      for (const place of repaired) warn(place.reason, place.pointer);
      return value;
    },
    integer: (raw: unknown, pointer: string) => counted(coerceInteger(raw), pointer),
    integerOrList: (raw: unknown, pointer: string) => counted(coerceIntegerOrList(raw), pointer),
    number: (raw: unknown, pointer: string) => counted(coerceNumber(raw), pointer),
    done(read: number): MappedRecord {
      return { read, events, rejections, warnings };
    },
  };
}

/** The start of a record as JSON text, at most EXCERPT_MAX_CHARS characters, never splitting a surrogate pair. */
export function excerptOf(raw: unknown): string {
  let text: string;
  try {
    // JSON.stringify gives undefined for undefined, whatever its declared type says.
    const json = JSON.stringify(raw) as string | undefined;
    text = json ?? String(raw);
  } catch {
    text = String(raw);
  }
  return truncateExcerpt(text);
}

/** At most EXCERPT_MAX_CHARS characters of the text, never ending inside a surrogate pair. */
export function truncateExcerpt(text: string): string {
  if (text.length <= EXCERPT_MAX_CHARS) return text;
  let end = EXCERPT_MAX_CHARS;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or null when it is missing; any other type is passed on for the schema to refuse. */
export function optional(value: unknown): unknown {
  return value === undefined ? null : value;
}
