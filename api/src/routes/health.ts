/** GET /health: the database (503 when it is down), the broker, and how far the projector is behind it. */
import type { DatabasePool } from '@medly/shared/db';
import { allTopicNames } from '@medly/shared/topics';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { lagBehind, projectorGroupId, readCheckpoints } from '@medly/shared/progress';
import { within } from '@medly/shared/within';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemSchema, RETRY_AFTER_SECONDS } from '../problem.ts';
import { pingDatabase } from '../queries/health.ts';
import type { ApiRouter } from '../router.ts';
import { z } from '../zod.ts';

export interface KafkaProbe {
  /** High watermarks (the next offset) of every partition of the topics that exist; throws when the broker is away. */
  endOffsets(topics: readonly string[]): Promise<PartitionOffset[]>;
}

const PROBE_TIMEOUT_MS = 2_000;

const components = {
  db: z.enum(['up', 'down']),
  kafka: z.enum(['up', 'down']),
  projector: z.object({
    lag: z.number().int().nonnegative().nullable().openapi({
      description: 'Messages on the topics that the projector has not applied yet; null when it cannot be measured.',
      example: 0,
    }),
  }),
};

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']).openapi({
      description: '`ok`: all up; `degraded`: the database is up but the broker is not.',
    }),
    ...components,
  })
  .openapi('Health');

// Down, /health is a problem like every other 503 (thrown, and answered by the
// problem middleware), with the health fields as RFC 9457 extension members so
// a probe still sees what is down. Declared here for the OpenAPI document.
const unavailableSchema = problemSchema
  .omit({ errors: true })
  .extend({ status: z.literal(503), ...components })
  .openapi('HealthUnavailable');

export function registerHealthRoutes(
  router: ApiRouter,
  deps: { pool: DatabasePool; kafka: KafkaProbe; config: { TOPIC_PREFIX: string } },
): void {
  // Every topic the projector consumes, the rejections included (`produce --wait` waits for them too).
  const topics = allTopicNames(deps.config.TOPIC_PREFIX);

  router.route({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Service health',
    description:
      'Pings the database and the broker. Answers 503 only when the database is down (nothing can be served); ' +
      'a broker outage degrades writes and the lag measurement but not reads.',
    tags: ['health'],
    access: 'public',
    request: {},
    responses: {
      200: { description: 'The database is reachable.', schema: healthSchema },
      503: { description: 'The database is down.', schema: unavailableSchema, contentType: PROBLEM_CONTENT_TYPE },
    },
    errors: [],
    handler: async () => {
      const [db, ends] = await Promise.allSettled([
        within(pingDatabase(deps.pool), PROBE_TIMEOUT_MS, 'a database ping'),
        within(deps.kafka.endOffsets(topics), PROBE_TIMEOUT_MS, 'the end offsets'),
      ]);
      const dbUp = db.status === 'fulfilled';
      const kafkaUp = ends.status === 'fulfilled';
      let lag: number | null = null;
      if (dbUp && kafkaUp) {
        lag = await within(readCheckpoints(deps.pool, projectorGroupId(deps.config.TOPIC_PREFIX)), PROBE_TIMEOUT_MS, 'the checkpoints')
          .then((checkpoints) => lagBehind(checkpoints, ends.value).reduce((sum, partition) => sum + partition.lag, 0))
          .catch(() => null);
      }
      const kafka = kafkaUp ? ('up' as const) : ('down' as const);
      if (!dbUp) {
        throw new HttpProblem(503, 'The database is down; nothing can be served until it is back.', {
          cause: db.reason,
          headers: { 'Retry-After': RETRY_AFTER_SECONDS },
          extensions: { db: 'down', kafka, projector: { lag } },
        });
      }
      return { status: 200 as const, body: { status: kafkaUp ? ('ok' as const) : ('degraded' as const), db: 'up' as const, kafka, projector: { lag } } };
    },
  });
}
