/**
 * What the topics hold before a run: every live key (its last message is not
 * a tombstone), the source whose snapshot it belongs to and when an import
 * first produced it, read from the headers by readLiveKeys.ts. A run asks it
 * two things: when was this key (and its item, its user) first seen, so the
 * new message carries that time on; and, once a source is read completely,
 * which of its keys the new snapshot no longer holds.
 *
 * One number per key keeps memory at about the size of the key strings (at
 * 100× about a million keys): the indexes of two times in a small table of
 * distinct import times, the source, and whether this run produced the key.
 */
import { sourceName, type SourceName } from '@medly/shared/reasons';
import { topics, type TopicId } from '@medly/shared/topics';

export interface LiveMessage {
  key: string;
  source: SourceName;
  firstSeenAt: string;
  /** item-first-seen-at of an appearance, user-first-seen-at of an attempt. */
  entityFirstSeenAt?: string | undefined;
}

const TIME_SLOTS = 2 ** 20;
const SOURCES = sourceName.options;

/** The entity an event also stands for, whose first-seen time it carries: an appearance's item, an attempt's user. */
export function entityOf(topic: TopicId, key: string): string | undefined {
  if (topic === 'itemAppearances') return topics.itemAppearances.keyParts(key)[2];
  // Firebase paths: users/<uid>/subjectsWeb/…; a uid holds no `/`.
  if (topic === 'attempts') return key.split('/')[1];
  return undefined;
}

export function createLiveKeys() {
  const times: string[] = [];
  const timeSlots = new Map<string, number>();
  const byTopic = new Map<TopicId, Map<string, number>>();
  const entityFirstSeen = new Map<TopicId, Map<string, number>>();

  const slotOf = (time: string): number => {
    let slot = timeSlots.get(time);
    if (slot === undefined) {
      slot = times.length;
      if (slot >= TIME_SLOTS) throw new Error(`more than ${String(TIME_SLOTS)} distinct import times on the topics`);
      times.push(time);
      timeSlots.set(time, slot);
    }
    return slot;
  };
  const pack = (first: number, entity: number, source: number, produced: boolean) => ((first * TIME_SLOTS + entity) * 8 + source) * 2 + (produced ? 1 : 0);
  const unpack = (value: number) => ({
    produced: value % 2 === 1,
    source: Math.floor(value / 2) % 8,
    entity: Math.floor(value / 16) % TIME_SLOTS,
    first: Math.floor(value / 16 / TIME_SLOTS),
  });
  const keysOf = (topic: TopicId) => {
    let keys = byTopic.get(topic);
    if (!keys) byTopic.set(topic, (keys = new Map<string, number>()));
    return keys;
  };
  const earlier = (a: string, b: string | undefined) => (b === undefined || a < b ? a : b);

  return {
    /** A message read from the topic, in offset order: the latest one per key wins. */
    add(topic: TopicId, message: LiveMessage): void {
      const first = slotOf(message.firstSeenAt);
      const entity = slotOf(earlier(message.entityFirstSeenAt ?? message.firstSeenAt, message.firstSeenAt));
      keysOf(topic).set(message.key, pack(first, entity, SOURCES.indexOf(message.source), false));
    },
    /** A tombstone read from the topic. */
    remove(topic: TopicId, key: string): void {
      byTopic.get(topic)?.delete(key);
    },
    /** Called once the topics are read: the items' and users' first-seen times, from their live events. */
    seal(): void {
      for (const topic of ['itemAppearances', 'attempts'] as const) {
        const firstSeen = new Map<string, number>();
        for (const [key, value] of byTopic.get(topic) ?? []) {
          const entity = entityOf(topic, key);
          if (entity === undefined) continue;
          const slot = unpack(value).entity;
          const known = firstSeen.get(entity);
          if (known === undefined || (times[slot] ?? '') < (times[known] ?? '')) firstSeen.set(entity, slot);
        }
        entityFirstSeen.set(topic, firstSeen);
      }
    },
    /** When the key was first produced, if it is live; marks it produced by this run. */
    produce(topic: TopicId, key: string): { firstSeenAt?: string | undefined; entityFirstSeenAt?: string | undefined } {
      const keys = byTopic.get(topic);
      const value = keys?.get(key);
      const entity = entityOf(topic, key);
      const entitySlot = entity === undefined ? undefined : entityFirstSeen.get(topic)?.get(entity);
      const entityFirstSeenAt = entitySlot === undefined ? undefined : times[entitySlot];
      if (value === undefined || keys === undefined) return { entityFirstSeenAt };
      const unpacked = unpack(value);
      if (!unpacked.produced) keys.set(key, value + 1);
      return { firstSeenAt: times[unpacked.first], entityFirstSeenAt };
    },
    /** Live keys per source: how many there are, and those this run did not produce. */
    unproduced(source: SourceName): { live: number; keys: { topic: TopicId; key: string }[] } {
      const wanted = SOURCES.indexOf(source);
      let live = 0;
      const keys: { topic: TopicId; key: string }[] = [];
      for (const [topic, entries] of byTopic) {
        for (const [key, value] of entries) {
          const unpacked = unpack(value);
          if (unpacked.source !== wanted) continue;
          live += 1;
          if (!unpacked.produced) keys.push({ topic, key });
        }
      }
      return { live, keys };
    },
    get size(): number {
      let size = 0;
      for (const entries of byTopic.values()) size += entries.size;
      return size;
    },
  };
}

export type LiveKeys = ReturnType<typeof createLiveKeys>;
