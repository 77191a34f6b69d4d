import type { Admin } from '@medly/shared/kafka';
import type { KafkaProbe } from './routes/health.ts';

/** End offsets of the topics for /health. Connects on first use and again after a failure. */
export function createKafkaProbe(admin: Admin): KafkaProbe {
  let connected: Promise<void> | undefined;
  return {
    async endOffsets(topics) {
      connected ??= admin.connect();
      try {
        await connected;
        const existing = new Set(await admin.listTopics());
        const perTopic = await Promise.all(
          topics
            .filter((topic) => existing.has(topic))
            .map(async (topic) =>
              (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ topic, partition, offset: Number(high) })),
            ),
        );
        return perTopic.flat();
      } catch (error) {
        connected = undefined;
        throw error;
      }
    },
  };
}
