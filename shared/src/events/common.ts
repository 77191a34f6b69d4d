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
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
// zod 3 calls a lazy schema's getter on every parse, so the union is built once
// and the getter only hands it back (building it per value made attempts 5× slower).
export const json: z.ZodType<Json> = z.lazy(() => jsonUnion);
const jsonUnion: z.ZodType<Json> = z.union([
  z.string(),
  z.number().finite(),
  z.boolean(),
  z.null(),
  z.array(json),
  z.record(z.string(), json),
]);

/** Where an item appears: in a mock paper or in a lesson's practice bank. */
export const containerKind = z.enum(['paper', 'practice']);
