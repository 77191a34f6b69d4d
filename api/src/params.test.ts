import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { timestamp } from './params.ts';

test('timestamp accepts and refuses exactly what z.string().datetime({ offset: true }) does', () => {
  const datetime = z.string().datetime({ offset: true });
  const values = [
    '2025-09-15T07:53:09.441Z',
    '2025-09-15T07:53:09.441123Z',
    '2025-09-15T07:53:09Z',
    '2025-09-15T07:53Z',
    '2025-09-15T07:53:09+02:00',
    '2025-09-15T07:53:09-0530',
    '2025-09-15T07:53:09',
    '2025-09-15 07:53:09Z',
    '2025-13-15T07:53:09Z',
    '2025-02-30T07:53:09Z',
    '2025-09-15T24:00:00Z',
    '',
    'x',
  ];
  for (const value of values) assert.is(timestamp.safeParse(value).success, datetime.safeParse(value).success, value);
});

test.run();
