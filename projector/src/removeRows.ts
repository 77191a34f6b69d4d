/**
 * Deletes the rows of a table named by their (text) key columns, as a
 * tombstone names them, and returns the columns the caller needs to
 * recompute what was derived from them (a lesson's subject, an appearance's
 * item, an attempt's user).
 */
import { sql } from 'slonik';
import { z } from 'zod';
import type { Queryable } from './batchWriter.ts';

export async function removeRows<Returned extends string>(
  connection: Queryable,
  table: string,
  keyColumns: readonly string[],
  keys: readonly (readonly string[])[],
  returning: readonly Returned[],
): Promise<Record<Returned, string>[]> {
  if (keys.length === 0) return [];
  const rowSchema = z.object(Object.fromEntries(['removed', ...returning].map((column) => [column, column === 'removed' ? z.literal(1) : z.string()])));
  const columns = keyColumns.map((column, index) => ({ column, values: keys.map((parts) => parts[index] ?? '') }));
  const rows = await connection.any(sql.type(rowSchema)`
    DELETE FROM ${sql.identifier([table])} AS t
    USING unnest(${sql.join(
      columns.map(({ values }) => sql.array(values, 'text')),
      sql.fragment`, `,
    )}) AS gone(${sql.join(
      keyColumns.map((column) => sql.identifier([column])),
      sql.fragment`, `,
    )})
    WHERE ${sql.join(
      keyColumns.map((column) => sql.fragment`t.${sql.identifier([column])} = gone.${sql.identifier([column])}`),
      sql.fragment` AND `,
    )}
    RETURNING 1 AS removed${returning.length > 0 ? sql.fragment`, ${sql.join(
      returning.map((column) => sql.fragment`t.${sql.identifier([column])}`),
      sql.fragment`, `,
    )}` : sql.fragment``}`);
  return rows as unknown as Record<Returned, string>[];
}
