/**
 * Builds the Koa application from its dependencies, without listening:
 * main.ts opens the pool and the Kafka producer and listens; tests pass their
 * own. Middleware order: request metrics (when given), request id, access
 * log, problem details (so every error below becomes problem+json), security
 * headers, CORS, authentication
 * (who is calling, if anyone: nothing refused yet), rate limit (per caller),
 * routes (each decides whether its caller may use it).
 */
import Koa from 'koa';
import type { DatabasePool } from '@medly/shared/db';
import type { Logger } from '@medly/shared/logger';
import { createAuthenticator } from './auth/authenticator.ts';
import type { AppConfig } from './config.ts';
import { createAuthentication } from './middleware/authentication.ts';
import { createRateLimit } from './middleware/rateLimit.ts';
import { createAccessLog } from './middleware/accessLog.ts';
import { createCors } from './middleware/cors.ts';
import { createRequestId } from './middleware/requestId.ts';
import { createSecurityHeaders } from './middleware/securityHeaders.ts';
import { createOpenApiDocument, type OpenApiDocument } from './openapi.ts';
import { createProblemMiddleware } from './problem.ts';
import { createApiRouter } from './router.ts';
import { registerDocsRoutes } from './routes/docs.ts';
import { registerHealthRoutes, type KafkaProbe } from './routes/health.ts';
import { registerItemRoutes } from './routes/items.ts';
import { registerLessonRoutes } from './routes/lessons.ts';
import { registerPaperRoutes } from './routes/papers.ts';
import { registerUserActivityRoutes } from './routes/userActivity.ts';
import { registerUserProgressRoutes } from './routes/userProgress.ts';
import { registerUserRoutes } from './routes/users.ts';
import { createProfileUpdater, type ProfileEvents } from './profileUpdates.ts';
import { createProfileLock } from './profileLock.ts';
import type { ApiMetrics } from './apiMetrics.ts';
import type { ResponseCache } from './responseCache.ts';
import { projectorGroupId } from '@medly/shared/progress';

const API_VERSION = '1.0.0';
/** Largest request body; PATCH bodies are small (metadata is capped at 16 KiB). */
const BODY_LIMIT_BYTES = 64 * 1024;
const PROFILE_WAIT_MS = 2_000;

export interface AppDependencies {
  pool: DatabasePool;
  config: AppConfig;
  logger: Logger;
  /** Kafka end offsets, for /health; throws when the broker cannot be reached. */
  kafka: KafkaProbe;
  /** The profile topic: PATCH /users/:id produces userProfileChanged events there. */
  profileEvents: ProfileEvents;
  /**
   * Where PATCH takes its per-uid lock: a pool on the server every API
   * instance shares (the primary; advisory locks are not replicated). Defaults
   * to `pool`; main.ts gives it a small pool of its own so that waiting
   * changes never hold the connections reads need.
   */
  profileLocks?: DatabasePool;
  /**
   * Where curriculum answers are kept until the projector changes them
   * (responseCache.ts, fed by projectionListener.ts); none: every read goes
   * to the database.
   */
  curriculumCache?: ResponseCache;
  /**
   * Where each user's activity and progress answers are kept until that
   * user's rows or the curriculum change; none: every read goes to the database.
   */
  userCache?: ResponseCache;
  /** Request and profile-change metrics; none when absent. */
  metrics?: ApiMetrics;
  /** How long PATCH waits for the projector before answering 202; about 2 s. */
  profileWaitMs?: number;
}

export function createApp(deps: AppDependencies): { app: Koa; openApiDocument: () => OpenApiDocument } {
  const router = createApiRouter({ bodyLimitBytes: BODY_LIMIT_BYTES });

  let document: OpenApiDocument | undefined;
  const openApiDocument = () => (document ??= createOpenApiDocument(router.registry, { version: API_VERSION }));

  const updateProfile = createProfileUpdater({
    pool: deps.pool,
    withLock: createProfileLock(deps.profileLocks ?? deps.pool, deps.logger),
    events: deps.profileEvents,
    projectorGroup: projectorGroupId(deps.config.TOPIC_PREFIX),
    waitMs: deps.profileWaitMs ?? PROFILE_WAIT_MS,
    logger: deps.logger,
    onOutcome: (outcome) => deps.metrics?.profileChange(outcome),
  });

  registerHealthRoutes(router, deps);
  registerUserRoutes(router, { pool: deps.pool, updateProfile, requireIfMatch: deps.config.PATCH_REQUIRES_IF_MATCH });
  registerUserActivityRoutes(router, deps);
  registerUserProgressRoutes(router, deps);
  registerLessonRoutes(router, deps);
  registerPaperRoutes(router, deps);
  registerItemRoutes(router, deps);
  registerDocsRoutes(router, openApiDocument);

  const app = new Koa({ proxy: false });
  app.silent = true; // errors are logged by the access log, with the request id
  if (deps.metrics) app.use(deps.metrics.requests((path) => router.pathOf(path)));
  app.use(createRequestId());
  app.use(createAccessLog(deps.logger));
  app.use(createProblemMiddleware());
  app.use(createSecurityHeaders());
  const cors = createCors(deps.config.CORS_ORIGINS);
  if (cors) app.use(cors);
  app.use(createAuthentication(createAuthenticator(deps.config)));
  const rateLimit = createRateLimit({ requests: deps.config.RATE_LIMIT_REQUESTS, windowSeconds: deps.config.RATE_LIMIT_WINDOW_SECONDS });
  if (rateLimit) app.use(rateLimit);
  for (const middleware of router.middleware()) app.use(middleware);
  return { app, openApiDocument };
}
