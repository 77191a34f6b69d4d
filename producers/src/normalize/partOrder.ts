/**
 * A question part's place in its question, from its `question_part`. Exams
 * label parts with numbers (the real files: 1–6) but often with letters too
 * ("1a", "b", "(ii)"), so the label is kept as text and the order as an
 * integer:
 *
 * - an integer, or an integer written as a string ("3", counted as coerced),
 *   keeps its number as the order; its label is the value as given, as text;
 * - any other non-empty string is kept as the label, and the order is the
 *   part's ordinal in its question (1-based, every slot counted), counted
 *   (`part_number_from_position`);
 * - a missing, null or blank label is null, ordered by its ordinal, counted alike;
 * - anything else (a fraction, a boolean, an object) is passed on unchanged
 *   for the event schema to refuse, as before: a guess would hide it.
 *
 * Two parts may then share an order (labels "b", 1): they are listed by
 * questionID within it, nothing is lost.
 */
import { coerceInteger } from './numbers.ts';

export interface PartOrder {
  /** The order within the question: an integer, or the raw value for the schema to refuse. */
  part: unknown;
  label: string | null;
  /** The order is the part's ordinal: its label was not a number. */
  fromPosition: boolean;
  /** A numeric string was read as its number. */
  coerced: boolean;
}

export function partOrderOf(raw: unknown, ordinal: number): PartOrder {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return { part: ordinal, label: null, fromPosition: true, coerced: false };
  }
  if (typeof raw === 'number') {
    return { part: raw, label: Number.isSafeInteger(raw) ? String(raw) : null, fromPosition: false, coerced: false };
  }
  if (typeof raw !== 'string') return { part: raw, label: null, fromPosition: false, coerced: false };
  const number = coerceInteger(raw);
  if (number.coerced) return { part: number.value, label: raw, fromPosition: false, coerced: true };
  return { part: ordinal, label: raw, fromPosition: true, coerced: false };
}
