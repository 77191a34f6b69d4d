/**
 * Encodes events into Kafka message values and decodes them back.
 *
 * Plain mode (no Schema Registry): the value is the event's JSON, validated
 * by its zod schema, with a `schema-version` header. JSON.stringify of a
 * zod-parsed object follows the schema's key order, so the same event always
 * gives the same bytes. Registry mode (schemaRegistryCodec.ts) shares this
 * interface; `decode` reads either form without a registry client.
 */
import type { IHeaders, KafkaMessage } from './kafka.ts';
import { topics, type EventOf, type TopicId } from './topics.ts';
import { AppError, formatZodIssues } from './errors.ts';

export const SCHEMA_VERSION_HEADER = 'schema-version';

/** Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the payload. */
export const REGISTRY_MAGIC_BYTE = 0;
export const REGISTRY_HEADER_BYTES = 5;

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
      const parsed = validEvent(topic, event);
      return {
        key: (definition.key as (e: typeof parsed) => string)(parsed),
        value: Buffer.from(JSON.stringify(parsed)),
        headers: { [SCHEMA_VERSION_HEADER]: String(definition.schemaVersion) },
      };
    },
    async decode(topic, message) {
      return decode(topic, message);
    },
  };
}

/** Kept for existing callers: the same as `decode`, which also reads registry-framed values. */
export function decodeJson<Id extends TopicId>(topic: Id, message: Pick<KafkaMessage, 'value' | 'headers'>): EventOf<Id> {
  return decode(topic, message);
}

/**
 * Reads a value in either form producers write: plain JSON (starts with `{`)
 * or registry-framed JSON (magic byte 0 and a schema id, then the JSON), and
 * validates it with the topic's zod schema. The registry's schemas are
 * generated from these zod schemas with BACKWARD compatibility, so the zod
 * schema reads whatever version wrote the value; no registry call is needed.
 */
export function decode<Id extends TopicId>(topic: Id, message: Pick<KafkaMessage, 'value' | 'headers'>): EventOf<Id> {
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

/** The schema id of a registry-framed value, or undefined for plain JSON. */
export function registrySchemaIdOf(value: Buffer): number | undefined {
  return value[0] === REGISTRY_MAGIC_BYTE && value.length >= REGISTRY_HEADER_BYTES ? value.readUInt32BE(1) : undefined;
}

/**
 * Events validateEvent has returned, and for which topic. Producers validate
 * each event while mapping (to reject what fails) and then encode it: encode
 * trusts these instead of parsing them a second time, which halved the zod
 * work of a produce run. The objects are zod's fresh output; do not mutate them.
 */
const validatedFor = new WeakMap<object, TopicId>();

/** Parses an event with its topic's schema; the error names every bad field. */
export function validateEvent<Id extends TopicId>(topic: Id, candidate: unknown): EventOf<Id> {
  const result = topics[topic].schema.safeParse(candidate);
  if (!result.success) {
    throw new AppError('invalid_event', `event for ${topic} does not match its schema: ${formatZodIssues(result.error)}`, {
      cause: result.error,
    });
  }
  const event = result.data as EventOf<Id>;
  validatedFor.set(event, topic);
  return event;
}

/** The event as its topic's schema parses it: itself when validateEvent returned it for this topic, else validated now. */
export function validEvent<Id extends TopicId>(topic: Id, event: EventOf<Id>): EventOf<Id> {
  return validatedFor.get(event) === topic ? event : validateEvent(topic, event);
}

/**
 * The codec the configuration asks for: Schema Registry framing when
 * SCHEMA_REGISTRY_URL is set, plain JSON otherwise. The registry library is
 * imported only then: it loads every KMS SDK it supports (about 100 MB).
 */
export async function createConfiguredCodec(config: { SCHEMA_REGISTRY_URL?: string | undefined; TOPIC_PREFIX: string }): Promise<EventCodec> {
  if (!config.SCHEMA_REGISTRY_URL) return createJsonCodec();
  const { createSchemaRegistryClient, createSchemaRegistryCodec } = await import('./schemaRegistryCodec.ts');
  return createSchemaRegistryCodec({ client: createSchemaRegistryClient(config.SCHEMA_REGISTRY_URL), topicPrefix: config.TOPIC_PREFIX });
}
