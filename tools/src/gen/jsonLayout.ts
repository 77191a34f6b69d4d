import type { FileWriter } from './fileWriter.ts';

/**
 * Writes JSON laid out exactly as Python's `json.dump(value, indent=n,
 * ensure_ascii=False)` wrote the real exports (which is also what
 * `JSON.stringify(value, null, n)` prints), one record at a time.
 */

/** `value` pretty-printed with `indent` spaces per level, as if nested `depth` levels deep. */
export function stringifyAt(value: unknown, indent: number, depth: number): string {
  const text = JSON.stringify(value, null, indent);
  // JSON strings never hold a raw newline, so every newline is layout.
  return depth === 0 ? text : text.replaceAll('\n', `\n${' '.repeat(indent * depth)}`);
}

/** Writes `items` as the elements of an array nested `depth` levels deep; returns how many. */
export async function writeArray(
  writer: FileWriter,
  items: Iterable<unknown>,
  layout: { indent: number; depth: number },
): Promise<number> {
  const inner = ' '.repeat(layout.indent * (layout.depth + 1));
  let count = 0;
  for (const item of items) {
    await writer.write(`${count === 0 ? '[\n' : ',\n'}${inner}${stringifyAt(item, layout.indent, layout.depth + 1)}`);
    count++;
  }
  await writer.write(count === 0 ? '[]' : `\n${' '.repeat(layout.indent * layout.depth)}]`);
  return count;
}

/** Writes `entries` as the members of an object nested `depth` levels deep; returns how many. */
export async function writeObject(
  writer: FileWriter,
  entries: Iterable<readonly [string, unknown]>,
  layout: { indent: number; depth: number },
): Promise<number> {
  const inner = ' '.repeat(layout.indent * (layout.depth + 1));
  let count = 0;
  for (const [key, value] of entries) {
    const member = `${JSON.stringify(key)}: ${stringifyAt(value, layout.indent, layout.depth + 1)}`;
    await writer.write(`${count === 0 ? '{\n' : ',\n'}${inner}${member}`);
    count++;
  }
  await writer.write(count === 0 ? '{}' : `\n${' '.repeat(layout.indent * layout.depth)}}`);
  return count;
}
