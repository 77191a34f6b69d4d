import type { ValueExpression } from 'slonik';

/**
 * Rows as one JSON text parameter, cast to jsonb and read with
 * jsonb_to_recordset in SQL. (sql.jsonb would do the same through a slower
 * stable stringify; a NUL that slipped through is refused by Postgres as a
 * data error, which the flusher isolates.)
 */
export function jsonRows(rows: readonly object[]): ValueExpression {
  return JSON.stringify(rows);
}
