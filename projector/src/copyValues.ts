/**
 * Values of a row in the forms Postgres takes them: bound parameters (the pg
 * driver sends strings; jsonb as JSON text, text[] as an array literal) and
 * COPY text format. SQL NULL for null and undefined, as jsonb_to_recordset
 * reads a JSON null or a missing key.
 */
import type { ColumnType } from './tableSpec.ts';

/** A bound parameter for a column of this type. */
export function parameterValue(type: ColumnType, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'jsonb':
      return JSON.stringify(value);
    case 'text[]':
      return arrayLiteral(value as readonly (string | null)[]);
    case 'integer':
    case 'bigint':
    case 'double precision':
      return value as number;
    case 'boolean':
      return value as boolean;
    case 'text':
    case 'timestamptz':
      return value as string;
  }
}

/** A one-dimensional Postgres array literal: `{"a","b\"c",NULL}`. */
export function arrayLiteral(values: readonly (string | null)[]): string {
  const members = values.map((member) => (member === null ? 'NULL' : `"${member.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`));
  return `{${members.join(',')}}`;
}

/** One field of a COPY … (FORMAT text) line. */
export function copyField(type: ColumnType, value: unknown): string {
  const parameter = parameterValue(type, value);
  if (parameter === null) return '\\N';
  if (typeof parameter === 'boolean') return parameter ? 't' : 'f';
  if (typeof parameter === 'number') return String(parameter);
  return escapeCopyText(parameter);
}

const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCopyText(text: string): string {
  return text.replace(/[\\\n\r\t]/g, (character) => COPY_ESCAPES[character] ?? character);
}
