/**
 * The one module that imports koa-zod-router (unmaintained upstream). A route
 * is declared once (routeDefinition.ts) — path, zod schemas for params, query,
 * headers, body and each response, the problem statuses it can answer — and
 * this module both wires it into koa-zod-router (body parsing, request
 * validation) and registers it in the OpenAPI registry (routeDocumentation.ts),
 * so the document cannot drift from what is enforced.
 *
 * Responses are validated here rather than by koa-zod-router: it checks one
 * schema whatever the status and drops the ZodError, while a route may answer
 * 200 or 202 with different bodies and a mismatch should be logged with its cause.
 */
import type { Context, Middleware } from 'koa';
import zodRouter, { type ValidationErrorHandler } from 'koa-zod-router';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ZodIssue } from 'zod';
import { authorize } from './auth/authorize.ts';
import type { Principal } from './auth/principal.ts';
import { registerSecuritySchemes } from './auth/securitySchemes.ts';
import { authenticationOf } from './middleware/authentication.ts';
import { HttpProblem, problemSchema, validationProblem, type ValidationIssue } from './problem.ts';
import type { BodyPart, HandlerInput, RequestPart, ResponseDefinition, Responses, RouteDefinition } from './routeDefinition.ts';
import { documentRoute } from './routeDocumentation.ts';
import { entityTagOfBytes, ifNoneMatchSatisfied } from './entityTag.ts';

const PART_NAMES = { params: 'path', query: 'query', body: 'body', headers: 'header' } as const;

function toIssues(part: keyof typeof PART_NAMES, error: { issues: readonly ZodIssue[] }): ValidationIssue[] {
  return error.issues.map((issue) => ({
    in: PART_NAMES[part],
    pointer: issue.path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''),
    message: issue.message,
    code: issue.code,
  }));
}

/** koa-zod-router calls this after validating; it turns every ZodError into one 400 problem. */
const throwValidationProblem: Middleware = async (ctx, next) => {
  const invalid = (ctx as Context & { invalid?: Partial<Record<keyof typeof PART_NAMES | 'error', unknown>> }).invalid;
  if (invalid?.error === true) {
    const issues = (Object.keys(PART_NAMES) as (keyof typeof PART_NAMES)[]).flatMap((part) => {
      const error = invalid[part];
      return error ? toIssues(part, error as { issues: readonly ZodIssue[] }) : [];
    });
    throw validationProblem(issues);
  }
  await next();
};

const requireJsonBody: Middleware = async (ctx, next) => {
  // ctx.is() is null when there is no body at all; the body schema then reports what is missing.
  if (ctx.is('application/json', '+json') === false) {
    throw new HttpProblem(415, `Send the body as application/json, not ${ctx.get('content-type') || 'without a content type'}.`);
  }
  await next();
};

/** A JSON body and its strong tag; a GET or HEAD whose If-None-Match names the tag gets 304 without it. */
function sendTagged(ctx: Context, body: Buffer, etag: string): void {
  ctx.set('ETag', etag);
  const ifNoneMatch = ctx.get('If-None-Match');
  if (ctx.status === 200 && (ctx.method === 'GET' || ctx.method === 'HEAD') && ifNoneMatch && ifNoneMatchSatisfied(ifNoneMatch, etag)) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.type = 'application/json';
  ctx.body = body;
}

export interface ApiRouterOptions {
  /** Largest JSON body accepted; larger ones are 413. */
  bodyLimitBytes: number;
}

/** A route's path as a pattern of the raw path: `/users/:id` matches `/users/u1`. */
const pathPattern = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);

export function createApiRouter({ bodyLimitBytes }: ApiRouterOptions) {
  const router = zodRouter({
    bodyParser: { enableTypes: ['json'], jsonLimit: `${bodyLimitBytes}b`, strict: true },
    zodRouter: { validationErrorHandler: throwValidationProblem as unknown as ValidationErrorHandler },
  });
  const registry = new OpenAPIRegistry();
  const credentials = registerSecuritySchemes(registry);
  registry.register('Problem', problemSchema);
  const paths: { path: string; pattern: RegExp }[] = [];

  function route<Params extends RequestPart, Query extends RequestPart, Body extends BodyPart, R extends Responses, Headers extends RequestPart = undefined>(
    definition: RouteDefinition<Params, Query, Body, R, Headers>,
  ): void {
    const { params, query, body, headers } = definition.request;
    const { access } = definition;
    const isPublic = access === 'public';
    const cache = definition.responseCache;
    // A personal answer is kept only in the group of the user it was authorised for, which their changes empty.
    const cacheGroupParam = !isPublic && 'readUser' in access ? access.readUser : undefined;
    if (cache && !((isPublic || cacheGroupParam !== undefined) && definition.entityTags && definition.method === 'get')) {
      throw new Error(`${definition.operationId}: only GET routes with entityTags, public or reading one user, may keep answers in a cache`);
    }
    const pre: Middleware[] = [
      async (ctx, next) => {
        // Personal data (or a refusal to show it): no cache may keep it. Public tagged answers: kept, revalidated.
        if (!isPublic) ctx.set('Cache-Control', 'private, no-store');
        else if (definition.entityTags) ctx.set('Cache-Control', 'no-cache');
        const { params: pathParams = {} } = ctx as Context & { params?: Record<string, string | undefined> };
        ctx.state.caller = authorize(authenticationOf(ctx), access, pathParams);
        await next();
      },
    ];
    if (body) pre.push(requireJsonBody);

    const handle: Middleware = async (ctx) => {
      const group = cacheGroupParam === undefined ? undefined : (ctx as Context & { params: Partial<Record<string, string>> }).params[cacheGroupParam];
      const lookup = cache?.lookup(ctx.url);
      if (lookup?.outcome === 'hit') {
        ctx.status = 200;
        sendTagged(ctx, lookup.response.body, lookup.response.etag);
        return;
      }
      const request = ctx.request as typeof ctx.request & { params: unknown; body: unknown };
      const result = await definition.handler({
        params: request.params,
        query: query ? ctx.request.query : undefined,
        body: body ? request.body : undefined,
        // koa-zod-router merged the parsed values into the request's headers.
        headers: headers ? ctx.request.headers : undefined,
        requestId: String(ctx.state.requestId),
        caller: ctx.state.caller as Principal | undefined,
      } as HandlerInput<Params, Query, Body, Headers>);
      const response = (definition.responses as Record<number, ResponseDefinition | undefined>)[result.status];
      if (!response) throw new Error(`${definition.operationId} answered an undeclared status ${result.status}`);
      const parsed = response.schema.safeParse(result.body);
      if (!parsed.success) {
        throw new Error(`${definition.operationId} ${result.status} response does not match its schema`, {
          cause: parsed.error,
        });
      }
      ctx.status = result.status;
      for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
      if (!definition.entityTags || definition.method !== 'get' || response.contentType) {
        ctx.body = parsed.data as unknown;
        if (response.contentType) ctx.type = response.contentType;
        return;
      }
      // Serialised here, once: the tag is the digest of these bytes unless the handler gave one, and a cache keeps them.
      const serialised = Buffer.from(JSON.stringify(parsed.data));
      const etag = ctx.response.get('ETag') || entityTagOfBytes(serialised);
      // A personal answer without its user's group could outlive the user's change: never kept.
      const keep = result.status === 200 && (cacheGroupParam === undefined || group !== undefined);
      if (cache && lookup?.outcome === 'miss' && keep) cache.store(ctx.url, lookup.ticket, { body: serialised, etag }, group);
      sendTagged(ctx, serialised, etag);
    };

    router.register({
      name: definition.operationId,
      method: definition.method,
      path: definition.path,
      // koa-zod-router is typed against @types/koa 3, the app against koa 2's types: the same functions at run time.
      pre: pre as never,
      validate: { params, query, body, headers },
      handler: handle as never,
    });
    paths.push({ path: definition.path, pattern: pathPattern(definition.path) });
    documentRoute(registry, credentials, definition);
  }

  /** A route outside the API contract (the docs page and its assets): routed, not documented. */
  function raw(path: string, handler: Middleware): void {
    router.register({ method: 'get', path, handler: handler as never });
    paths.push({ path, pattern: pathPattern(path) });
  }

  return {
    route,
    raw,
    registry,
    /** The declared path a request's path falls under (`/users/:id`), whatever its method; for metrics labels. */
    pathOf(requestPath: string): string | undefined {
      return paths.find(({ pattern }) => pattern.test(requestPath))?.path;
    },
    /** Routes, then 405/501 for known paths with other methods (the problem middleware gives them a body). */
    middleware(): Middleware[] {
      return [router.routes() as unknown as Middleware, router.allowedMethods() as unknown as Middleware];
    },
  };
}

export type ApiRouter = ReturnType<typeof createApiRouter>;
