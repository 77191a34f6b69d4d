import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeTimestamp } from './timestamps.ts';

const iso = (raw: unknown) => {
  const result = normalizeTimestamp(raw);
  return result.kind === 'valid' ? result.iso : result.kind;
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
  assert.is(iso(0), '1970-01-01T00:00:00.000000Z');
  assert.is(iso(-1), '1969-12-31T23:59:59.999000Z');
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
