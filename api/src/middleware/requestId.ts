import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const REQUEST_ID_HEADER = 'x-request-id';

/** An id a proxy may have set is kept when it is sane; it must not smuggle anything into logs or headers. */
const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (ctx.state.requestId), echoed in the response header and every log line. */
export function createRequestId(): Middleware {
  return async function requestId(ctx, next) {
    const incoming = ctx.get(REQUEST_ID_HEADER);
    const id = acceptable.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set(REQUEST_ID_HEADER, id);
    await next();
  };
}
