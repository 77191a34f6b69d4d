/** GET /health: the database (503 when it is down), the broker, and how far the projector is behind it. */
import type { DatabasePool } from '@medly/shared/db';
import { topicIds, topicName } from '@medly/shared/topics';
import { lagBehind, projectorGroupId, readCheckpoints, type PartitionOffset } from '@medly/shared/progress';
import { pingDatabase } from '../queries/health.ts';
import type { ApiRouter } from '../router.ts';
import { z } from '../zod.ts';

export interface KafkaProbe {
  /** High watermarks (the next offset) of every partition of the topics that exist; throws when the broker is away. */
  endOffsets(topics: readonly string[]): Promise<PartitionOffset[]>;
}

const PROBE_TIMEOUT_MS = 2_000;

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']).openapi({
      description: '`ok`: all up; `degraded`: the database is up but the broker is not; `unavailable`: no database.',
    }),
    db: z.enum(['up', 'down']),
    kafka: z.enum(['up', 'down']),
    projector: z.object({
      lag: z.number().int().nonnegative().nullable().openapi({
        description: 'Messages on the topics that the projector has not applied yet; null when it cannot be measured.',
        example: 0,
      }),
    }),
  })
  .openapi('Health');

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

export function registerHealthRoutes(
  router: ApiRouter,
  deps: { pool: DatabasePool; kafka: KafkaProbe; config: { TOPIC_PREFIX: string } },
): void {
  const topics = topicIds.filter((id) => id !== 'rejections').map((id) => topicName(deps.config.TOPIC_PREFIX, id));

  router.route({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Service health',
    description:
      'Pings the database and the broker. Answers 503 only when the database is down (nothing can be served); ' +
      'a broker outage degrades writes and the lag measurement but not reads.',
    tags: ['health'],
    request: {},
    responses: {
      200: { description: 'The database is reachable.', schema: healthSchema },
      503: { description: 'The database is down.', schema: healthSchema },
    },
    errors: [],
    handler: async () => {
      const [db, ends] = await Promise.allSettled([
        withTimeout(pingDatabase(deps.pool), PROBE_TIMEOUT_MS),
        withTimeout(deps.kafka.endOffsets(topics), PROBE_TIMEOUT_MS),
      ]);
      const dbUp = db.status === 'fulfilled';
      const kafkaUp = ends.status === 'fulfilled';
      let lag: number | null = null;
      if (dbUp && kafkaUp) {
        lag = await withTimeout(readCheckpoints(deps.pool, projectorGroupId(deps.config.TOPIC_PREFIX)), PROBE_TIMEOUT_MS)
          .then((checkpoints) => lagBehind(checkpoints, ends.value).reduce((sum, partition) => sum + partition.lag, 0))
          .catch(() => null);
      }
      const body = {
        status: dbUp ? (kafkaUp ? 'ok' : 'degraded') : 'unavailable',
        db: dbUp ? 'up' : 'down',
        kafka: kafkaUp ? 'up' : 'down',
        projector: { lag },
      } as const;
      return dbUp ? { status: 200 as const, body } : { status: 503 as const, body };
    },
  });
}
