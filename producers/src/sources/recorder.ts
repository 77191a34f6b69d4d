/**
 * Collects what one raw source record becomes: validated events, rejections
 * and warnings. Every source module maps a record through one recorder, so
 * the rules shared by all of them (schema validation, rejection excerpts,
 * storable strings, numeric coercion) are written once.
 */
import type { RecordRejected } from '@medly/shared/events/recordRejected';
import { validateEvent, type ValidEvent } from '@medly/shared/codec';
import { AppError, formatZodIssues } from '@medly/shared/errors';
import { jsonExcerpt } from '@medly/shared/excerpt';
import type { RejectionReason, SourceName, WarningReason } from '@medly/shared/reasons';
import type { TopicId } from '@medly/shared/topics';
import { ZodError } from 'zod';
import { storableStrings } from '../normalize/storableText.ts';
import { coerceInteger, coerceIntegerOrList, coerceNumber, type Coerced } from '../normalize/numbers.ts';

/** The topics source records become events on (profiles come from the API; rejections are not events of a record). */
export type RecordTopic = Exclude<TopicId, 'userProfiles' | 'rejections' | 'snapshots'>;
export type OutgoingEvent = { [Id in RecordTopic]: { topic: Id; event: ValidEvent<Id> } }[RecordTopic];

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
    rejections.push({ source, file, pointer, reason, message, excerpt: jsonExcerpt(raw) });
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
      let event: ValidEvent<RecordTopic>;
      try {
        // A ValidEvent: the codec encodes it without parsing it again.
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

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or null when it is missing; any other type is passed on for the schema to refuse. */
export function optional(value: unknown): unknown {
  return value === undefined ? null : value;
}
