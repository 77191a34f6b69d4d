import { createJsonCodec, type EventCodec } from './codec.ts';

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
