import { AppError } from '@medly/shared/errors';
import { validateEvent, type EventCodec } from '@medly/shared/codec';
import { ensureTopics } from '@medly/shared/ensureTopics';
import type { Admin, Producer } from '@medly/shared/kafka';
import { topicName } from '@medly/shared/topics';
import { within } from '@medly/shared/within';
import type { PublishProfileChange } from './profileUpdates.ts';

export interface ProfilePublisherOptions {
  producer: Producer;
  admin: Admin;
  codec: EventCodec;
  topicPrefix: string;
  partitions: number;
  /** How long a PATCH waits for the broker before answering 503 (kafkajs alone would retry for ~45 s). */
  timeoutMs?: number;
}

/**
 * Sends userProfileChanged events with an idempotent producer, waiting for all
 * in-sync replicas, and resolves with the next offset after the event (what a
 * checkpoint must reach for it to be applied). Kafka is joined on first use,
 * not at start-up, so the read API comes up without a broker; a broker failure
 * is a retryable AppError, which the problem middleware answers with 503.
 */
export function createProfilePublisher({
  producer,
  admin,
  codec,
  topicPrefix,
  partitions,
  timeoutMs = 5_000,
}: ProfilePublisherOptions): PublishProfileChange {
  const topic = topicName(topicPrefix, 'userProfiles');
  let ready: Promise<void> | undefined;
  const connect = async () => {
    await Promise.all([producer.connect(), admin.connect()]);
    // compacted and kept forever like every topic: the last event of a uid rebuilds its profile on replay
    await ensureTopics(admin, { topicPrefix, partitions });
  };

  return async (event) => {
    const encoded = await codec.encode('userProfiles', validateEvent('userProfiles', event));
    let metadata;
    try {
      const send = async () => {
        ready ??= connect();
        await ready;
        return producer.send({ topic, acks: -1, messages: [{ key: encoded.key, value: encoded.value, headers: encoded.headers }] });
      };
      // A send still retrying when the time is up may land later: the event carries the whole profile, so a
      // client's retry after the 503 produces the same profile again, never a mix of two.
      [metadata] = await within(send(), timeoutMs, 'an acknowledgement from the broker');
    } catch (error) {
      ready = undefined;
      throw new AppError('broker_unavailable', 'the profile change could not be produced', { cause: error, retryable: true });
    }
    if (metadata?.baseOffset === undefined) {
      throw new AppError('no_offset', `the broker acknowledged ${topic} without an offset`, { retryable: true });
    }
    return { topic, partition: metadata.partition, offset: Number(metadata.baseOffset) + 1 };
  };
}
