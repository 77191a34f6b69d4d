/**
 * The consumer group's lag per topic-partition, read on demand (a metrics
 * scrape): Kafka's end offsets of every topic under the prefix against the
 * group's checkpoints in Postgres. Bounded in time, so a broker that is away
 * fails the sample instead of holding the scrape; the admin client is joined
 * on first use and again after a failure.
 */
import type { DatabasePool } from '@medly/shared/db';
import { fetchEndOffsets, type Admin } from '@medly/shared/kafka';
import { lagBehind, readCheckpoints, type PartitionLag } from '@medly/shared/progress';
import { allTopicNames } from '@medly/shared/topics';
import { within } from '@medly/shared/within';

export interface LagSamplerOptions {
  admin: Admin;
  pool: DatabasePool;
  topicPrefix: string;
  group: string;
  timeoutMs?: number;
}

export function createLagSampler({ admin, pool, topicPrefix, group, timeoutMs = 3_000 }: LagSamplerOptions) {
  const topics = allTopicNames(topicPrefix);
  let connected: Promise<void> | undefined;
  return {
    async sample(): Promise<PartitionLag[]> {
      try {
        const ends = within(
          (async () => {
            connected ??= admin.connect();
            await connected;
            return fetchEndOffsets(admin, topics);
          })(),
          timeoutMs,
          'the end offsets of the topics',
        );
        const [targets, checkpoints] = await Promise.all([ends, readCheckpoints(pool, group)]);
        return lagBehind(checkpoints, targets);
      } catch (error) {
        connected = undefined;
        throw error;
      }
    },
    async close(): Promise<void> {
      if (connected) await admin.disconnect();
    },
  };
}
