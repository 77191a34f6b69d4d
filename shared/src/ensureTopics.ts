/**
 * The one place topics are created: every topic of the catalogue under a
 * prefix, compacted and kept forever, all at once. Whichever service starts
 * first (the import, `pnpm produce`, the projector, the API's first PATCH)
 * creates them all, so they never differ by who made them.
 */
import { ensureCompactedTopics, type Admin } from './kafka.ts';
import { allTopicNames } from './topics.ts';

export interface TopicLayout {
  topicPrefix: string;
  /** TOPIC_PARTITIONS: the partitions of a topic this call creates; existing topics keep theirs. */
  partitions: number;
}

/** Creates the missing topics of the catalogue; returns the names it created. */
export function ensureTopics(admin: Admin, { topicPrefix, partitions }: TopicLayout): Promise<string[]> {
  return ensureCompactedTopics(admin, allTopicNames(topicPrefix), partitions);
}
