/**
 * The one module that imports koa-zod-router (unmaintained upstream). A route
 * is declared once — path, zod schemas for params, query, body and each
 * response, the problem statuses it can answer — and this module both wires it
 * into koa-zod-router (body parsing, request validation) and registers it in
 * the OpenAPI registry, so the document cannot drift from what is enforced.
 *
 * Responses are validated here rather than by koa-zod-router: it checks one
 * schema whatever the status and drops the ZodError, while a route may answer
 * 200 or 202 with different bodies and a mismatch should be logged with its cause.
 */
import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import zodRouter, { type ValidationErrorHandler } from 'koa-zod-router';
import { OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodIssue, ZodTypeAny } from 'zod';
import { authorize, type RouteAccess } from './auth/authorize.ts';
import type { Principal } from './auth/principal.ts';
import { registerSecuritySchemes } from './auth/securitySchemes.ts';
import { authenticationOf } from './middleware/authentication.ts';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemSchema, validationProblem, type ValidationIssue } from './problem.ts';
import { z } from './zod.ts';

export type ErrorStatus = 400 | 401 | 403 | 404 | 413 | 415 | 429 | 503;

export interface ResponseDefinition {
  description: string;
  schema: ZodTypeAny;
  /** Defaults to application/json. */
  contentType?: string;
}

type Responses = Partial<Record<200 | 201 | 202 | 503, ResponseDefinition>>;
type RequestPart = z.AnyZodObject | undefined;
type BodyPart = ZodTypeAny | undefined;
type Output<Schema> = Schema extends ZodTypeAny ? z.output<Schema> : undefined;

export interface HandlerInput<Params extends RequestPart, Query extends RequestPart, Body extends BodyPart> {
  params: Output<Params>;
  query: Output<Query>;
  body: Output<Body>;
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
  request: { params?: Params; query?: Query; body?: Body };
  responses: R;
  /** Problem statuses the route can answer (429 and 500 are added to every route; 401, 403 and 503 to those that are not public). */
  errors: readonly ErrorStatus[];
  handler: (input: HandlerInput<Params, Query, Body>) => Promise<NoInfer<HandlerResult<R>>>;
}

export interface ApiRouterOptions {
  /** Largest JSON body accepted; larger ones are 413. */
  bodyLimitBytes: number;
}

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

const koaPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

export function createApiRouter({ bodyLimitBytes }: ApiRouterOptions) {
  const router = zodRouter({
    bodyParser: { enableTypes: ['json'], jsonLimit: `${bodyLimitBytes}b`, strict: true },
    zodRouter: { validationErrorHandler: throwValidationProblem as unknown as ValidationErrorHandler },
  });
  const registry = new OpenAPIRegistry();
  const credentials = registerSecuritySchemes(registry);
  registry.register('Problem', problemSchema);

  const requestIdHeader = z.object({
    'x-request-id': z.string().openapi({ description: 'The request id (echoed from the request, or generated).' }),
  });

  function route<Params extends RequestPart, Query extends RequestPart, Body extends BodyPart, R extends Responses>(
    definition: RouteDefinition<Params, Query, Body, R>,
  ): void {
    const { params, query, body } = definition.request;
    const { access } = definition;
    const isPublic = access === 'public';
    const pre: Middleware[] = [
      async (ctx, next) => {
        // Personal data (or a refusal to show it): no cache may keep it.
        if (!isPublic) ctx.set('Cache-Control', 'private, no-store');
        const { params: pathParams = {} } = ctx as Context & { params?: Record<string, string | undefined> };
        ctx.state.caller = authorize(authenticationOf(ctx), access, pathParams);
        await next();
      },
    ];
    if (body) pre.push(requireJsonBody);

    const handle: Middleware = async (ctx) => {
      const request = ctx.request as typeof ctx.request & { params: unknown; body: unknown };
      const result = await definition.handler({
        params: request.params,
        query: query ? ctx.request.query : undefined,
        body: body ? request.body : undefined,
        requestId: String(ctx.state.requestId),
        caller: ctx.state.caller as Principal | undefined,
      } as HandlerInput<Params, Query, Body>);
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
      ctx.body = parsed.data as unknown;
      if (response.contentType) ctx.type = response.contentType;
    };

    router.register({
      name: definition.operationId,
      method: definition.method,
      path: definition.path,
      // koa-zod-router is typed against @types/koa 3, the app against koa 2's types: the same functions at run time.
      pre: pre as never,
      validate: { params, query, body },
      handler: handle as never,
    });

    const responses: RouteConfig['responses'] = {};
    for (const [status, response] of Object.entries(definition.responses as Record<string, ResponseDefinition>)) {
      responses[status] = {
        description: response.description,
        headers: requestIdHeader,
        content: { [response.contentType ?? 'application/json']: { schema: response.schema } },
      };
    }
    const implied: ErrorStatus[] = isPublic ? [429] : [401, 403, 429, 503];
    for (const status of [...new Set<number>([...definition.errors, ...implied, 500])].sort((a, b) => a - b)) {
      responses[String(status)] = {
        description: STATUS_CODES[status] ?? 'Error',
        headers: requestIdHeader,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
      };
    }
    registry.registerPath({
      method: definition.method,
      path: koaPath(definition.path),
      operationId: definition.operationId,
      summary: definition.summary,
      description: definition.description,
      tags: definition.tags,
      security: isPublic ? [] : credentials,
      request: {
        ...(params ? { params } : {}),
        ...(query ? { query } : {}),
        ...(body ? { body: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      },
      responses,
    });
  }

  /** A route outside the API contract (the docs page and its assets): routed, not documented. */
  function raw(path: string, handler: Middleware): void {
    router.register({ method: 'get', path, handler: handler as never });
  }

  return {
    route,
    raw,
    registry,
    /** Routes, then 405/501 for known paths with other methods (the problem middleware gives them a body). */
    middleware(): Middleware[] {
      return [router.routes() as unknown as Middleware, router.allowedMethods() as unknown as Middleware];
    },
  };
}

export type ApiRouter = ReturnType<typeof createApiRouter>;
