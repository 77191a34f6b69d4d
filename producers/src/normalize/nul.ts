/**
 * Postgres cannot store U+0000 in text or jsonb, so every string of a record,
 * keys included, loses its NUL characters before it becomes an event. Each
 * cleaned string is reported by its JSON pointer so it can be counted.
 */
import { childPointer } from '../jsonPointer.ts';

const NUL = '\u0000';

export interface NulRemoval {
  value: unknown;
  /** Pointers of the strings (or keys) that had NUL characters. */
  cleaned: string[];
}

export function removeNulFromString(text: string): string {
  return text.includes(NUL) ? text.replaceAll(NUL, '') : text;
}

/** The value without NUL characters in any string or key; the same value when it has none. */
export function removeNul(value: unknown, pointer: string): NulRemoval {
  if (!containsNul(value)) return { value, cleaned: [] };
  const cleaned: string[] = [];
  const walk = (node: unknown, at: string): unknown => {
    if (typeof node === 'string') {
      if (!node.includes(NUL)) return node;
      cleaned.push(at);
      return node.replaceAll(NUL, '');
    }
    if (Array.isArray(node)) return node.map((element, index) => walk(element, childPointer(at, index)));
    if (node !== null && typeof node === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const cleanKey = removeNulFromString(key);
        if (cleanKey !== key) cleaned.push(childPointer(at, cleanKey));
        copy[cleanKey] = walk(child, childPointer(at, cleanKey));
      }
      return copy;
    }
    return node;
  };
  return { value: walk(value, pointer), cleaned };
}

function containsNul(node: unknown): boolean {
  if (typeof node === 'string') return node.includes(NUL);
  if (Array.isArray(node)) return node.some(containsNul);
  if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (key.includes(NUL) || containsNul(child)) return true;
    }
  }
  return false;
}
