/**
 * A route's OpenAPI operation, from the same definition the router enforces:
 * its request parts, each response (with the request id header, and ETag
 * where the route sets one), 304 for a conditional GET, and every problem
 * status it can answer as problem+json.
 */
import { STATUS_CODES } from 'node:http';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { PROBLEM_CONTENT_TYPE, problemSchema } from './problem.ts';
import type { BodyPart, ErrorStatus, RequestPart, ResponseDefinition, Responses, RouteDefinition } from './routeDefinition.ts';
import { z } from './zod.ts';

const requestIdHeader = z.object({
  'x-request-id': z.string().openapi({ description: 'The request id (echoed from the request, or generated).' }),
});
const entityTagHeader = requestIdHeader.extend({
  etag: z.string().openapi({ description: 'A strong entity tag of this representation (send it back in If-None-Match, or If-Match to change it).' }),
});
const revalidatedTagHeader = entityTagHeader.extend({
  'cache-control': z.string().openapi({
    description: '`no-cache`: a cache may keep this answer but must revalidate it (If-None-Match) before each reuse; curriculum changes only when an import is projected.',
    example: 'no-cache',
  }),
});
const currentTagHeader = requestIdHeader.extend({
  etag: z.string().openapi({ description: 'The ETag of the resource as it is now (the one If-Match did not name).' }),
});

const koaPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

export function documentRoute<Params extends RequestPart, Query extends RequestPart, Body extends BodyPart, R extends Responses, Headers extends RequestPart>(
  registry: OpenAPIRegistry,
  credentials: Record<string, string[]>[],
  definition: RouteDefinition<Params, Query, Body, R, Headers>,
): void {
  const { params, query, body, headers } = definition.request;
  const isPublic = definition.access === 'public';
  const tagHeader = isPublic ? revalidatedTagHeader : entityTagHeader;
  const responses: RouteConfig['responses'] = {};
  for (const [status, response] of Object.entries(definition.responses as Record<string, ResponseDefinition>)) {
    responses[status] = {
      description: response.description,
      headers: definition.entityTags && status.startsWith('2') ? tagHeader : requestIdHeader,
      content: { [response.contentType ?? 'application/json']: { schema: response.schema } },
    };
  }
  if (definition.entityTags && definition.method === 'get') {
    responses['304'] = { description: 'Not Modified: If-None-Match names the current ETag; no body.', headers: tagHeader };
  }
  const implied: ErrorStatus[] = isPublic ? [429] : [401, 403, 429, 503];
  for (const status of [...new Set<number>([...definition.errors, ...implied, 500])].sort((a, b) => a - b)) {
    responses[String(status)] = {
      description: STATUS_CODES[status] ?? 'Error',
      headers: status === 412 && definition.entityTags ? currentTagHeader : requestIdHeader,
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
      ...(headers ? { headers } : {}),
      ...(body ? { body: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    },
    responses,
  });
}
