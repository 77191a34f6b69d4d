/**
 * Rows as `COPY … FROM STDIN (FORMAT text)` input: one line per row, fields
 * separated by tabs, `\N` for SQL NULL (null or undefined), jsonb as JSON
 * text, text[] as an array literal, backslash, newline, carriage return and
 * tab escaped. The table writer's private helper (tableWriter.ts).
 */
/** The column types a TableSpec may name: each has one text form below. */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'boolean' | 'double precision' | 'jsonb' | 'timestamptz' | 'text[]';

/** Lines are sent in chunks of about this many rows: few large writes, bounded memory. */
const ROWS_PER_CHUNK = 500;

export interface CopyColumn {
  name: string;
  type: ColumnType;
}

/** The COPY text of `rows`, in chunks of ROWS_PER_CHUNK lines. */
export function* copyText(rows: readonly object[], columns: readonly CopyColumn[]): Generator<string> {
  let chunk = '';
  let inChunk = 0;
  for (const row of rows) {
    const values = row as Readonly<Record<string, unknown>>;
    chunk += columns.map(({ name, type }) => copyField(type, values[name])).join('\t') + '\n';
    inChunk += 1;
    if (inChunk === ROWS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

/** One field of a COPY text line. */
export function copyField(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = type === 'jsonb' ? JSON.stringify(value) : type === 'text[]' ? arrayLiteral(value as readonly (string | null)[]) : value;
  if (typeof text === 'boolean') return text ? 't' : 'f';
  if (typeof text === 'number') return String(text);
  return escapeCopyText(text as string);
}

/** A one-dimensional Postgres array literal: `{"a","b\"c",NULL}`. */
function arrayLiteral(values: readonly (string | null)[]): string {
  const members = values.map((member) => (member === null ? 'NULL' : `"${member.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`));
  return `{${members.join(',')}}`;
}

const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCopyText(text: string): string {
  return text.replace(/[\\\n\r\t]/g, (character) => COPY_ESCAPES[character] ?? character);
}
