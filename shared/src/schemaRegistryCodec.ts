/**
 * Registry mode of the event codec (used when SCHEMA_REGISTRY_URL is set).
 *
 * Each topic has one subject, `<topic>-value` (TopicNameStrategy), holding a
 * JSON Schema generated from the topic's zod schema (zod-to-json-schema), with
 * BACKWARD compatibility: a new schema must read what the old one wrote, and
 * the registry refuses one that cannot. Values go through
 * @confluentinc/schemaregistry's JsonSerializer: Confluent's wire format,
 * magic byte 0 + 4-byte schema id + the JSON of the zod-parsed event (schema
 * key order, so the same event gives the same bytes for the same schema id).
 *
 * The subject is registered lazily, once per topic, on the first encode.
 * Decoding uses the library's JsonDeserializer (fetches the writer's schema
 * by id); plain-JSON values are read too. Consumers without a registry client
 * call `decode` from codec.ts, which reads both forms. Loaded only through
 * configuredCodec.ts, when a registry is configured.
 */
import sr from '@confluentinc/schemaregistry';
import { ignoreOverride, zodToJsonSchema, type JsonSchema7Type } from 'zod-to-json-schema';
import { decode, encodedEvent, REGISTRY_MAGIC_BYTE, validateEvent, type EventCodec } from './codec.ts';
import { AppError } from './errors.ts';
import { json } from './events/common.ts';
import { topicName, topics, type TopicId } from './topics.ts';

const { Compatibility, JsonDeserializer, JsonSerializer, SchemaRegistryClient, SerdeType, SubjectNameStrategyType } = sr;
type RegistryClient = sr.Client;
type Serializer = InstanceType<typeof JsonSerializer>;

export interface SchemaRegistryCodecOptions {
  client: RegistryClient;
  topicPrefix: string;
  /** Also check every value against the registered JSON Schema (ajv) before sending; zod has already validated it. */
  validate?: boolean;
}

export type SchemaRegistryCodec = EventCodec & {
  /** Registers the topic's schema (once) and returns its id. */
  register(topic: TopicId): Promise<number>;
};

/** A registry client for a Confluent-compatible REST endpoint (Confluent, Redpanda, Apicurio's ccompat API). */
export function createSchemaRegistryClient(url: string): RegistryClient {
  return new SchemaRegistryClient({ baseURLs: [url], maxRetries: 3, retriesWaitMs: 200, retriesMaxWaitMs: 2_000 });
}

export function subjectOf(topicPrefix: string, topic: TopicId): string {
  return `${topicName(topicPrefix, topic)}-value`;
}

/**
 * Any JSON value, as draft-07 says it: the schema `json` (events/common.ts)
 * checks in code, written out so the registered schemas are the ones the
 * earlier zod union gave, byte for byte.
 */
export const JSON_VALUE_SCHEMA: JsonSchema7Type = {
  anyOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'null' },
    { type: 'array', items: { $ref: '#/definitions/json' } },
    { type: 'object', additionalProperties: { $ref: '#/definitions/json' } },
  ],
};

/** The JSON Schema (draft-07) of a topic's events, as registered. Recursive JSON values share one definition. */
export function jsonSchemaOf(topic: TopicId): Record<string, unknown> {
  return zodToJsonSchema(topics[topic].schema, {
    target: 'jsonSchema7',
    $refStrategy: 'root',
    definitions: { json },
    override: (def, _refs, _seen, forceResolution) =>
      def === json._def ? (forceResolution ? JSON_VALUE_SCHEMA : { $ref: '#/definitions/json' }) : ignoreOverride,
  });
}

export function createSchemaRegistryCodec(options: SchemaRegistryCodecOptions): SchemaRegistryCodec {
  const { client, topicPrefix } = options;
  const ajvOptions = { validate: options.validate ?? false, validateFormats: false };
  const strategy = { subjectNameStrategyType: SubjectNameStrategyType.TOPIC };
  const serializers = new Map<TopicId, Promise<{ id: number; serializer: Serializer }>>();
  const deserializer = new JsonDeserializer(client, SerdeType.VALUE, { ...ajvOptions, ...strategy });

  const registered = (topic: TopicId) => {
    let entry = serializers.get(topic);
    if (!entry) {
      entry = registerSubject(client, subjectOf(topicPrefix, topic), jsonSchemaOf(topic)).then((id) => ({
        id,
        serializer: new JsonSerializer(client, SerdeType.VALUE, { useSchemaId: id, autoRegisterSchemas: false, ...ajvOptions, ...strategy }),
      }));
      // A failed registration (registry down) may be retried by a later call.
      entry.catch(() => serializers.delete(topic));
      serializers.set(topic, entry);
    }
    return entry;
  };

  return {
    async register(topic) {
      return (await registered(topic)).id;
    },
    async encode(topic, event) {
      const { serializer } = await registered(topic);
      let value: Buffer;
      try {
        value = await serializer.serialize(topicName(topicPrefix, topic), event);
      } catch (error) {
        throw new AppError('invalid_event', `event for ${topic} does not match its registered schema: ${String(error)}`, { cause: error });
      }
      return encodedEvent(topic, event, value);
    },
    async decode(topic, message) {
      if (message.value === null || message.value[0] !== REGISTRY_MAGIC_BYTE) return decode(topic, message);
      let payload: unknown;
      try {
        payload = await deserializer.deserialize(topicName(topicPrefix, topic), message.value);
      } catch (error) {
        throw new AppError('undecodable_event', `registry-framed value on ${topic} cannot be read: ${String(error)}`, { cause: error });
      }
      return validateEvent(topic, payload);
    },
  };
}

/** Sets the subject's compatibility to BACKWARD and registers the schema (the registry returns the existing id when unchanged). */
async function registerSubject(client: RegistryClient, subject: string, schema: Record<string, unknown>): Promise<number> {
  try {
    await client.updateCompatibility(subject, Compatibility.BACKWARD);
    return await client.register(subject, { schemaType: 'JSON', schema: JSON.stringify(schema) }, false);
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new AppError('schema_registry', `cannot register the schema of ${subject}: ${String(error)}`, {
      cause: error,
      // 409 is an incompatible schema, 422 an invalid one: no retry fixes those.
      retryable: status === undefined || status >= 500,
    });
  }
}
