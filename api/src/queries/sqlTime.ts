import { sql, type FragmentSqlToken } from 'slonik';

/**
 * A timestamptz as ISO-8601 text in UTC with microseconds. slonik's default
 * parser would turn it into epoch milliseconds, losing the microseconds that
 * keyset cursors need to resume exactly where a page ended.
 */
export function isoTime(column: FragmentSqlToken): FragmentSqlToken {
  return sql.fragment`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
