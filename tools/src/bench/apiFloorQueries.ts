/**
 * The SQL the API runs for /users/:id, /papers/:paperId and /items/:questionID,
 * taken from the API's own query functions (api/src/queries), so the bare
 * floor server cannot drift from them. Each function is called once with a
 * recording pool in place of slonik's: it keeps the statement (slonik's token:
 * `.sql` with `$slonik_N` placeholders, `.values`) instead of running it. The
 * list of queries per route mirrors the route handlers (each runs these, in
 * parallel); a route that changes its queries must change this list too.
 */
import { itemAppearances, itemById, itemLessons } from '@medly/api/queries/items';
import { paperById, paperItems } from '@medly/api/queries/papers';
import { userProfile } from '@medly/api/queries/users';
import type { DatabasePool } from '@medly/shared/db';

/** One statement as pg takes it: text with `$1…`, and where the route's id goes among its values. */
export interface FloorStatement {
  /** The API's name for it (the query function). */
  name: string;
  text: string;
  /** The statement's bound values, the id marked by ID_SLOT (replaced per request). */
  values: readonly unknown[];
  /** `one`: the route answers 404 when it finds no row; `many`: a list. */
  rows: 'one' | 'many';
}

export interface FloorRoute {
  /** The route as the API bench names it. */
  route: string;
  /** The path's first segment: `/users/<id>` → `users`. */
  prefix: string;
  statements: readonly FloorStatement[];
}

/** Stands for the path's id while recording; a value no real id takes. */
export const ID_SLOT = '\u0000floor-id\u0000';

interface QueryToken {
  sql: string;
  values: readonly unknown[];
}

type QueryFunction = (pool: DatabasePool, id: string) => Promise<unknown>;

/** slonik numbers its placeholders `$slonik_N` and rewrites them to `$N` when it runs a statement; so does this. */
export function pgText(slonikSql: string): string {
  return slonikSql.replaceAll(/\$slonik_(\d+)/g, '$$$1');
}

async function record(name: string, query: QueryFunction, rows: FloorStatement['rows']): Promise<FloorStatement> {
  let token: QueryToken | undefined;
  const keep = (recorded: QueryToken) => {
    token = recorded;
    return Promise.resolve(rows === 'one' ? null : []);
  };
  // Only the methods the read queries call; anything else would throw, and the bench would say so.
  const recordingPool = { maybeOne: keep, one: keep, any: keep, many: keep } as unknown as DatabasePool;
  await query(recordingPool, ID_SLOT);
  if (!token) throw new Error(`${name} ran no statement on the recording pool`);
  if (!token.values.includes(ID_SLOT)) throw new Error(`${name} does not bind the id as a value`);
  return { name, text: pgText(token.sql), values: token.values, rows };
}

export async function floorRoutes(): Promise<FloorRoute[]> {
  return [
    { route: '/users/:id', prefix: 'users', statements: [await record('userProfile', userProfile, 'one')] },
    {
      route: '/papers/:paperId',
      prefix: 'papers',
      statements: [await record('paperById', paperById, 'one'), await record('paperItems', paperItems, 'many')],
    },
    {
      route: '/items/:questionID',
      prefix: 'items',
      statements: [
        await record('itemById', itemById, 'one'),
        await record('itemAppearances', itemAppearances, 'many'),
        await record('itemLessons', itemLessons, 'many'),
      ],
    },
  ];
}

/** The statement's values with this request's id in the id's place. */
export function boundValues(statement: FloorStatement, id: string): unknown[] {
  return statement.values.map((value) => (value === ID_SLOT ? id : value));
}
