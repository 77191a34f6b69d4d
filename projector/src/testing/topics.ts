/** Removes a test's topics (every topic under its unique prefix) so the broker does not fill up. */
import { createKafka } from '@medly/shared/kafka';
import { createLogger } from '@medly/shared/logger';

export async function deleteTopicsUnder(brokers: readonly string[], prefix: string): Promise<void> {
  const admin = createKafka({ brokers, clientId: 'test-cleanup', logger: createLogger({ level: 'error', name: 'test' }) }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
