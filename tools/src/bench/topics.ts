/** Unique topic prefixes for the bench's runs, and their removal afterwards. */
import { randomBytes } from 'node:crypto';
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';

export function benchTopicPrefix(label: string): string {
  return `bench.${label}.${randomBytes(4).toString('hex')}.`;
}

/** Deletes every topic whose name starts with the prefix (the bench's topics hold hundreds of MB at 100×). */
export async function deleteTopics(brokers: readonly string[], prefix: string): Promise<string[]> {
  const kafka = createKafka({ brokers, clientId: 'medly-bench', logger: createLogger({ level: 'error', name: 'bench' }) });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    return topics;
  } finally {
    await admin.disconnect();
  }
}
