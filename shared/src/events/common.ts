import { z } from 'zod';

/** Where a record came from: the file (relative to the data folder) and an RFC 6901 JSON pointer into it. */
export const sourceRef = z.object({
  file: z.string().min(1),
  pointer: z.string(),
});
export type SourceRef = z.infer<typeof sourceRef>;

/** Identifiers from the exports: non-empty, bounded, no control characters. */
export const externalId = z
  .string()
  .min(1)
  .max(512)
  .refine((id) => !hasControlCharacter(id), 'must not contain control characters');

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Any JSON value, kept as given (canvas, diagrams, answers). Numbers are
 * finite: a number too large for a double (`1e309`) parses as Infinity, which
 * JSON.stringify would write as null, so it is refused (`invalid_record`)
 * rather than stored as something else.
 *
 * One walk checks it (`isJsonValue`), and the value passes through as it is.
 * A zod union of the six JSON types tried them in turn for every nested value
 * and built an issue for each miss: it was 40 % of all event validation in a
 * 100× import. Its JSON Schema for the registry is written out in
 * schemaRegistryCodec.ts (`JSON_VALUE_SCHEMA`), unchanged.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const json = z.custom<Json>(isJsonValue, { message: 'must be a JSON value with finite numbers' });

export function isJsonValue(value: unknown): value is Json {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    switch (typeof next) {
      case 'string':
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(next)) return false;
        continue;
      case 'object':
        if (next === null) continue;
        if (Array.isArray(next)) {
          for (const element of next as unknown[]) pending.push(element);
          continue;
        }
        if (!isPlainObject(next)) return false;
        for (const member of Object.values(next)) pending.push(member);
        continue;
      default:
        return false;
    }
  }
  return true;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Where an item appears: in a mock paper or in a lesson's practice bank. */
export const containerKind = z.enum(['paper', 'practice']);
