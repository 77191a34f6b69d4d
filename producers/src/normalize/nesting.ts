/**
 * Records nested deeper than any export needs (the real ones nest at most 12
 * levels) are refused before they are mapped: mapping, NUL removal, zod and
 * JSON.stringify all recurse, and a hostile record 100 000 levels deep would
 * otherwise overflow the stack and end the whole run instead of one record.
 */

/** Deeper records are `invalid_record`; far above real data, far below the stack's limit. */
export const MAX_NESTING_DEPTH = 256;

/** True when arrays and objects nest more than `limit` levels deep (`[1]` is 1). Iterative: safe at any depth. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? (node as unknown[]) : Object.values(node)) pending.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/** A copy cut off below `depth` levels (deeper containers become "…"), small enough to excerpt. */
export function cutNesting(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth <= 0) return '…';
  if (Array.isArray(value)) return value.map((element: unknown) => cutNesting(element, depth - 1));
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, cutNesting(child, depth - 1)]));
}
