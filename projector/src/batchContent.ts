/**
 * What a batch's new messages ask of the tables, decided per key: the newest
 * message of a key wins, so a key whose last message is a tombstone is
 * removed (its earlier events in the batch are dropped), and a key whose
 * last message is an event is upserted (a tombstone before it in the batch
 * changes nothing that the upsert does not). Pure, so the rule is tested on
 * its own; the order of keys across topics does not matter to the tables.
 */
import { topics, type TopicId } from '@medly/shared/topics';
import type { Decoded } from './decode.ts';
import { eventKey, type DeadLetter, type Envelope, type Tombstone } from './envelope.ts';

export interface BatchContent {
  events: Envelope[];
  tombstones: Tombstone[];
  deadLetters: DeadLetter[];
  /** Per full topic name, the keys whose newest message in the batch is an event or a tombstone: their dead letters are over. */
  settledKeys: Map<string, string[]>;
  /** The times of the imports the batch's messages come from (upsertCounts.ts). */
  runTimes: string[];
}

export function batchContent(items: readonly Decoded[]): BatchContent {
  const newest = new Map<string, Decoded>();
  const keyOf = (item: Decoded): string | undefined => {
    switch (item.kind) {
      case 'event':
        return `${item.envelope.position.topic}\u0000${eventKey(item.envelope)}`;
      case 'tombstone':
        return `${item.tombstone.position.topic}\u0000${item.tombstone.key}`;
      case 'deadLetter':
        return item.deadLetter.key === null ? undefined : `${item.deadLetter.position.topic}\u0000${item.deadLetter.key}`;
    }
  };
  const deadLetters: DeadLetter[] = [];
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  for (const { item, key } of keyed) {
    if (item.kind === 'deadLetter') deadLetters.push(item.deadLetter);
    if (key !== undefined) newest.set(key, item);
  }
  const events: Envelope[] = [];
  const tombstones: Tombstone[] = [];
  const settledKeys = new Map<string, string[]>();
  const settle = (topic: string, key: string) => {
    let keys = settledKeys.get(topic);
    if (!keys) settledKeys.set(topic, (keys = []));
    keys.push(key);
  };
  // Events keep their order in the batch (projections dedupe by key, the last one winning).
  for (const { item, key } of keyed) {
    if (key === undefined || newest.get(key) !== item) continue;
    if (item.kind === 'event') {
      events.push(item.envelope);
      settle(item.envelope.position.topic, eventKey(item.envelope));
    } else if (item.kind === 'tombstone') {
      tombstones.push(item.tombstone);
      settle(item.tombstone.position.topic, item.tombstone.key);
    }
  }
  const runTimes = [...new Set([...events, ...tombstones, ...deadLetters].map((message) => message.seen.importedAt))];
  return { events, tombstones, deadLetters, settledKeys, runTimes };
}

/** The key parts of one topic's tombstones, as its key function joined them. */
export function tombstoneKeys(tombstones: readonly Tombstone[], topicId: TopicId): string[][] {
  return tombstones.filter((tombstone) => tombstone.topicId === topicId).map((tombstone) => topics[topicId].keyParts(tombstone.key));
}
