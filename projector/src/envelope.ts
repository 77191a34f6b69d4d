/**
 * What the projections receive: a decoded event with the Kafka position it
 * came from, or a dead letter (a message that could not be decoded), which is
 * kept in `rejections` rather than dropped.
 */
import type { SourceRef } from '@medly/shared/events/common';
import { headerText, HEADERS } from '@medly/shared/headers';
import type { KafkaMessage } from '@medly/shared/kafka';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { topics, type EventOf, type TopicId } from '@medly/shared/topics';

/**
 * When a message's record was seen, from the headers the producers set
 * (shared/src/headers.ts). A message without them (the API's profile events,
 * or one written before they existed) counts as seen when it was written.
 */
export interface Seen {
  /** The time of the import that produced the message: its snapshot. */
  importedAt: string;
  /** When an import first produced the message's key. */
  firstSeenAt: string;
  /** When an import first produced the item (an appearance) or the user (an attempt) it stands for. */
  entityFirstSeenAt: string;
}

export function seenOf(message: Pick<KafkaMessage, 'headers' | 'timestamp'>, topicId: TopicId): Seen {
  const written = new Date(Number(message.timestamp)).toISOString();
  const importedAt = headerText(message.headers, HEADERS.importedAt) ?? written;
  const firstSeenAt = headerText(message.headers, HEADERS.firstSeenAt) ?? importedAt;
  const entityHeader = topicId === 'itemAppearances' ? HEADERS.itemFirstSeenAt : topicId === 'attempts' ? HEADERS.userFirstSeenAt : undefined;
  const entityFirstSeenAt = (entityHeader && headerText(message.headers, entityHeader)) ?? firstSeenAt;
  return { importedAt, firstSeenAt, entityFirstSeenAt };
}

export type Envelope = { [Id in TopicId]: { topicId: Id; event: EventOf<Id>; position: PartitionOffset; seen: Seen } }[TopicId];
export type EnvelopeOf<Id extends TopicId> = Extract<Envelope, { topicId: Id }>;

export interface DeadLetter {
  position: PartitionOffset;
  /** The message's key: a dead letter stands in for its key's row, until the key is applied or removed. */
  key: string | null;
  seen: Seen;
  reason: string;
  message: string;
  excerpt: string;
}

/** A message without a value: its key's row (and what was derived from it) is removed. */
export interface Tombstone {
  topicId: TopicId;
  key: string;
  position: PartitionOffset;
  seen: Seen;
}

/** The key an event's topic gives it (what its message was keyed by). */
export function eventKey(envelope: Envelope): string {
  return (topics[envelope.topicId].key as (event: unknown) => string)(envelope.event);
}

/** The provenance columns every projected row carries (seen_at timestamps are set by the upsert). */
export interface Provenance {
  source_file: string;
  source_pointer: string;
  first_seen_at: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: number;
}

export function provenance(source: SourceRef, position: PartitionOffset, seen: Seen): Provenance {
  return {
    source_file: source.file,
    source_pointer: source.pointer,
    first_seen_at: seen.firstSeenAt,
    kafka_topic: position.topic,
    kafka_partition: position.partition,
    kafka_offset: position.offset,
  };
}

export const provenanceColumns = {
  source_file: 'text',
  source_pointer: 'text',
  first_seen_at: 'timestamptz',
  kafka_topic: 'text',
  kafka_partition: 'integer',
  kafka_offset: 'bigint',
} as const;

/** The envelopes of one topic, in the order given. */
export function envelopesOf<Id extends TopicId>(envelopes: readonly Envelope[], topicId: Id): EnvelopeOf<Id>[] {
  return envelopes.filter((envelope): envelope is EnvelopeOf<Id> => envelope.topicId === topicId);
}
