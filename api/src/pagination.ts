/**
 * Keyset pagination. A cursor is base64url(JSON) of the last row's sort key,
 * tagged with the list it belongs to. It is opaque to clients and checked
 * strictly on the way back in: anything that is not exactly a cursor this list
 * issues (bad base64url, bad JSON, another list's cursor, wrong field types,
 * extra fields) is a 400. A hand-made but well-formed cursor is only a
 * position in the sort order, bound as SQL values, so it can reveal nothing.
 */
import type { ZodTypeAny } from 'zod';
import { z } from './zod.ts';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** `limit` query parameter: a whole number 1–100, default 20; 0, 101 and non-numbers are 400, never clamped. */
export const limitQuery = z
  .preprocess(
    (value) => (typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value),
    z.number({ invalid_type_error: 'must be a whole number' }).int().min(1).max(MAX_LIMIT),
  )
  .default(DEFAULT_LIMIT)
  .openapi({
    description: `Page size, 1–${MAX_LIMIT}.`,
    example: DEFAULT_LIMIT,
    param: { description: `Page size, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT}); 0, over ${MAX_LIMIT} or not a whole number is a 400.` },
  });

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface CursorCodec<Position> {
  encode(position: Position): string;
  /** The `cursor` query parameter: decodes to a position or fails validation (400). */
  query: z.ZodType<Position | undefined, z.ZodTypeDef, string | undefined>;
}

export function createCursorCodec<Shape extends z.ZodRawShape>(list: string, position: Shape): CursorCodec<z.infer<z.ZodObject<Shape>>> {
  type Position = z.infer<z.ZodObject<Shape>>;
  const envelope = z.object({ list: z.literal(list), position: z.object(position).strict() }).strict();

  function decode(raw: string): Position | undefined {
    if (!BASE64URL.test(raw)) return undefined;
    const bytes = Buffer.from(raw, 'base64url');
    if (bytes.toString('base64url') !== raw) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = envelope.safeParse(json);
    return parsed.success ? parsed.data.position : undefined;
  }

  const query = z
    .string()
    .max(1024)
    .transform((raw, ctx): Position => {
      const position = decode(raw);
      if (position === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not a cursor this list issued' });
        return z.NEVER;
      }
      return position;
    })
    .optional()
    .openapi({
      type: 'string',
      description: 'Opaque: the previous page\'s `page.nextCursor`.',
      param: { description: 'Opaque: the previous page\'s `page.nextCursor`; anything else is a 400.' },
    });

  return {
    encode: (value) => Buffer.from(JSON.stringify({ list, position: value })).toString('base64url'),
    query,
  };
}

export function pageSchema<Item extends ZodTypeAny>(item: Item) {
  return z.object({
    data: z.array(item),
    page: z
      .object({
        limit: z.number().int().openapi({ example: DEFAULT_LIMIT }),
        nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
      })
      .openapi('PageInfo'),
  });
}

/** Rows were read with `limit + 1`: the extra row only says that there is a next page. */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  cursor: (row: Row) => string,
  toItem: (row: Row) => Item,
): { data: Item[]; page: { limit: number; nextCursor: string | null } } {
  const visible = rows.slice(0, limit);
  const last = visible.at(-1);
  return {
    data: visible.map(toItem),
    page: { limit, nextCursor: rows.length > limit && last !== undefined ? cursor(last) : null },
  };
}
