/**
 * Timestamps of the Firebase export, normalised to one canonical form:
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, always six fraction digits). Postgres
 * parses it into timestamptz without losing the microseconds the export has,
 * and two canonical strings compare chronologically as plain strings.
 *
 * Accepted: ISO-8601 date-times with or without a fraction (`,` or `.`, up to
 * nine digits; beyond six they are truncated, Postgres' precision) and with
 * or without an offset (`Z`, `±HH:MM`, `±HHMM`, `±HH`; none means UTC, which
 * is what Firebase writes), and epoch numbers (a JSON number or a numeric
 * string) in milliseconds or seconds. Anything else is invalid: the caller
 * stores null and keeps the raw value.
 *
 * Seconds or milliseconds: an epoch number whose magnitude is below 1e11 is
 * seconds, any other is milliseconds (`epochSeconds` says which was read, so
 * the caller can count it). The rule is unambiguous for every time this data
 * can hold: 1e11 ms is 1973-03-03 and 1e11 s is the year 5138, so a plausible
 * time (below) is ~1.4e9–2e9 as seconds and ~1.4e12–2e12 as milliseconds,
 * never near the boundary; read the other way, either would be implausible.
 *
 * Plausible: a readable time that this data cannot hold is `implausible`, and
 * the caller stores null, keeps the raw value and counts it. The window is
 * [2015-01-01T00:00:00Z, the import's start + 1 day]: no attempt of this app
 * was written before 2015 (the real export is from 2025; 1970 or 1900 are
 * zero or placeholder values), and none after the export was read, beyond a
 * day's slack for device clocks and time-zone slips (offsets reach ±14 h; the
 * real export has times an hour off). The import's start is passed in
 * (`plausibleWindow`), never read from the clock here, so a test can fix it.
 */

export type NormalizedTimestamp =
  | { kind: 'missing' }
  | { kind: 'valid'; iso: string; epochSeconds: boolean }
  | { kind: 'invalid' }
  | { kind: 'implausible' };

/** The instants, in epoch milliseconds, a timestamp of this data can fall between (both included). */
export interface PlausibleWindow {
  earliestMs: number;
  latestMs: number;
}

export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2015, 0, 1);
export const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;
/** Below this magnitude an epoch number is seconds, from it on milliseconds (see above). */
export const EPOCH_SECONDS_BELOW = 1e11;

/** The plausible window of an import that started at `importStartedAtMs`. */
export function plausibleWindow(importStartedAtMs: number): PlausibleWindow {
  return { earliestMs: EARLIEST_PLAUSIBLE_MS, latestMs: importStartedAtMs + FUTURE_SLACK_MS };
}

/** An instant: whole milliseconds (UTC) and the microseconds within that millisecond. */
interface Instant {
  ms: number;
  micros: number;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const EPOCH_NUMBER = /^-?\d+(?:\.\d+)?$/;
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MIN_EPOCH_MS = new Date(0).setUTCFullYear(1, 0, 1); // four-digit years only (Date.UTC maps 1 to 1901)

export function normalizeTimestamp(raw: unknown, window: PlausibleWindow): NormalizedTimestamp {
  if (raw === undefined || raw === null) return { kind: 'missing' };
  const read = readInstant(raw);
  if (read === undefined) return { kind: 'invalid' };
  const { ms, micros } = read.instant;
  if (ms < window.earliestMs || ms > window.latestMs) return { kind: 'implausible' };
  const msOfSecond = ((ms % 1000) + 1000) % 1000;
  return { kind: 'valid', iso: format(ms - msOfSecond, msOfSecond * 1000 + micros), epochSeconds: read.epochSeconds };
}

function readInstant(raw: unknown): { instant: Instant; epochSeconds: boolean } | undefined {
  if (typeof raw === 'number') return fromEpoch(raw);
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (EPOCH_NUMBER.test(text)) return fromEpoch(Number(text));
  const instant = fromIso(text);
  return instant && { instant, epochSeconds: false };
}

function fromEpoch(epoch: number): { instant: Instant; epochSeconds: boolean } | undefined {
  const epochSeconds = Math.abs(epoch) < EPOCH_SECONDS_BELOW;
  const instant = fromEpochMs(epochSeconds ? epoch * 1000 : epoch);
  return instant && { instant, epochSeconds };
}

function fromEpochMs(ms: number): Instant | undefined {
  if (!Number.isFinite(ms)) return undefined;
  // Whole milliseconds and the microseconds beyond them apart: ms × 1000 would pass 2^53 for far dates.
  let wholeMs = Math.floor(ms);
  let extraMicros = Math.round((ms - wholeMs) * 1000);
  if (extraMicros === 1000) {
    wholeMs += 1;
    extraMicros = 0;
  }
  if (wholeMs < MIN_EPOCH_MS || wholeMs > MAX_EPOCH_MS) return undefined;
  return { ms: wholeMs, micros: extraMicros };
}

function fromIso(text: string): Instant | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zulu, sign, offsetHours, offsetMinutes = '00'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (!zulu && sign) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  const utcMs = local.getTime() - offset * 60_000;
  if (utcMs < MIN_EPOCH_MS || utcMs > MAX_EPOCH_MS) return undefined;
  // The fraction's first three digits are milliseconds, the next three microseconds.
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  return { ms: utcMs + Math.floor(micros / 1000), micros: micros % 1000 };
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** `wholeSecondMs` is a multiple of 1000 (UTC); `micros` the microseconds within that second. */
function format(wholeSecondMs: number, micros: number): string {
  const date = new Date(wholeSecondMs);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(micros, 6)}Z`
  );
}
