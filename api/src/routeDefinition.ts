/**
 * What a route declares (router.ts wires it, routeDocumentation.ts documents
 * it): path, zod schemas of each part of the request and of each response,
 * the problem statuses it can answer, who may call it, and its handler.
 */
import type { ZodTypeAny } from 'zod';
import type { RouteAccess } from './auth/authorize.ts';
import type { Principal } from './auth/principal.ts';
import type { ResponseCache } from './responseCache.ts';
import type { z } from './zod.ts';

export type ErrorStatus = 400 | 401 | 403 | 404 | 412 | 413 | 415 | 428 | 429 | 503;

export interface ResponseDefinition {
  description: string;
  schema: ZodTypeAny;
  /** Defaults to application/json. */
  contentType?: string;
}

export type Responses = Partial<Record<200 | 201 | 202 | 503, ResponseDefinition>>;
export type RequestPart = z.AnyZodObject | undefined;
export type BodyPart = ZodTypeAny | undefined;
type Output<Schema> = Schema extends ZodTypeAny ? z.output<Schema> : undefined;

export interface HandlerInput<Params extends RequestPart, Query extends RequestPart, Body extends BodyPart, Headers extends RequestPart = undefined> {
  params: Output<Params>;
  query: Output<Query>;
  body: Output<Body>;
  /** The declared request headers (lowercase names), validated. */
  headers: Output<Headers>;
  requestId: string;
  /** The verified caller; always set on routes that are not public. */
  caller: Principal | undefined;
}

export type HandlerResult<R extends Responses> = {
  [Status in keyof R & number]: {
    status: Status;
    body: R[Status] extends ResponseDefinition ? z.input<R[Status]['schema']> : never;
    headers?: Record<string, string>;
  };
}[keyof R & number];

export interface RouteDefinition<
  Params extends RequestPart,
  Query extends RequestPart,
  Body extends BodyPart,
  R extends Responses,
  Headers extends RequestPart = undefined,
> {
  method: 'get' | 'patch';
  /** Koa style: `/users/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  /**
   * Who may call it. Checked before anything else (validation, queries): a
   * route that is not public answers 401 / 403 first, and is documented with
   * its security schemes.
   */
  access: RouteAccess;
  /** Request headers are an object of lowercase names; unknown headers pass. */
  request: { params?: Params; query?: Query; body?: Body; headers?: Headers };
  responses: R;
  /**
   * Its successful answers carry a strong `ETag` header: the handler's, else
   * a digest of the serialised body (the router's). A GET whose If-None-Match
   * matches it is answered 304 without a body. A public route then sends
   * `Cache-Control: no-cache` (keep, but ask before reusing).
   */
  entityTags?: boolean;
  /**
   * Where its 200 answers are kept, by request path and query (GET routes
   * whose data only the projector changes; needs entityTags). A route that
   * reads one user (`access: { readUser }`) keeps them in that user's group,
   * looked up only after the caller was allowed to read the user. A hit is
   * sent as stored: no handler, no response validation, no serialising.
   */
  responseCache?: ResponseCache;
  /** Problem statuses the route can answer (429 and 500 are added to every route; 401, 403 and 503 to those that are not public). */
  errors: readonly ErrorStatus[];
  handler: (input: HandlerInput<Params, Query, Body, Headers>) => Promise<NoInfer<HandlerResult<R>>>;
}
