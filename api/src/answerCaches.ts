/**
 * The API's two response caches and the listener that empties them
 * (DECISIONS.md records 23 and 24): curriculum answers are kept until the
 * curriculum changes; each user's activity and progress until that user's
 * rows or the curriculum change. Until the listener's LISTEN is in place, and
 * whenever its connection is lost, both are bypassed. With both turned off
 * (0 entries), no listener is started.
 */
import type { Logger } from '@medly/shared/logger';
import type { ApiMetrics } from './apiMetrics.ts';
import { createProjectionListener, type ProjectionListener, type ProjectionListenerOptions } from './projectionListener.ts';
import { createResponseCache, type ResponseCache } from './responseCache.ts';

export interface CacheBounds {
  maxEntries: number;
  maxBytes: number;
}

export interface AnswerCaches {
  curriculumCache: ResponseCache;
  userCache: ResponseCache;
  /** Started; undefined when both caches are off. */
  listener: ProjectionListener | undefined;
}

export function createAnswerCaches(options: {
  databaseUrl: string;
  logger: Logger;
  metrics: ApiMetrics;
  curriculum: CacheBounds;
  user: CacheBounds;
  /** Reconnection backoff of the listener (tests lengthen it). */
  minBackoffMs?: ProjectionListenerOptions['minBackoffMs'];
}): AnswerCaches {
  const { metrics } = options;
  const curriculumCache = createResponseCache({ ...options.curriculum, ...metrics.curriculumCache });
  metrics.curriculumCache.observe(curriculumCache);
  const userCache = createResponseCache({ ...options.user, ...metrics.userCache });
  metrics.userCache.observe(userCache);
  if (options.curriculum.maxEntries === 0 && options.user.maxEntries === 0) return { curriculumCache, userCache, listener: undefined };

  const listener = createProjectionListener({
    databaseUrl: options.databaseUrl,
    logger: options.logger,
    // Every read of a user's answers joins the curriculum, so a curriculum change empties both.
    onChange: () => {
      curriculumCache.invalidate();
      userCache.invalidate();
    },
    onUserChange: (uid) => {
      userCache.invalidate(uid === '' ? undefined : uid);
    },
    onListening: (listening) => {
      curriculumCache.setListening(listening);
      userCache.setListening(listening);
    },
    ...(options.minBackoffMs === undefined ? {} : { minBackoffMs: options.minBackoffMs }),
  });
  listener.start();
  return { curriculumCache, userCache, listener };
}
