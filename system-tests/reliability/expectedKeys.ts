/**
 * The oracle for fault tests: the (topic, key) of every event a clean produce
 * of a data folder sends, computed by the producers' own pure mapping without
 * any broker, and one snapshot marker per source. A run that survived a fault must leave exactly these on the topics.
 */
import { discoverSourceFiles } from '@medly/producers/discover';
import { mapSourceFile } from '@medly/producers/mapSourceFile';
import { sourceName } from '@medly/shared/reasons';
import { topicName, topics, type EventOf, type TopicId } from '@medly/shared/topics';
import type { KeyCounts } from './topicContents.ts';

export async function expectedKeyCounts(dataDir: string, topicPrefix: string): Promise<KeyCounts> {
  const counts: KeyCounts = new Map();
  const add = (topic: string, key: string) => {
    let perKey = counts.get(topic);
    if (!perKey) counts.set(topic, (perKey = new Map<string, number>()));
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
  };
  const files = await discoverSourceFiles(dataDir, sourceName.options);
  // Each source read completely ends with its snapshot marker.
  for (const [source, sourceFiles] of files) if (sourceFiles.length > 0) add(topicName(topicPrefix, 'snapshots'), source);
  for (const sourceFiles of files.values()) {
    for (const file of sourceFiles) {
      for await (const mapped of mapSourceFile(file, { onBytes: () => undefined, importStartedAt: Date.now() })) {
        for (const { topic, event } of mapped.events) {
          const keyOf = topics[topic].key as (event: EventOf<TopicId>) => string;
          add(topicName(topicPrefix, topic), keyOf(event));
        }
        for (const rejection of mapped.rejections) add(topicName(topicPrefix, 'rejections'), topics.rejections.key(rejection));
      }
    }
  }
  return counts;
}

/** The differences between two key counts, at most `limit` of them, as readable lines (empty when equal). */
export function keyCountDifferences(expected: KeyCounts, actual: KeyCounts, limit = 10): string[] {
  const differences: string[] = [];
  const topicNames = new Set([...expected.keys(), ...actual.keys()]);
  for (const topic of topicNames) {
    const want = expected.get(topic) ?? new Map<string, number>();
    const got = actual.get(topic) ?? new Map<string, number>();
    for (const key of new Set([...want.keys(), ...got.keys()])) {
      if ((want.get(key) ?? 0) !== (got.get(key) ?? 0)) {
        differences.push(`${topic} ${key}: expected ${want.get(key) ?? 0}, found ${got.get(key) ?? 0}`);
        if (differences.length >= limit) return differences;
      }
    }
  }
  return differences;
}
