import type { Admin, Consumer, Producer } from '@medly/shared/kafka';

/** What the producers need of a Kafka client (a kafkajs Kafka, or a fake in tests). */
export interface KafkaClients {
  admin(): Admin;
  producer(config: { idempotent: boolean; maxInFlightRequests: number }): Producer;
  /** A reader of the topics' current keys (readLiveKeys.ts); nothing is committed. */
  consumer(config: {
    groupId: string;
    maxBytes: number;
    maxWaitTimeInMs: number;
    sessionTimeout: number;
    heartbeatInterval: number;
    allowAutoTopicCreation: boolean;
  }): Consumer;
}
