/**
 * What a projection table is to the upsert: its name, key and typed columns,
 * and the column lists its upsert needs. Every column is written; the key
 * decides the conflict; content is every column except the key and the
 * kafka_* provenance, and only a change of content rewrites a row.
 */

export type ColumnType = 'text' | 'integer' | 'bigint' | 'boolean' | 'double precision' | 'jsonb' | 'timestamptz' | 'text[]';

/** Provenance of the event last applied to a row; volatile, so never compared. */
export const KAFKA_COLUMNS = ['kafka_topic', 'kafka_partition', 'kafka_offset'] as const;

export interface TableSpec<Row extends object> {
  table: string;
  key: readonly (keyof Row & string)[];
  columns: { readonly [Column in keyof Row & string]: ColumnType };
}

export interface TableColumns {
  table: string;
  /** Every column, in the spec's order. */
  all: string[];
  key: string[];
  /** Compared with IS DISTINCT FROM: a row whose content is unchanged is not written. */
  content: string[];
  /** Set on conflict: all but the key. */
  updatable: string[];
  typeOf(column: string): ColumnType;
}

export function tableColumns<Row extends object>(spec: TableSpec<Row>): TableColumns {
  const types = spec.columns as Readonly<Record<string, ColumnType>>;
  const all = Object.keys(types);
  const key: string[] = [...spec.key];
  const keySet = new Set(key);
  const kafka = new Set<string>(KAFKA_COLUMNS);
  return {
    table: spec.table,
    all,
    key,
    content: all.filter((column) => !keySet.has(column) && !kafka.has(column)),
    updatable: all.filter((column) => !keySet.has(column)),
    typeOf: (column) => types[column] ?? 'text',
  };
}

/** A row's value of one column, for code that walks a spec's columns by name. */
export function columnValue(row: object, column: string): unknown {
  return (row as Record<string, unknown>)[column];
}
