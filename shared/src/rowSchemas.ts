/**
 * `sql.type(schema)` checks rows, not only types them. slonik 49 hands the
 * schema to its interceptors and does nothing with it itself; this one
 * (slonik's documented result-parser interceptor) validates every row of
 * every pool (shared/src/db.ts), and the projector's batch connections call
 * `checkRow` the same way. A row that does not match is a
 * SchemaValidationError (a bug: the SQL and its schema disagree), never a
 * silently mistyped value. The parsed row is what callers get, so a schema
 * also drops columns it does not name.
 */
import { SchemaValidationError, type Interceptor, type QueryResultRow, type QuerySqlToken } from 'slonik';

type RowSchema = QuerySqlToken['parser'];

export function checkRow(schema: RowSchema, query: { sql: string; values: QuerySqlToken['values'] }, row: QueryResultRow): QueryResultRow {
  const result = schema['~standard'].validate(row);
  // zod validates synchronously; an async schema would need transformRowAsync, and none is used.
  if (result instanceof Promise) throw new TypeError('row schemas must validate synchronously');
  if (result.issues) throw new SchemaValidationError(query, row, result.issues);
  return result.value as QueryResultRow;
}

export const rowSchemaInterceptor: Interceptor = {
  name: 'row-schemas',
  transformRow: (context, query, row) => (context.resultParser ? checkRow(context.resultParser, query, row) : row),
};
