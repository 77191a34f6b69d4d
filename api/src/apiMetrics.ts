/**
 * The API's Prometheus metrics, in a registry of its own (main.ts serves it
 * on METRICS_PORT): Node's process metrics, every request's latency by route
 * and status class, and what became of each profile change. A route is the
 * declared path (`/users/:id`), never the raw URL, so neither uids nor
 * arbitrary paths become label values; a path no route declares is
 * `unmatched`.
 */
import type { Middleware } from 'koa';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProfileUpdate } from './profileUpdates.ts';
import type { CacheOutcome, DiscardReason, InvalidationReason, ResponseCache } from './responseCache.ts';

/** From 2 ms (a cached 304) to 10 s (the statement timeout). */
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request\'s arrival to its answer, by method, route (the declared path) and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const profileChanges = new Counter({
    name: 'medly_profile_changes_total',
    help: 'PATCH /users/:id by outcome: applied (200), pending (202), stale (412), unsettled (503: an earlier change not yet applied), unknown_user (404), failed (an error, e.g. the broker away).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  const curriculumCache = createCacheMetrics(registry, 'curriculum', 'Curriculum reads', 'the curriculum changed');
  const userCache = createCacheMetrics(registry, 'user', 'Activity and progress reads', 'the user, or the curriculum, changed');

  return {
    registry,
    /** The hooks of each response cache (createResponseCache's options), and `observe(cache)` for its size. */
    curriculumCache,
    userCache,
    /** Times every request; outermost, so problems, 401s, 404s and 429s are counted with their final status. */
    requests(routeOf: (path: string) => string | undefined): Middleware {
      return async function requestMetrics(ctx, next) {
        const end = requestDuration.startTimer();
        let status: number | undefined;
        try {
          await next();
        } catch (error) {
          // Only without the problem middleware below (koa answers it): its status, else 500.
          const thrown = (error as { status?: unknown }).status;
          status = typeof thrown === 'number' ? thrown : 500;
          throw error;
        } finally {
          end({ method: ctx.method, route: routeOf(ctx.path) ?? 'unmatched', status_class: `${String(status ?? ctx.status).charAt(0)}xx` });
        }
      };
    },
    profileChange(outcome: ProfileUpdate['outcome'] | 'failed'): void {
      profileChanges.inc({ outcome: outcome.replace('-', '_') });
    },
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/**
 * `medly_<name>_cache_*`: lookups by outcome, discards by reason,
 * invalidations by reason, and the bytes held by the cache given to `observe`.
 */
function createCacheMetrics(registry: Registry, name: string, reads: string, changed: string) {
  const lookups = new Counter({
    name: `medly_${name}_cache_lookups_total`,
    help: `${reads} by cache outcome: hit (served as stored), miss (read from the database), bypass (the cache is off, or not listening for changes).`,
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const discards = new Counter({
    name: `medly_${name}_cache_discards_total`,
    help: `Answers of misses not kept: raced (${changed} while they were read), too_large (over the byte bound alone).`,
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const invalidations = new Counter({
    name: `medly_${name}_cache_invalidations_total`,
    help: `Times the ${name} cache dropped answers: change (announced by the database), listening (the listener connected), lost (its connection failed).`,
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  let observed: ResponseCache | undefined;
  new Gauge({
    name: `medly_${name}_cache_bytes`,
    help: `Bytes of answers in the ${name} cache.`,
    registers: [registry],
    collect() {
      this.set(observed?.bytes ?? 0);
    },
  });
  return {
    onLookup(outcome: CacheOutcome): void {
      lookups.inc({ outcome });
    },
    onDiscard(reason: DiscardReason): void {
      discards.inc({ reason });
    },
    onInvalidate(reason: InvalidationReason): void {
      invalidations.inc({ reason });
    },
    observe(cache: ResponseCache): void {
      observed = cache;
    },
  };
}
