import { AppError } from '@medly/shared/errors';
import { validateEvent, type EventCodec } from '@medly/shared/codec';
import { ensureTopics } from '@medly/shared/ensureTopics';
import { fetchEndOffsets, partitionOfKey, type Admin, type Producer } from '@medly/shared/kafka';
import { topicName } from '@medly/shared/topics';
import { within } from '@medly/shared/within';
import type { ProfileEvents } from './profileUpdates.ts';

export interface ProfilePublisherOptions {
  producer: Producer;
  admin: Admin;
  codec: EventCodec;
  topicPrefix: string;
  partitions: number;
  /** How long a PATCH waits for the broker before answering 503 (kafkajs alone would retry for ~45 s). */
  timeoutMs?: number;
}

/**
 * The profile topic as PATCH sees it. `publish` sends a userProfileChanged
 * event with an idempotent producer, waiting for all in-sync replicas, and
 * resolves with the next offset after it (what a checkpoint must reach for it
 * to be applied). `endOffsetOf` says where a uid's partition ends now: every
 * change of that uid already produced lies below it. `settled` waits for every
 * send still in flight, one that outlived its timeout included (a send is
 * not cancelled: it may still land).
 *
 * Kafka is joined on first use, not at start-up, so the read API comes up
 * without a broker; a broker failure is a retryable AppError, which the
 * problem middleware answers with 503.
 */
export function createProfilePublisher({ producer, admin, codec, topicPrefix, partitions, timeoutMs = 5_000 }: ProfilePublisherOptions): ProfileEvents {
  const topic = topicName(topicPrefix, 'userProfiles');
  const inFlight = new Set<Promise<unknown>>();
  let ready: Promise<void> | undefined;
  const connect = async () => {
    await Promise.all([producer.connect(), admin.connect()]);
    // compacted and kept forever like every topic: the last event of a uid rebuilds its profile on replay
    await ensureTopics(admin, { topicPrefix, partitions });
  };
  /** Runs `work` once connected, bounded by the timeout (not cancelled by it); any failure is a retryable AppError. */
  async function withBroker<T>(work: () => Promise<T>, what: string, failure: string, { track = false } = {}): Promise<T> {
    const running = (async () => {
      ready ??= connect();
      await ready;
      return work();
    })();
    if (track) {
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running)).catch(() => undefined);
    }
    try {
      return await within(running, timeoutMs, what);
    } catch (error) {
      ready = undefined;
      throw new AppError('broker_unavailable', failure, { cause: error, retryable: true });
    }
  }

  return {
    async publish(event) {
      const encoded = await codec.encode('userProfiles', validateEvent('userProfiles', event));
      const send = () => producer.send({ topic, acks: -1, messages: [{ key: encoded.key, value: encoded.value, headers: encoded.headers }] });
      const [metadata] = await withBroker(send, 'an acknowledgement from the broker', 'the profile change could not be produced', { track: true });
      if (metadata?.baseOffset === undefined) {
        throw new AppError('no_offset', `the broker acknowledged ${topic} without an offset`, { retryable: true });
      }
      return { topic, partition: metadata.partition, offset: Number(metadata.baseOffset) + 1 };
    },
    async endOffsetOf(uid) {
      // fetchEndOffsets retries what a topic created a moment ago answers for a while
      const offsets = await withBroker(() => fetchEndOffsets(admin, [topic]), 'the end offsets of the profile topic', 'the profile topic could not be read');
      const end = offsets.find((entry) => entry.partition === partitionOfKey(uid, offsets.length));
      if (!end) throw new AppError('no_offset', `${topic} has no partition for ${uid}`, { retryable: true });
      return end;
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
