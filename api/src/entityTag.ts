/**
 * Strong entity tags (RFC 9110 §8.8.3) and the two conditional headers that
 * use them. A tag is a digest of what the representation is made from (for a
 * profile: its row, which decides every byte of the answer), so every API
 * instance gives one state the same tag without sharing anything, and any
 * change of the representation changes it.
 *
 * If-Match uses the strong comparison (a weak tag never matches), and
 * If-None-Match the weak one; `*` matches any current representation. The
 * origin evaluates them whatever Cache-Control the request carries (fetch
 * adds `no-cache` to a request with If-None-Match: it speaks to caches, and
 * koa's `ctx.fresh` wrongly reads it as "never 304").
 */
import { createHash } from 'node:crypto';
import { z } from './zod.ts';

export function entityTagOf(source: unknown): string {
  return entityTagOfBytes(JSON.stringify(source));
}

/** The tag of a representation's bytes themselves: routes whose answer has no smaller source (the router derives it). */
export function entityTagOfBytes(bytes: string | Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

const ENTITY_TAG = /(W\/)?"([\x21\x23-\x7e]*)"/g;
const TAG_LIST = /^(\*|(W\/)?"[\x21\x23-\x7e]*"([ \t]*,[ \t]*(W\/)?"[\x21\x23-\x7e]*")*)$/;

const IF_MATCH_DESCRIPTION =
  'The profile\'s ETag as last read (GET, or a PATCH\'s 200). The change is made only if the profile is still in that state; otherwise 412 with the current ETag.';
const IF_MATCH_EXAMPLE = '"X3JmB0c1n4o2d8GZQ1f7dQ2cM4pS6aRt"';

export const ifMatchHeader = z
  .string()
  .trim()
  .max(4096)
  .regex(TAG_LIST, 'must be * or a comma-separated list of entity tags ("…")')
  .openapi({ description: IF_MATCH_DESCRIPTION, example: IF_MATCH_EXAMPLE, param: { description: IF_MATCH_DESCRIPTION, example: IF_MATCH_EXAMPLE } });

/** Whether an If-Match header (already validated by `ifMatchHeader`) admits the current tag. */
export function ifMatchSatisfied(header: string, current: string): boolean {
  if (header.trim() === '*') return true;
  return [...header.matchAll(ENTITY_TAG)].some(([tag, weak]) => weak === undefined && tag === current);
}

/** Whether an If-None-Match header names the current tag (weak comparison): a GET then answers 304. */
export function ifNoneMatchSatisfied(header: string, current: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.replace(/^W\//, '');
  return [...header.matchAll(ENTITY_TAG)].some(([tag]) => opaque(tag) === opaque(current));
}

const IF_NONE_MATCH_DESCRIPTION = 'ETags already held (from earlier answers): if one is current, the answer is 304 without a body.';

/** Any value: one that names no tag of ours just gets the full answer. */
export const ifNoneMatchHeader = z
  .string()
  .openapi({ description: IF_NONE_MATCH_DESCRIPTION, example: IF_MATCH_EXAMPLE, param: { description: IF_NONE_MATCH_DESCRIPTION, example: IF_MATCH_EXAMPLE } });
