/**
 * GET /openapi.json and the docs page, GET /docs, served from the installed
 * swagger-ui-dist package: no CDN, so it works offline. The page has no inline
 * script (the CSP forbids it) and swagger-ui's online validator badge is off.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ApiRouter } from '../router.ts';
import type { OpenApiDocument } from '../openapi.ts';
import { z } from '../zod.ts';

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Medly Ingest API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const init = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  displayRequestDuration: true,
});
`;

const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

export function registerDocsRoutes(router: ApiRouter, openApiDocument: () => OpenApiDocument): void {
  router.route({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI 3.1 document',
    description: 'Generated at start-up from the zod schemas that validate every request and response.',
    tags: ['health'],
    access: 'public',
    request: {},
    responses: {
      200: {
        description: 'The OpenAPI document.',
        schema: z.object({ openapi: z.string().openapi({ example: '3.1.0' }) }).passthrough().openapi('OpenApiDocument'),
      },
    },
    errors: [],
    handler: () => {
      const document: { openapi: string } = openApiDocument();
      return Promise.resolve({ status: 200, body: document });
    },
  });

  router.raw('/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  });
  router.raw('/docs/init.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = init;
  });
  const cache = new Map<string, Promise<Buffer>>();
  router.raw('/docs/:asset', async (ctx, next) => {
    const name = String((ctx.params as Record<string, string>).asset);
    const type = assets[name];
    if (!type) {
      await next();
      return;
    }
    let content: Promise<Buffer> | undefined = cache.get(name);
    if (!content) {
      content = readFile(path.join(swaggerUiDir, name));
      cache.set(name, content);
    }
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.type = type;
    ctx.body = await content;
  });
}
