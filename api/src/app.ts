/**
 * Builds the Koa application from its dependencies, without listening:
 * main.ts opens the pool and the Kafka producer and listens; tests pass their
 * own. Middleware order: request id, access log, problem details (so every
 * error below becomes problem+json), security headers, CORS, routes.
 */
import Koa from 'koa';
import type { DatabasePool } from '@medly/shared/db';
import type { Logger } from '@medly/shared/logger';
import type { Config } from '@medly/shared/config';
import { createBearerAuth } from './auth.ts';
import { createAccessLog } from './middleware/accessLog.ts';
import { createCors } from './middleware/cors.ts';
import { createRequestId } from './middleware/requestId.ts';
import { createSecurityHeaders } from './middleware/securityHeaders.ts';
import { createOpenApiDocument, type OpenApiDocument } from './openapi.ts';
import { createProblemMiddleware } from './problem.ts';
import { createApiRouter } from './router.ts';
import { registerDocsRoutes } from './routes/docs.ts';
import { registerHealthRoutes, type KafkaProbe } from './routes/health.ts';

export const API_VERSION = '1.0.0';
/** Largest request body; PATCH bodies are small (metadata is capped at 16 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface AppDependencies {
  pool: DatabasePool;
  config: Pick<Config, 'API_TOKEN' | 'CORS_ORIGINS' | 'TOPIC_PREFIX'>;
  logger: Logger;
  /** Kafka end offsets, for /health; throws when the broker cannot be reached. */
  kafka: KafkaProbe;
}

export function createApp(deps: AppDependencies): { app: Koa; openApiDocument: () => OpenApiDocument } {
  const router = createApiRouter({ authenticate: createBearerAuth(deps.config.API_TOKEN), bodyLimitBytes: BODY_LIMIT_BYTES });

  let document: OpenApiDocument | undefined;
  const openApiDocument = () => (document ??= createOpenApiDocument(router.registry, { version: API_VERSION }));

  registerHealthRoutes(router, deps);
  registerDocsRoutes(router, openApiDocument);

  const app = new Koa({ proxy: false });
  app.silent = true; // errors are logged by the access log, with the request id
  app.use(createRequestId());
  app.use(createAccessLog(deps.logger));
  app.use(createProblemMiddleware());
  app.use(createSecurityHeaders());
  const cors = createCors(deps.config.CORS_ORIGINS);
  if (cors) app.use(cors);
  for (const middleware of router.middleware()) app.use(middleware);
  return { app, openApiDocument };
}
