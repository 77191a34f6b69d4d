/** RFC 6901 JSON pointers: `~` becomes `~0` and `/` becomes `~1` in each reference token. */
export function escapePointerToken(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** `childPointer('/0/items', 3)` is `/0/items/3`; the root pointer is the empty string. */
export function childPointer(parent: string, ...tokens: (string | number)[]): string {
  return tokens.reduce<string>((pointer, token) => `${pointer}/${escapePointerToken(token)}`, parent);
}
