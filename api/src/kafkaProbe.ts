import { fetchEndOffsets, type Admin } from '@medly/shared/kafka';
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
        return await fetchEndOffsets(
          admin,
          topics.filter((topic) => existing.has(topic)),
        );
      } catch (error) {
        connected = undefined;
        throw error;
      }
    },
  };
}
