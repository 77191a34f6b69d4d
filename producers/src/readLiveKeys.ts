/**
 * Reads the source topics from their beginning to their end offsets (taken
 * when the read starts) into a LiveKeys index: keys, and from the headers
 * the source and first-seen times; values are never decoded. It joins a
 * throwaway consumer group with nothing committed, and deletes the group
 * when done. Topics that are empty cost nothing.
 */
import { randomUUID } from 'node:crypto';
import { headerText, HEADERS } from '@medly/shared/headers';
import { fetchEndOffsets, type Admin, type EachBatchPayload } from '@medly/shared/kafka';
import type { Logger } from '@medly/shared/logger';
import { partitionKey, type PartitionOffset } from '@medly/shared/partitionOffset';
import { sourceName } from '@medly/shared/reasons';
import { topicIdOf, topicName, type TopicId } from '@medly/shared/topics';
import { createLiveKeys, type LiveKeys } from './liveKeys.ts';
import type { KafkaClients } from './kafkaClients.ts';

/** The topics whose keys belong to a source's snapshot (profiles come from the API; snapshots are the markers). */
export const SNAPSHOT_TOPICS: readonly TopicId[] = ['lessons', 'papers', 'practiceBanks', 'questions', 'itemAppearances', 'attempts', 'rejections'];

export async function readLiveKeys(
  deps: { kafka: KafkaClients; admin: Admin; logger: Logger },
  topicPrefix: string,
): Promise<LiveKeys> {
  const live = createLiveKeys();
  const names = SNAPSHOT_TOPICS.map((id) => topicName(topicPrefix, id));
  const targets = (await fetchEndOffsets(deps.admin, names)).filter((target) => target.offset > 0);
  if (targets.length > 0) await consumeUntil(deps, topicPrefix, targets, live);
  live.seal();
  return live;
}

async function consumeUntil(
  { kafka, admin, logger }: { kafka: KafkaClients; admin: Admin; logger: Logger },
  topicPrefix: string,
  targets: readonly PartitionOffset[],
  live: LiveKeys,
): Promise<void> {
  const started = performance.now();
  const remaining = new Map(targets.map((target) => [partitionKey(target.topic, target.partition), target.offset]));
  const groupId = `${topicPrefix}snapshot-reader-${randomUUID()}`;
  // A member alone in its group: a generous session, and a heartbeat after every batch, so a busy
  // machine never has it evicted (a re-join would read the topics again from the beginning).
  const consumer = kafka.consumer({
    groupId,
    maxBytes: 8 * 1024 * 1024,
    maxWaitTimeInMs: 250,
    sessionTimeout: 120_000,
    heartbeatInterval: 3_000,
    allowAutoTopicCreation: false,
  });
  let withoutSource = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const eachBatch = async (payload: EachBatchPayload) => {
    const { batch } = payload;
    const topicId = topicIdOf(topicPrefix, batch.topic);
    const partition = partitionKey(batch.topic, batch.partition);
    const target = remaining.get(partition);
    if (topicId === undefined || target === undefined) return;
    for (const message of batch.messages) {
      if (Number(message.offset) >= target || message.key === null) continue;
      const key = message.key.toString('utf8');
      if (message.value === null) {
        live.remove(topicId, key);
        continue;
      }
      const source = sourceName.safeParse(headerText(message.headers, HEADERS.source));
      const firstSeenAt = headerText(message.headers, HEADERS.firstSeenAt);
      // Written before snapshots existed: kept, never removed.
      if (!source.success || firstSeenAt === undefined) {
        withoutSource += 1;
        continue;
      }
      const entityHeader = topicId === 'itemAppearances' ? HEADERS.itemFirstSeenAt : HEADERS.userFirstSeenAt;
      live.add(topicId, { key, source: source.data, firstSeenAt, entityFirstSeenAt: headerText(message.headers, entityHeader) });
    }
    await payload.heartbeat();
    const last = batch.messages.at(-1);
    if (last && Number(last.offset) + 1 >= target) {
      remaining.delete(partition);
      if (remaining.size === 0) finish();
    }
  };

  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set(targets.map((target) => target.topic))], fromBeginning: true });
    await consumer.run({ autoCommit: false, partitionsConsumedConcurrently: 4, eachBatch });
    await finished;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch((error: unknown) => {
      logger.debug({ err: error, groupId }, 'could not delete the snapshot reader group');
    });
  }
  if (withoutSource > 0) logger.warn({ messages: withoutSource }, 'messages without a source header (written before snapshots): never removed');
  logger.info({ keys: live.size, ms: Math.round(performance.now() - started) }, 'read the live keys of the topics');
}
