/**
 * Path and filter ids, checked before any SQL runs: the exports' ids are
 * letters, digits, `.`, `_` and `-` (Firebase uids, `aqaGCSEBio0.0.0`,
 * `aqaGCSEBio_1_1_1_EBc0BgD11T`); `~` is allowed as the other URL-unreserved
 * character. Anything else, or longer than 256, is a 400.
 */
import { datetimeRegex } from 'zod';
import { z } from './zod.ts';

export const ID_PATTERN = /^[A-Za-z0-9._~-]{1,256}$/;

function idSchema(description: string, example: string) {
  return z
    .string()
    .regex(ID_PATTERN, 'must be 1–256 letters, digits, ".", "_", "~" or "-"')
    .openapi({ description, example, param: { description, example } });
}

export const uidParam = idSchema('The Firebase uid of a user.', '05IsdAyoSnekvovtyr2fC5cNOnF3');
export const lessonIdParam = idSchema('A course lesson id.', 'aqaGCSEBio0.0.0');
export const paperIdParam = idSchema('A mock paper id.', 'medlymockaqaGCSEBio_Sept_Mock1Higher');
export const questionIdParam = idSchema('The part-level questionID of an item.', 'aqaGCSEBio_1_1_1_EBc0BgD11T');
export const subjectIdParam = idSchema('A subject id.', 'aqaGCSEBio');

/** `.datetime({ offset: true })`'s own regex, compiled once: zod 3 compiles it anew for every value it checks. */
const ISO_TIMESTAMP = datetimeRegex({ offset: true, precision: null, local: false });

/** ISO-8601 with offset, as every timestamp in responses is written (documented as `.datetime()` was: format date-time). */
export const timestamp = z
  .string()
  .refine((value) => ISO_TIMESTAMP.test(value), { message: 'Invalid datetime' })
  .openapi({ format: 'date-time', example: '2025-09-15T07:53:09.441Z' });

/** When a record was first and last seen in an export (DESIGN §3 provenance). */
export const seenSchema = z
  .object({
    firstSeenAt: timestamp.openapi({ description: 'When the first import whose export held the record ran.' }),
    lastSeenAt: timestamp.openapi({ description: 'When the latest import whose export held the record ran (its source\'s latest complete snapshot).' }),
  })
  .openapi('Seen');
