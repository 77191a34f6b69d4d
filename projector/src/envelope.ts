/**
 * What the projections receive: a decoded event with the Kafka position it
 * came from, or a dead letter (a message that could not be decoded), which is
 * kept in `rejections` rather than dropped.
 */
import type { SourceRef } from '@medly/shared/events/common';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import type { EventOf, TopicId } from '@medly/shared/topics';

export type Envelope = { [Id in TopicId]: { topicId: Id; event: EventOf<Id>; position: PartitionOffset } }[TopicId];
export type EnvelopeOf<Id extends TopicId> = Extract<Envelope, { topicId: Id }>;

export interface DeadLetter {
  position: PartitionOffset;
  reason: string;
  message: string;
  excerpt: string;
}

/** The provenance columns every projected row carries (seen_at timestamps are set by the upsert). */
export interface Provenance {
  source_file: string;
  source_pointer: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: number;
}

export function provenance(source: SourceRef, position: PartitionOffset): Provenance {
  return {
    source_file: source.file,
    source_pointer: source.pointer,
    kafka_topic: position.topic,
    kafka_partition: position.partition,
    kafka_offset: position.offset,
  };
}

export const provenanceColumns = {
  source_file: 'text',
  source_pointer: 'text',
  kafka_topic: 'text',
  kafka_partition: 'integer',
  kafka_offset: 'bigint',
} as const;

/** The envelopes of one topic, in the order given. */
export function envelopesOf<Id extends TopicId>(envelopes: readonly Envelope[], topicId: Id): EnvelopeOf<Id>[] {
  return envelopes.filter((envelope): envelope is EnvelopeOf<Id> => envelope.topicId === topicId);
}
