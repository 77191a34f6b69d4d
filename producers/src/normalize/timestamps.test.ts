import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EARLIEST_PLAUSIBLE_MS, normalizeTimestamp, plausibleWindow, type PlausibleWindow } from './timestamps.ts';

/** Every instant the canonical form can spell: for the rules of reading, apart from plausibility. */
const ANY_TIME: PlausibleWindow = { earliestMs: -Infinity, latestMs: Infinity };
const IMPORT_STARTED = Date.UTC(2025, 9, 1, 12, 0, 0);
const DAY = 24 * 60 * 60 * 1000;

const iso = (raw: unknown, window = ANY_TIME) => {
  const result = normalizeTimestamp(raw, window);
  return result.kind === 'valid' ? result.iso : result.kind;
};
const inSeconds = (raw: unknown) => {
  const result = normalizeTimestamp(raw, plausibleWindow(IMPORT_STARTED));
  return result.kind === 'valid' && result.epochSeconds;
};

test('the export forms (Z, +00:00, microseconds) become one canonical UTC form', () => {
  assert.is(iso('2025-09-15T07:53:09.441000+00:00'), '2025-09-15T07:53:09.441000Z');
  assert.is(iso('2025-09-16T21:58:05.744000Z'), '2025-09-16T21:58:05.744000Z');
  assert.is(iso('2025-09-16T21:58:05Z'), '2025-09-16T21:58:05.000000Z');
});

test('microseconds are kept, shorter fractions padded, longer ones truncated to Postgres precision', () => {
  assert.is(iso('2025-09-15T07:53:09.123456Z'), '2025-09-15T07:53:09.123456Z');
  assert.is(iso('2025-09-15T07:53:09.5Z'), '2025-09-15T07:53:09.500000Z');
  assert.is(iso('2025-09-15T07:53:09.123456789Z'), '2025-09-15T07:53:09.123456Z');
  assert.is(iso('2025-09-15T07:53:09,25Z'), '2025-09-15T07:53:09.250000Z');
});

test('offsets are applied; no offset means UTC; minutes and a space separator are accepted', () => {
  assert.is(iso('2025-09-15T08:53:09+01:00'), '2025-09-15T07:53:09.000000Z');
  assert.is(iso('2025-09-15T02:23:09.1-0530'), '2025-09-15T07:53:09.100000Z');
  assert.is(iso('2025-09-15T09:53:09+02'), '2025-09-15T07:53:09.000000Z');
  assert.is(iso('2025-09-15T07:53:09'), '2025-09-15T07:53:09.000000Z');
  assert.is(iso('2025-09-15 07:53'), '2025-09-15T07:53:00.000000Z');
  assert.is(iso('2025-01-01T00:30:00+01:00'), '2024-12-31T23:30:00.000000Z', 'an offset may move the date');
});

test('epoch milliseconds, as a number or a numeric string', () => {
  const ms = Date.UTC(2025, 8, 15, 7, 53, 9, 441);
  assert.is(iso(ms), '2025-09-15T07:53:09.441000Z');
  assert.is(iso(String(ms)), '2025-09-15T07:53:09.441000Z');
  assert.is(iso(ms + 0.25), '2025-09-15T07:53:09.441250Z', 'fractional milliseconds are microseconds');
  assert.is(inSeconds(ms), false);
  assert.is(iso(1e11), '1973-03-03T09:46:40.000000Z', '1e11 is the first milliseconds value');
  assert.is(iso(-1e11), '1966-10-31T14:13:20.000000Z');
});

test('epoch seconds: a magnitude below 1e11 is seconds, converted and said so', () => {
  assert.is(iso(1694764389), '2023-09-15T07:53:09.000000Z', 'not 1970-01-20');
  assert.is(inSeconds(1694764389), true);
  assert.is(iso('1694764389'), '2023-09-15T07:53:09.000000Z', 'a numeric string too');
  assert.is(inSeconds(' 1694764389 '), true);
  assert.is(iso(1694764389.25), '2023-09-15T07:53:09.250000Z', 'a fraction is the part of a second');
  assert.is(iso(99_999_999_999), '5138-11-16T09:46:39.000000Z', 'the last seconds value');
  assert.is(iso(0), '1970-01-01T00:00:00.000000Z');
  assert.is(iso(-1), '1969-12-31T23:59:59.000000Z');
  assert.is(inSeconds('2025-09-15T07:53:09Z'), false, 'an ISO text is neither');
});

test('implausible: before 2015, or more than a day after the import started; both bounds included', () => {
  const window = plausibleWindow(IMPORT_STARTED);
  const at = (raw: unknown) => iso(raw, window);
  assert.is(at(EARLIEST_PLAUSIBLE_MS), '2015-01-01T00:00:00.000000Z');
  assert.is(at(EARLIEST_PLAUSIBLE_MS - 1), 'implausible');
  assert.is(at('2014-12-31T23:59:59.999999Z'), 'implausible');
  assert.is(at(IMPORT_STARTED + DAY), '2025-10-02T12:00:00.000000Z', 'a day of clock slack');
  assert.is(at(IMPORT_STARTED + DAY + 1), 'implausible');
  assert.is(at('2025-10-02T13:00:00.001+01:00'), 'implausible', 'compared as instants, offsets applied');
  assert.is(at('2099-01-01T00:00:00Z'), 'implausible');
  for (const raw of [0, 1, -1, 1694764, '1970-01-01T00:00:00Z', '1900-01-01T00:00:00Z']) assert.is(at(raw), 'implausible', String(raw));
  assert.is(at(1694764389), '2023-09-15T07:53:09.000000Z', 'seconds are judged once converted');
  assert.is(at('yesterday'), 'invalid', 'unreadable stays invalid');
  assert.is(at(1e20), 'invalid', 'beyond the year 9999 stays invalid');
  assert.is(at(null), 'missing');
});

test('the window moves with the import, not with the clock of the test', () => {
  const later = plausibleWindow(Date.UTC(2100, 0, 1));
  assert.is(iso('2099-01-01T00:00:00Z', later), '2099-01-01T00:00:00.000000Z');
});

test('missing is not invalid', () => {
  assert.is(iso(undefined), 'missing');
  assert.is(iso(null), 'missing');
});

test('anything else is invalid', () => {
  for (const raw of [
    '', 'yesterday', '2025-13-01T00:00:00Z', '2025-02-29T00:00:00Z', '2025-09-31T00:00:00Z',
    '2025-09-15T24:00:00Z', '2025-09-15T07:60:00Z', '2025-09-15T07:53:60Z', '2025-09-15', '2025-09-15T07:53:09+25:00',
    '15/09/2025 07:53', true, {}, [], Number.NaN, Number.POSITIVE_INFINITY, 1e20,
  ]) {
    assert.is(iso(raw), 'invalid', `${JSON.stringify(raw)} is invalid`);
  }
  assert.is(iso('2024-02-29T00:00:00Z'), '2024-02-29T00:00:00.000000Z', 'a leap day is valid');
  assert.is(iso('0001-01-01T00:00:00Z'), '0001-01-01T00:00:00.000000Z', 'readable down to the year 1');
});

test('canonical strings order chronologically as plain strings', () => {
  const earlier = iso('2025-09-15T08:00:00+02:00');
  const later = iso('2025-09-15T06:30:00.000001Z');
  assert.ok(earlier < later);
});

test('Postgres and zod accept the canonical form', async () => {
  const { z } = await import('zod');
  assert.ok(z.string().datetime({ offset: true }).safeParse(iso('2025-09-15T07:53:09.441000+00:00')).success);
  assert.is(new Date(iso('2025-09-15T07:53:09.441000+00:00')).getTime(), Date.UTC(2025, 8, 15, 7, 53, 9, 441));
});

test.run();
