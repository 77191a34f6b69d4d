import { sql, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';

/**
 * A timestamptz as ISO-8601 text in UTC with microseconds. slonik's default
 * parser would turn it into epoch milliseconds, losing the microseconds that
 * keyset cursors need to resume exactly where a page ended.
 */
export function isoTime(column: FragmentSqlToken): FragmentSqlToken {
  return sql.fragment`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * When a row's record was first and last seen in an export, as ISO text
 * (`firstSeenAt`, `lastSeenAt`). Last seen is the time of the latest complete
 * snapshot of the row's source file (every row still present was in it);
 * a row no complete snapshot has read yet was last seen when first seen.
 */
export function seenColumns(alias: string): FragmentSqlToken {
  let columns = seenColumnsByAlias.get(alias);
  if (columns === undefined) {
    columns = buildSeenColumns(alias);
    seenColumnsByAlias.set(alias, columns);
  }
  return columns;
}

/** Built once per alias (each query names its one literal alias), not per request: fragments are immutable. */
const seenColumnsByAlias = new Map<string, FragmentSqlToken>();

function buildSeenColumns(alias: string): FragmentSqlToken {
  const firstSeen = sql.identifier([alias, 'first_seen_at']);
  const file = sql.identifier([alias, 'source_file']);
  return sql.fragment`
    ${isoTime(sql.fragment`${firstSeen}`)} AS "firstSeenAt",
    ${isoTime(sql.fragment`coalesce((SELECT s.taken_at FROM source_snapshots s WHERE ${file} = ANY (s.files)), ${firstSeen})`)} AS "lastSeenAt"`;
}

/** The two columns seenColumns selects. */
export const seenFields = { firstSeenAt: z.string(), lastSeenAt: z.string() };
