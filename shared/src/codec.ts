/**
 * Encodes events into Kafka message values and decodes them back.
 *
 * Plain mode (no Schema Registry): the value is the event's JSON with a
 * `schema-version` header. Registry mode (schemaRegistryCodec.ts) shares this
 * interface; `decode` reads either form without a registry client, and
 * configuredCodec.ts picks the mode.
 *
 * Only an event its topic's schema has parsed can be encoded: `ValidEvent` is
 * what `validateEvent` (and `decode`) return. Producers validate each event
 * while mapping (to reject what fails) and encode it without parsing it a
 * second time, which halved the zod work of a produce run. JSON.stringify of
 * a zod-parsed object follows the schema's key order, so the same event
 * always gives the same bytes.
 */
import type { IHeaders, KafkaMessage } from './kafka.ts';
import { topics, type EventOf, type TopicId } from './topics.ts';
import { AppError, formatZodIssues } from './errors.ts';

export const SCHEMA_VERSION_HEADER = 'schema-version';

/** Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the payload. */
export const REGISTRY_MAGIC_BYTE = 0;
export const REGISTRY_HEADER_BYTES = 5;

declare const validFor: unique symbol;

/** An event as its topic's schema parsed it (zod's fresh output: do not mutate it). A type only: nothing is stored. */
export type ValidEvent<Id extends TopicId> = EventOf<Id> & { readonly [validFor]: Id };

export interface EncodedEvent {
  key: string;
  value: Buffer;
  headers: IHeaders;
}

export interface EventCodec {
  encode<Id extends TopicId>(topic: Id, event: ValidEvent<Id>): Promise<EncodedEvent>;
  decode<Id extends TopicId>(topic: Id, message: Pick<KafkaMessage, 'value' | 'headers'>): Promise<ValidEvent<Id>>;
}

/** Parses an event with its topic's schema; the error names every bad field. */
export function validateEvent<Id extends TopicId>(topic: Id, candidate: unknown): ValidEvent<Id> {
  const result = topics[topic].schema.safeParse(candidate);
  if (!result.success) {
    throw new AppError('invalid_event', `event for ${topic} does not match its schema: ${formatZodIssues(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data as ValidEvent<Id>;
}

/** The message of an encoded value: the event's natural key and the schema-version header. */
export function encodedEvent<Id extends TopicId>(topic: Id, event: ValidEvent<Id>, value: Buffer): EncodedEvent {
  const definition = topics[topic];
  return {
    key: (definition.key as (e: EventOf<Id>) => string)(event),
    value,
    headers: { [SCHEMA_VERSION_HEADER]: String(definition.schemaVersion) },
  };
}

export function createJsonCodec(): EventCodec {
  return {
    async encode(topic, event) {
      return encodedEvent(topic, event, Buffer.from(JSON.stringify(event)));
    },
    async decode(topic, message) {
      return decode(topic, message);
    },
  };
}

/**
 * Reads a value in either form producers write: plain JSON (starts with `{`)
 * or registry-framed JSON (magic byte 0 and a schema id, then the JSON), and
 * validates it with the topic's zod schema. The registry's schemas are
 * generated from these zod schemas with BACKWARD compatibility, so the zod
 * schema reads whatever version wrote the value; no registry call is needed.
 */
export function decode<Id extends TopicId>(topic: Id, message: Pick<KafkaMessage, 'value' | 'headers'>): ValidEvent<Id> {
  const { value } = message;
  if (value === null) {
    throw new AppError('tombstone', `a tombstone on ${topic} carries no event`);
  }
  let body = value;
  if (value[0] === REGISTRY_MAGIC_BYTE) {
    if (value.length <= REGISTRY_HEADER_BYTES) {
      throw new AppError('undecodable_event', `value on ${topic} is a registry frame without a payload`);
    }
    body = value.subarray(REGISTRY_HEADER_BYTES);
  }
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new AppError('undecodable_event', `value on ${topic} is not JSON`, { cause: error });
  }
  return validateEvent(topic, parsedJson);
}
