import { AppError } from '@medly/shared/errors';
import type { EventCodec } from '@medly/shared/codec';
import type { Producer } from '@medly/shared/kafka';
import type { PublishProfileChange } from './profileUpdates.ts';

/**
 * Sends userProfileChanged events with an idempotent producer, waiting for all
 * in-sync replicas. Resolves with the next offset after the event (what a
 * checkpoint must reach for the event to be applied). A broker failure is a
 * retryable AppError: the problem middleware answers 503.
 */
export function createProfilePublisher({ producer, codec, topic }: { producer: Producer; codec: EventCodec; topic: string }): PublishProfileChange {
  return async (event) => {
    const encoded = await codec.encode('userProfiles', event);
    let metadata;
    try {
      [metadata] = await producer.send({ topic, acks: -1, messages: [{ key: encoded.key, value: encoded.value, headers: encoded.headers }] });
    } catch (error) {
      throw new AppError('broker_unavailable', 'the profile change could not be produced', { cause: error, retryable: true });
    }
    if (metadata?.baseOffset === undefined) {
      throw new AppError('no_offset', `the broker acknowledged ${topic} without an offset`, { retryable: true });
    }
    return { topic, partition: metadata.partition, offset: Number(metadata.baseOffset) + 1 };
  };
}
