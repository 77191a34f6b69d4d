/**
 * Encodes events into Kafka message values and decodes them back.
 *
 * Plain mode (no Schema Registry): the value is the event's JSON, validated
 * by its zod schema, with a `schema-version` header. JSON.stringify of a
 * zod-parsed object follows the schema's key order, so the same event always
 * gives the same bytes. Registry mode is added by the schema-registry module
 * and shares this interface; `decode` recognises either.
 */
import type { IHeaders, KafkaMessage } from './kafka.ts';
import { topics, type EventOf, type TopicId } from './topics.ts';
import { AppError, formatZodIssues } from './errors.ts';

export const SCHEMA_VERSION_HEADER = 'schema-version';

export interface EncodedEvent {
  key: string;
  value: Buffer;
  headers: IHeaders;
}

export interface EventCodec {
  encode<Id extends TopicId>(topic: Id, event: EventOf<Id>): Promise<EncodedEvent>;
  decode<Id extends TopicId>(topic: Id, message: Pick<KafkaMessage, 'value' | 'headers'>): Promise<EventOf<Id>>;
}

export function createJsonCodec(): EventCodec {
  return {
    async encode(topic, event) {
      const definition = topics[topic];
      const parsed = validateEvent(topic, event);
      return {
        key: (definition.key as (e: typeof parsed) => string)(parsed),
        value: Buffer.from(JSON.stringify(parsed)),
        headers: { [SCHEMA_VERSION_HEADER]: String(definition.schemaVersion) },
      };
    },
    async decode(topic, message) {
      return decodeJson(topic, message);
    },
  };
}

export function decodeJson<Id extends TopicId>(topic: Id, message: Pick<KafkaMessage, 'value' | 'headers'>): EventOf<Id> {
  if (message.value === null) {
    throw new AppError('tombstone', `a tombstone on ${topic} carries no event`);
  }
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    throw new AppError('undecodable_event', `value on ${topic} is not JSON`, { cause: error });
  }
  return validateEvent(topic, parsedJson);
}

/** Parses an event with its topic's schema; the error names every bad field. */
export function validateEvent<Id extends TopicId>(topic: Id, candidate: unknown): EventOf<Id> {
  const result = topics[topic].schema.safeParse(candidate);
  if (!result.success) {
    throw new AppError('invalid_event', `event for ${topic} does not match its schema: ${formatZodIssues(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}
