/**
 * The order to load tables in so that every foreign key finds the row it
 * references already there, as pg_restore loads data: referenced tables first,
 * otherwise the order given. A table's references to itself are ignored (they
 * hold within one COPY only if rows come in order, as in a dump).
 */
export interface ForeignKey {
  table: string;
  references: string;
}

export function orderByForeignKeys(tables: readonly string[], foreignKeys: readonly ForeignKey[]): string[] {
  const known = new Set(tables);
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: string, path: readonly string[]): void => {
    if (state.get(table) === 'done') return;
    if (state.get(table) === 'visiting') throw new Error(`foreign keys form a cycle: ${[...path, table].join(' → ')}`);
    state.set(table, 'visiting');
    for (const key of foreignKeys) {
      if (key.table === table && key.references !== table && known.has(key.references)) visit(key.references, [...path, table]);
    }
    state.set(table, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}
