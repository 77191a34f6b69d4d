/**
 * Last row per key wins; the result keeps first-seen key order. Postgres
 * refuses to touch one row twice in one `ON CONFLICT DO UPDATE`, so every
 * batch write dedupes first.
 */
export function dedupeByKey<Row extends object>(rows: readonly Row[], key: readonly (keyof Row & string)[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) byKey.set(keyOf(row, key), row);
  return [...byKey.values()];
}

function keyOf<Row extends object>(row: Row, key: readonly (keyof Row & string)[]): string {
  return JSON.stringify(key.map((column) => row[column]));
}
