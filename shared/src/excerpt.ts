/**
 * The excerpts rejections carry: the start of what was refused, at most
 * EXCERPT_MAX_CHARS characters, never ending inside a surrogate pair, and
 * without NUL characters (Postgres text cannot hold them).
 */
import { REGISTRY_HEADER_BYTES, REGISTRY_MAGIC_BYTE } from './codec.ts';
import { EXCERPT_MAX_CHARS } from './events/recordRejected.ts';

/** The start of a text. */
export function textExcerpt(text: string): string {
  const clean = text.replaceAll('\u0000', '');
  if (clean.length <= EXCERPT_MAX_CHARS) return clean;
  let end = EXCERPT_MAX_CHARS;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return clean.slice(0, end);
}

/** The start of a value as JSON text: a source record, or an event. */
export function jsonExcerpt(value: unknown): string {
  let text: string;
  try {
    // JSON.stringify gives undefined for undefined, whatever its declared type says.
    const json = JSON.stringify(value) as string | undefined;
    text = json ?? String(value);
  } catch {
    text = String(value);
  }
  return textExcerpt(text);
}

/** The start of a Kafka message value as text; a registry-framed value without its 5-byte header. */
export function messageExcerpt(value: Buffer): string {
  const body = value[0] === REGISTRY_MAGIC_BYTE ? value.subarray(REGISTRY_HEADER_BYTES) : value;
  // A character is at most 4 bytes of UTF-8: enough bytes for a whole excerpt, never the whole value.
  return textExcerpt(body.subarray(0, EXCERPT_MAX_CHARS * 4).toString('utf8'));
}
