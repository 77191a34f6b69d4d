/**
 * Kafka message → envelope, dead letter or tombstone. A message that cannot be
 * decoded is not retried forever (that would stop the partition): it becomes
 * a dead letter, kept in `rejections` with its reason and an excerpt. Errors
 * that retrying can cure (a Schema Registry that is briefly away) are thrown.
 */
import type { EventCodec } from '@medly/shared/codec';
import { AppError, isRetryable } from '@medly/shared/errors';
import { messageExcerpt } from '@medly/shared/excerpt';
import type { KafkaMessage } from '@medly/shared/kafka';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import type { TopicId } from '@medly/shared/topics';
import { seenOf, type DeadLetter, type Envelope, type Tombstone } from './envelope.ts';

export type Decoded =
  | { kind: 'event'; envelope: Envelope }
  | { kind: 'deadLetter'; deadLetter: DeadLetter }
  | { kind: 'tombstone'; tombstone: Tombstone };

export async function decodeMessage(
  codec: EventCodec,
  topicId: TopicId,
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'timestamp'>,
  position: PartitionOffset,
): Promise<Decoded> {
  const key = message.key === null ? null : message.key.toString('utf8');
  const seen = seenOf(message, topicId);
  // A tombstone without a key names nothing: it removes no row.
  if (message.value === null) return { kind: 'tombstone', tombstone: { topicId, key: key ?? '', position, seen } };
  try {
    const event = await codec.decode(topicId, message);
    return { kind: 'event', envelope: { topicId, event, position, seen } as Envelope };
  } catch (error) {
    if (isRetryable(error)) throw error;
    return {
      kind: 'deadLetter',
      deadLetter: {
        position,
        key,
        seen,
        reason: error instanceof AppError ? error.code : 'undecodable_event',
        message: error instanceof Error ? error.message : String(error),
        excerpt: messageExcerpt(message.value),
      },
    };
  }
}

export function positionOf(item: Decoded): PartitionOffset {
  switch (item.kind) {
    case 'event':
      return item.envelope.position;
    case 'deadLetter':
      return item.deadLetter.position;
    case 'tombstone':
      return item.tombstone.position;
  }
}
