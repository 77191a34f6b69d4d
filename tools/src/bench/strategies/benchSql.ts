/**
 * The bench's own SQL for the strategies it measures beside the projector's
 * write path: the same merge, built from a projection's TableSpec,
 *
 *   INSERT INTO t (…) <rows>
 *   ON CONFLICT (key) DO UPDATE SET …
 *   WHERE (content) IS DISTINCT FROM (EXCLUDED content)
 *   RETURNING key…, (xmax = 0) AS inserted
 *
 * and each value in the form the pg driver or COPY takes it. Written here
 * rather than imported, so the projector exports nothing for the bench;
 * strategies.int.test.ts checks every strategy leaves what the projector's
 * table writer leaves.
 */
import type { ColumnType, TableSpec } from '@medly/projector/tableWriter';
import type { UpsertCounts } from '@medly/projector/upsertCounts';

export interface BenchColumns {
  table: string;
  all: string[];
  key: string[];
  /** Compared on conflict: all but the key and the volatile kafka_* provenance (as the projector does). */
  content: string[];
  updatable: string[];
  typeOf(column: string): ColumnType;
}

const KAFKA_COLUMNS = new Set(['kafka_topic', 'kafka_partition', 'kafka_offset']);

export function benchColumns<Row extends object>(spec: TableSpec<Row>): BenchColumns {
  const types: Readonly<Record<string, ColumnType>> = spec.columns;
  const all = Object.keys(types);
  const key: string[] = [...spec.key];
  return {
    table: spec.table,
    all,
    key,
    content: all.filter((column) => !key.includes(column) && !KAFKA_COLUMNS.has(column)),
    updatable: all.filter((column) => !key.includes(column)),
    typeOf: (column) => types[column] ?? 'text',
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function columnList(columns: readonly string[], qualifier?: string): string {
  return columns.map((column) => (qualifier ? `${qualifier}.${quoteIdentifier(column)}` : quoteIdentifier(column))).join(', ');
}

/** `"a" text, "b" integer, …`: the columns with their types and no constraints. */
export function columnDefinitions(columns: BenchColumns): string {
  return columns.all.map((column) => `${quoteIdentifier(column)} ${columns.typeOf(column)}`).join(', ');
}

export function insertHead(columns: BenchColumns): string {
  return `INSERT INTO ${quoteIdentifier(columns.table)} (${columnList(columns.all)})`;
}

export function conflictClause(columns: BenchColumns): string {
  const table = quoteIdentifier(columns.table);
  const set = columns.updatable.map((column) => `${quoteIdentifier(column)} = EXCLUDED.${quoteIdentifier(column)}`).join(', ');
  return (
    `ON CONFLICT (${columnList(columns.key)}) DO UPDATE SET ${set} ` +
    `WHERE (${columnList(columns.content, table)}) IS DISTINCT FROM (${columnList(columns.content, 'EXCLUDED')}) ` +
    `RETURNING ${columnList(columns.key, table)}, (xmax = 0) AS inserted`
  );
}

/** A bound parameter: jsonb as JSON text, text[] as an array literal, SQL NULL for null and undefined. */
export function parameterValue(type: ColumnType, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (type === 'jsonb') return JSON.stringify(value);
  if (type === 'text[]') return arrayLiteral(value as readonly (string | null)[]);
  return value as string | number | boolean;
}

export function valuesOf(columns: BenchColumns, row: object): (string | number | boolean | null)[] {
  const values = row as Readonly<Record<string, unknown>>;
  return columns.all.map((column) => parameterValue(columns.typeOf(column), values[column]));
}

/** One line of `COPY … (FORMAT text)`. */
export function copyLine(columns: BenchColumns, row: object): string {
  return (
    valuesOf(columns, row)
      .map((value) => {
        if (value === null) return '\\N';
        if (typeof value === 'boolean') return value ? 't' : 'f';
        return String(value).replace(/[\\\n\r\t]/g, (character) => COPY_ESCAPES[character] ?? character);
      })
      .join('\t') + '\n'
  );
}

/** inserted / updated / unchanged from the rows a merge returned (inserted or changed) out of the rows sent. */
export function countsOf(returned: readonly { inserted: boolean }[], sent: number): UpsertCounts {
  const inserted = returned.filter((row) => row.inserted).length;
  return { inserted, updated: returned.length - inserted, unchanged: sent - returned.length, deleted: 0 };
}

const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function arrayLiteral(values: readonly (string | null)[]): string {
  const members = values.map((member) => (member === null ? 'NULL' : `"${member.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`));
  return `{${members.join(',')}}`;
}
