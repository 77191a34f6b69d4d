/**
 * What is on a set of topics, read back from the beginning to the end
 * offsets they have now: per topic, how many messages carry each key. This is
 * what "every record is on its topic exactly once per key" is checked against.
 */
import type { createKafka } from '@medly/shared/kafka';
import { partitionKey } from '@medly/shared/partitionOffset';

export type KeyCounts = Map<string, Map<string, number>>;

export async function readKeyCounts(kafka: ReturnType<typeof createKafka>, topics: readonly string[], timeoutMs = 120_000): Promise<KeyCounts> {
  const counts: KeyCounts = new Map(topics.map((topic) => [topic, new Map<string, number>()]));
  const remaining = new Map<string, number>();
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
        if (Number(high) > 0) remaining.set(partitionKey(topic, partition), Number(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (remaining.size === 0) return counts;
  const consumer = kafka.consumer({ groupId: `reliability-reader-${String(process.pid)}-${String(Date.now())}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`not every message was read back within ${timeoutMs} ms: ${JSON.stringify([...remaining])}`));
      }, timeoutMs);
      void consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const perKey = counts.get(topic);
            const key = message.key?.toString() ?? '';
            perKey?.set(key, (perKey.get(key) ?? 0) + 1);
            const end = remaining.get(partitionKey(topic, partition));
            if (end !== undefined && Number(message.offset) + 1 >= end) remaining.delete(partitionKey(topic, partition));
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return counts;
}
