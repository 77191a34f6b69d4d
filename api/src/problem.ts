/**
 * RFC 9457 problem details: the one place where errors become responses.
 * Routes throw (an HttpProblem, or anything else); this middleware answers
 * `application/problem+json` for every failure, including unknown routes and
 * 405s the router leaves without a body. 5xx answers never carry the error's
 * message or stack: those go to the log (the access log reads `res.err`).
 */
import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import { toDatabaseError } from '@medly/shared/dbErrors';
import { AppError, isRetryable } from '@medly/shared/errors';
import { z } from './zod.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const VALIDATION_PROBLEM_TYPE = 'urn:medly:problem:validation';
/** What a 503 tells the client to wait before trying again. */
export const RETRY_AFTER_SECONDS = '5';

export const validationIssueSchema = z
  .object({
    in: z.enum(['path', 'query', 'body', 'header']).openapi({ description: 'Which part of the request is wrong.' }),
    pointer: z.string().openapi({ description: 'RFC 6901 JSON pointer to the offending value inside that part.', example: '/limit' }),
    message: z.string().openapi({ example: 'Number must be less than or equal to 100' }),
    code: z.string().openapi({ description: 'zod issue code.', example: 'too_big' }),
  })
  .openapi('ValidationIssue');
export type ValidationIssue = z.infer<typeof validationIssueSchema>;

export const problemSchema = z
  .object({
    type: z.string().openapi({
      description: '`about:blank` when the status says it all; `urn:medly:problem:validation` for invalid requests.',
      example: 'about:blank',
    }),
    title: z.string().openapi({ example: 'Not Found' }),
    status: z.number().int().min(400).max(599).openapi({ example: 404 }),
    detail: z.string().openapi({ example: 'No user has id "nobody".' }),
    instance: z.string().openapi({ description: 'The request path.', example: '/users/nobody' }),
    requestId: z.string().openapi({ description: 'Echoes the x-request-id response header.', example: '0b6f1c1e-5d0a-4a57-9d1b-2f4f5f0f6c11' }),
    errors: z.array(validationIssueSchema).optional().openapi({ description: 'Present on validation problems.' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details.' });
export type Problem = z.infer<typeof problemSchema>;

export interface ProblemOptions {
  type?: string;
  title?: string;
  errors?: ValidationIssue[];
  /** RFC 9457 extension members, sent beside the standard ones (which they cannot replace). */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An error that is meant for the client: its status and detail are sent as they are. */
export class HttpProblem extends AppError {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly errors: ValidationIssue[] | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, options: ProblemOptions = {}) {
    super(`http_${status}`, detail, { cause: options.cause, retryable: status === 503 });
    this.name = 'HttpProblem';
    this.status = status;
    this.type = options.type ?? 'about:blank';
    this.title = options.title ?? STATUS_CODES[status] ?? 'Error';
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

export function validationProblem(errors: ValidationIssue[], detail = 'The request is not valid.'): HttpProblem {
  return new HttpProblem(400, detail, { type: VALIDATION_PROBLEM_TYPE, title: 'Invalid request', errors });
}

/** The client-facing parts of errors thrown by Koa, koa-bodyparser, co-body and raw-body (http-errors shape). */
function asHttpError(error: unknown): { status: number; message: string; expose: boolean } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, message, expose } = error as Record<string, unknown>;
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code > 599) return undefined;
  return { status: code, message: typeof message === 'string' ? message : '', expose: expose === true };
}

const DETAIL_BY_STATUS: Record<number, string> = {
  404: 'No resource matches this path.',
  405: 'This resource does not support that method.',
  413: 'The request body is too large.',
  415: 'The request body must be application/json.',
  500: 'An unexpected error occurred; it has been logged.',
  501: 'This method is not implemented.',
  503: 'A backing service is unavailable; try again shortly.',
};

function toProblem(thrown: unknown): HttpProblem {
  // Queries throw the driver's errors; here, where every error arrives, they are classified once.
  const error = toDatabaseError(thrown);
  if (error instanceof HttpProblem) return error;
  // The database (or the broker) is away or overloaded: retrying later may work, so 503 rather than 500.
  if (isRetryable(error)) {
    return new HttpProblem(503, DETAIL_BY_STATUS[503] ?? '', { cause: error, headers: { 'Retry-After': RETRY_AFTER_SECONDS } });
  }
  const http = asHttpError(error);
  if (http && http.status < 500) {
    const detail = http.expose && http.message ? http.message : (DETAIL_BY_STATUS[http.status] ?? http.message);
    const problem = new HttpProblem(http.status, detail, { cause: error });
    return http.status === 400 && /json/i.test(http.message)
      ? new HttpProblem(400, 'The request body is not valid JSON.', { cause: error })
      : problem;
  }
  return new HttpProblem(http?.status ?? 500, DETAIL_BY_STATUS[http?.status ?? 500] ?? DETAIL_BY_STATUS[500] ?? '', {
    cause: error,
  });
}

function send(ctx: Context, problem: HttpProblem): void {
  ctx.status = problem.status;
  for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
  const body: Problem & Record<string, unknown> = {
    ...problem.extensions,
    type: problem.type,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    instance: ctx.path,
    requestId: String(ctx.state.requestId ?? ''),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  ctx.body = body;
  ctx.type = PROBLEM_CONTENT_TYPE;
}

/** Maps every error, and every status left without a body (404, 405, 501), to problem+json. */
export function createProblemMiddleware(): Middleware {
  return async function problemDetails(ctx, next) {
    try {
      await next();
      if (ctx.body == null && ctx.status >= 400) send(ctx, toProblem({ status: ctx.status, expose: false }));
    } catch (error) {
      const problem = toProblem(error);
      // The access log writes `res.err` with the request's line: the stack stays on the server.
      if (problem.status >= 500) ctx.res.err = error instanceof Error ? error : new Error(String(error));
      send(ctx, problem);
    }
  };
}
