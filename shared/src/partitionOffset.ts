/**
 * A place on a topic-partition: an event's position, a checkpoint, an end
 * offset. What `offset` counts is for the holder to say (a message's own
 * offset, or the next one: last applied + 1, a high watermark).
 */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: number;
}

/** One string per topic-partition, for maps keyed by partition (a topic name has no `/`). */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}/${String(partition)}`;
}
