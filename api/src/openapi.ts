/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the router
 * enforces (see router.ts). Built once at start-up and served as is.
 */
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function createOpenApiDocument(registry: OpenAPIRegistry, options: { version: string }): OpenApiDocument {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Medly Ingest API',
      version: options.version,
      description:
        'Read API over the projections of the Medly exports (course, practice banks, mock papers, student attempts), ' +
        'and the one write: a user profile change, which is an event on Kafka that the projector applies.\n\n' +
        'Lists are keyset-paginated: pass `page.nextCursor` back as `cursor` until it is null. ' +
        'Every error is `application/problem+json` (RFC 9457).',
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [
      { name: 'health', description: 'Liveness and dependencies.' },
      { name: 'users', description: 'Students, their profile and their attempts.' },
      { name: 'curriculum', description: 'Lessons, papers and items.' },
    ],
  });
}
