/**
 * The UpsertResult of an upsert from the key columns it returned: a row the
 * statement inserted or updated comes back (RETURNING key…, (xmax = 0) AS
 * inserted); one whose content was unchanged does not. Key columns are text
 * or integers, so the returned values compare as the same JSON text.
 */
import type { UpsertResult } from './upsert.ts';
import { columnValue } from './tableSpec.ts';

export function upsertResultOf<Row extends object>(
  unique: readonly Row[],
  key: readonly string[],
  returned: readonly { inserted: unknown }[],
): UpsertResult<Row> {
  const keyText = (row: object) => JSON.stringify(key.map((column) => columnValue(row, column)));
  const changedKeys = new Set(returned.map(keyText));
  const inserted = returned.filter((row) => row.inserted === true).length;
  return {
    inserted,
    updated: returned.length - inserted,
    unchanged: unique.length - returned.length,
    changed: unique.filter((row) => changedKeys.has(keyText(row))),
  };
}
