/**
 * Timestamps of the Firebase export, normalised to one canonical form:
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, always six fraction digits). Postgres
 * parses it into timestamptz without losing the microseconds the export has,
 * and two canonical strings compare chronologically as plain strings.
 *
 * Accepted: ISO-8601 date-times with or without a fraction (`,` or `.`, up to
 * nine digits; beyond six they are truncated, Postgres' precision) and with
 * or without an offset (`Z`, `±HH:MM`, `±HHMM`, `±HH`; none means UTC, which
 * is what Firebase writes), and epoch milliseconds as a number or a numeric
 * string. Anything else is invalid: the caller stores null and keeps the raw value.
 */

export type NormalizedTimestamp =
  | { kind: 'missing' }
  | { kind: 'valid'; iso: string }
  | { kind: 'invalid' };

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const EPOCH_MS = /^-?\d+(?:\.\d+)?$/;
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MIN_EPOCH_MS = new Date(0).setUTCFullYear(1, 0, 1); // four-digit years only (Date.UTC maps 1 to 1901)

export function normalizeTimestamp(raw: unknown): NormalizedTimestamp {
  if (raw === undefined || raw === null) return { kind: 'missing' };
  if (typeof raw === 'number') return fromEpochMs(raw);
  if (typeof raw !== 'string') return { kind: 'invalid' };
  const text = raw.trim();
  if (EPOCH_MS.test(text)) return fromEpochMs(Number(text));
  return fromIso(text);
}

function fromEpochMs(ms: number): NormalizedTimestamp {
  if (!Number.isFinite(ms)) return { kind: 'invalid' };
  // Whole milliseconds and the microseconds beyond them apart: ms × 1000 would pass 2^53 for far dates.
  let wholeMs = Math.floor(ms);
  let extraMicros = Math.round((ms - wholeMs) * 1000);
  if (extraMicros === 1000) {
    wholeMs += 1;
    extraMicros = 0;
  }
  if (wholeMs < MIN_EPOCH_MS || wholeMs > MAX_EPOCH_MS) return { kind: 'invalid' };
  const msOfSecond = ((wholeMs % 1000) + 1000) % 1000;
  return { kind: 'valid', iso: format(wholeMs - msOfSecond, msOfSecond * 1000 + extraMicros) };
}

function fromIso(text: string): NormalizedTimestamp {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return { kind: 'invalid' };
  const [, y, mo, d, h, mi, s = '00', fraction = '', zulu, sign, offsetHours, offsetMinutes = '00'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { kind: 'invalid' };
  if (hour > 23 || minute > 59 || second > 59) return { kind: 'invalid' };
  let offset = 0;
  if (!zulu && sign) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) return { kind: 'invalid' };
    offset = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  const utcMs = local.getTime() - offset * 60_000;
  if (utcMs < MIN_EPOCH_MS || utcMs > MAX_EPOCH_MS) return { kind: 'invalid' };
  return { kind: 'valid', iso: format(utcMs, Number(fraction.padEnd(6, '0').slice(0, 6))) };
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
