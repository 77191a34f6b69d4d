/**
 * Sends encoded events in batches: `sendBatch`, acks from all in-sync
 * replicas, gzip (built into kafkajs; no native codec package needed), on a
 * producer created idempotent with one request in flight (kafkajs may reorder
 * otherwise). Parsing and sending overlap: callers fill the next batch while
 * the previous one is on the wire, and `enqueue` waits when `maxPendingBatches`
 * sealed batches are queued, so memory is bounded whatever the file size.
 *
 * A batch is sealed at `maxBatchMessages` messages or `maxBatchBytes`
 * (uncompressed), which keeps every per-partition record batch under the
 * broker's `max.message.bytes`. The time of sending goes into a `produced-at`
 * header, never into the value, so values stay byte-identical across runs.
 */
import { CompressionTypes, type IHeaders, type Producer } from '@medly/shared/kafka';

export const PRODUCED_AT_HEADER = 'produced-at';

export interface OutgoingMessage {
  topic: string;
  key: string;
  /** null: a tombstone, which compaction turns into the key's removal. */
  value: Buffer | null;
  headers: IHeaders;
}

export interface PublisherOptions {
  producer: Pick<Producer, 'sendBatch'>;
  maxBatchMessages?: number;
  maxBatchBytes?: number;
  maxPendingBatches?: number;
  now?: () => Date;
  /** Called after each batch the broker acknowledged. */
  onSent?: (messages: readonly OutgoingMessage[]) => void;
}

export type Publisher = ReturnType<typeof createPublisher>;

/** Key, value and header bytes plus a record's framing: what a message adds to a batch. */
export function messageBytes(message: Pick<OutgoingMessage, 'key' | 'value' | 'headers'>): number {
  let bytes = Buffer.byteLength(message.key) + (message.value?.length ?? 0) + 32;
  for (const [name, value] of Object.entries(message.headers)) {
    bytes += Buffer.byteLength(name) + (typeof value === 'string' || Buffer.isBuffer(value) ? Buffer.byteLength(value) : 16) + 8;
  }
  return bytes;
}

export function createPublisher(options: PublisherOptions) {
  const { producer, onSent } = options;
  const maxBatchMessages = options.maxBatchMessages ?? 1000;
  const maxBatchBytes = options.maxBatchBytes ?? 900 * 1024;
  const maxPendingBatches = options.maxPendingBatches ?? 2;
  const now = options.now ?? (() => new Date());

  let current: OutgoingMessage[] = [];
  let currentBytes = 0;
  const sealed: OutgoingMessage[][] = [];
  let sending = false;
  let failure: Error | undefined;
  // A function, not the variable: the sender sets it while callers are suspended in `await`.
  const failed = (): Error | undefined => failure;
  let roomWaiters: (() => void)[] = [];
  let idleWaiters: (() => void)[] = [];
  const stats = { messages: 0, batches: 0, bytes: 0 };

  const wake = (waiters: (() => void)[]) => {
    for (const resolve of waiters) resolve();
  };

  const send = async (batch: OutgoingMessage[]) => {
    const producedAt = now().toISOString();
    const byTopic = new Map<string, { key: string; value: Buffer | null; headers: IHeaders }[]>();
    for (const message of batch) {
      let messages = byTopic.get(message.topic);
      if (!messages) byTopic.set(message.topic, (messages = []));
      messages.push({ key: message.key, value: message.value, headers: { ...message.headers, [PRODUCED_AT_HEADER]: producedAt } });
    }
    await producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.GZIP,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    stats.batches += 1;
    stats.messages += batch.length;
    stats.bytes += batch.reduce((sum, message) => sum + messageBytes(message), 0);
    onSent?.(batch);
  };

  // One sender at a time: with one request in flight, batches reach the broker in the order they were sealed.
  const startSending = () => {
    if (sending) return;
    sending = true;
    void (async () => {
      try {
        for (let batch = sealed[0]; batch !== undefined && failed() === undefined; batch = sealed[0]) {
          try {
            await send(batch);
          } catch (error) {
            failure = error instanceof Error ? error : new Error(String(error));
            break;
          }
          sealed.shift();
          const waiters = roomWaiters;
          roomWaiters = [];
          wake(waiters);
        }
      } finally {
        sending = false;
        const waiters = [...roomWaiters, ...idleWaiters];
        roomWaiters = [];
        idleWaiters = [];
        wake(waiters);
      }
    })();
  };

  const seal = () => {
    if (current.length === 0) return;
    sealed.push(current);
    current = [];
    currentBytes = 0;
    startSending();
  };

  return {
    stats,
    /** Adds a message; resolves once there is room for more (rejects if sending has failed). */
    async enqueue(message: OutgoingMessage): Promise<void> {
      const before = failed();
      if (before) throw before;
      const bytes = messageBytes(message);
      if (current.length >= maxBatchMessages || (current.length > 0 && currentBytes + bytes > maxBatchBytes)) seal();
      current.push(message);
      currentBytes += bytes;
      while (sealed.length >= maxPendingBatches && failed() === undefined) {
        await new Promise<void>((resolve) => roomWaiters.push(resolve));
      }
      const after = failed();
      if (after) throw after;
    },
    /** Sends whatever is buffered and resolves when the broker has acknowledged all of it. */
    async flush(): Promise<void> {
      seal();
      while (sending || (sealed.length > 0 && failed() === undefined)) {
        if (!sending) startSending();
        await new Promise<void>((resolve) => idleWaiters.push(resolve));
      }
      const error = failed();
      if (error) throw error;
    },
  };
}
