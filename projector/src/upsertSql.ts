/**
 * The upsert SQL, as text with quoted identifiers (identifiers come from the
 * TableSpecs, values are always bound or streamed):
 *
 *   INSERT INTO t (…, first_seen_at, last_seen_at) …
 *   ON CONFLICT (key) DO UPDATE SET … , last_seen_at = now()
 *   WHERE (content) IS DISTINCT FROM (EXCLUDED content)
 *   RETURNING key…, (xmax = 0) AS inserted
 *
 * The projector's upsertRows and the bench's alternative strategies share
 * it; each returns the key of every row it inserted or updated, so it can
 * tell which rows changed (changedRows.ts).
 */
import type { TableColumns } from './tableSpec.ts';

/** A quoted SQL identifier (what pg's escapeIdentifier does, without needing a client). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function columnList(columns: readonly string[], qualifier?: string): string {
  return columns.map((column) => (qualifier ? `${qualifier}.${quoteIdentifier(column)}` : quoteIdentifier(column))).join(', ');
}

/** `"a" text, "b" integer, …`: the spec's columns with their types and no constraints (staging and raw tables). */
export function columnDefinitions(columns: TableColumns): string {
  return columns.all.map((column) => `${quoteIdentifier(column)} ${columns.typeOf(column)}`).join(', ');
}

export function insertHead(columns: TableColumns): string {
  return `INSERT INTO ${quoteIdentifier(columns.table)} (${columnList(columns.all)}, first_seen_at, last_seen_at)`;
}

export function conflictClause(columns: TableColumns): string {
  const table = quoteIdentifier(columns.table);
  const set = columns.updatable.map((column) => `${quoteIdentifier(column)} = EXCLUDED.${quoteIdentifier(column)}`).join(', ');
  return (
    `ON CONFLICT (${columnList(columns.key)}) DO UPDATE SET ${set}, last_seen_at = now() ` +
    `WHERE (${columnList(columns.content, table)}) IS DISTINCT FROM (${columnList(columns.content, 'EXCLUDED')}) ` +
    `RETURNING ${columnList(columns.key, table)}, (xmax = 0) AS inserted`
  );
}
