import type { z } from 'zod';
import { attemptRecorded } from './events/attemptRecorded.ts';
import { itemAppeared } from './events/itemAppeared.ts';
import { lessonDefined } from './events/lessonDefined.ts';
import { paperDefined } from './events/paperDefined.ts';
import { practiceBankDefined } from './events/practiceBankDefined.ts';
import { questionDefined } from './events/questionDefined.ts';
import { recordRejected } from './events/recordRejected.ts';
import { snapshotTaken } from './events/snapshotTaken.ts';
import { userProfileChanged } from './events/userProfileChanged.ts';

interface TopicDefinition<Schema extends z.ZodTypeAny> {
  /** Name without TOPIC_PREFIX. */
  readonly name: string;
  readonly schema: Schema;
  /** Bumped on a breaking change of `schema`; sent as the `schema-version` header. */
  readonly schemaVersion: number;
  /** The event's natural identity: the same record always gets the same key. */
  readonly key: (event: z.infer<Schema>) => string;
  /** The key's parts, as `key` joined them (a tombstone names its row by them). */
  readonly keyParts: (key: string) => string[];
}

function defineTopic<Schema extends z.ZodTypeAny>(definition: TopicDefinition<Schema>): TopicDefinition<Schema> {
  return definition;
}

/** Every topic, its event schema and its key function: the contract between producers and projector. */
export const topics = {
  lessons: defineTopic({
    name: 'curriculum.lessons',
    schema: lessonDefined,
    schemaVersion: 1,
    key: (event) => event.lessonId,
    keyParts: (key) => [key],
  }),
  papers: defineTopic({
    name: 'curriculum.papers',
    schema: paperDefined,
    schemaVersion: 1,
    key: (event) => event.paperId,
    keyParts: (key) => [key],
  }),
  practiceBanks: defineTopic({
    name: 'curriculum.practice-banks',
    schema: practiceBankDefined,
    schemaVersion: 1,
    key: (event) => event.lessonId,
    keyParts: (key) => [key],
  }),
  questions: defineTopic({
    name: 'curriculum.questions',
    schema: questionDefined,
    schemaVersion: 1,
    key: (event) => joinKey([event.kind, event.containerId, event.stemId], '/'),
    keyParts: (key) => splitKey(key, '/'),
  }),
  itemAppearances: defineTopic({
    name: 'curriculum.item-appearances',
    schema: itemAppeared,
    schemaVersion: 1,
    key: (event) => joinKey([event.kind, event.containerId, event.questionId], '/'),
    keyParts: (key) => splitKey(key, '/'),
  }),
  attempts: defineTopic({
    name: 'users.attempts',
    schema: attemptRecorded,
    schemaVersion: 1,
    key: (event) => event.path,
    keyParts: (key) => [key],
  }),
  userProfiles: defineTopic({
    name: 'users.profiles',
    schema: userProfileChanged,
    schemaVersion: 1,
    key: (event) => event.uid,
    keyParts: (key) => [key],
  }),
  rejections: defineTopic({
    name: 'ingest.rejections',
    schema: recordRejected,
    schemaVersion: 1,
    key: (event) => joinKey([event.file, event.pointer], '#'),
    keyParts: (key) => splitKey(key, '#'),
  }),
  snapshots: defineTopic({
    name: 'ingest.snapshots',
    schema: snapshotTaken,
    schemaVersion: 1,
    key: (event) => event.source,
    keyParts: (key) => [key],
  }),
} as const;

export type Topics = typeof topics;
export type TopicId = keyof Topics;
export type EventOf<Id extends TopicId> = z.infer<Topics[Id]['schema']>;

export const topicIds = Object.keys(topics) as TopicId[];

/**
 * A composite key: its parts joined by `separator`, each with `%` and the
 * separator escaped (`%25`, `%2F` or `%23`), so ids that hold either still
 * give one key and split back exactly. Ids without them read as before:
 * `paper/p1/q1`, `user_data/u.json#/targets/x`.
 */
export function joinKey(parts: readonly string[], separator: '/' | '#'): string {
  const escaped = separator === '/' ? /[%/]/g : /[%#]/g;
  return parts.map((part) => part.replace(escaped, (character) => (character === '%' ? '%25' : separator === '/' ? '%2F' : '%23'))).join(separator);
}

export function splitKey(key: string, separator: '/' | '#'): string[] {
  return key.split(separator).map((part) => part.replace(/%(25|2F|23)/g, (_escape, code: string) => (code === '25' ? '%' : code === '2F' ? '/' : '#')));
}

/** The full topic name under a prefix (TOPIC_PREFIX isolates runs and tests). */
export function topicName(prefix: string, id: TopicId): string {
  return `${prefix}${topics[id].name}`;
}

/** Every topic's full name under a prefix: what the projector consumes and the producers create. */
export function allTopicNames(prefix: string): string[] {
  return topicIds.map((id) => topicName(prefix, id));
}

/** Reverse lookup for consumers: which topic id a full topic name belongs to, if any. */
export function topicIdOf(prefix: string, fullName: string): TopicId | undefined {
  return topicIds.find((id) => topicName(prefix, id) === fullName);
}
