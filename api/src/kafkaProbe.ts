import { fetchEndOffsets, type Admin } from '@medly/shared/kafka';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import type { KafkaProbe } from './routes/health.ts';

/**
 * End offsets of the topics for /health. Connects on first use and again after
 * a failure; an answer is reused for `cacheMs` so that frequent health checks
 * do not each cost the broker a metadata and an offsets request per topic.
 */
export function createKafkaProbe(admin: Admin, { cacheMs = 1_000 }: { cacheMs?: number } = {}): KafkaProbe {
  let connected: Promise<void> | undefined;
  let cached: { key: string; at: number; value: Promise<PartitionOffset[]> } | undefined;
  const read = async (topics: readonly string[]): Promise<PartitionOffset[]> => {
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
  };
  return {
    endOffsets(topics) {
      const key = topics.join('\u0000');
      const now = Date.now();
      if (!cached || cached.key !== key || now - cached.at > cacheMs) {
        const value = read(topics);
        cached = { key, at: now, value };
        value.catch(() => {
          if (cached?.value === value) cached = undefined;
        });
      }
      return cached.value;
    },
  };
}
