/**
 * `produce()`: the sources of a data folder → keyed events on compacted
 * topics. Callable as a library (the importer uses it) as well as by `pnpm
 * produce`. Creates the topics that are missing, reads what they hold
 * (readLiveKeys.ts), runs the sources side by side through one idempotent
 * producer, then makes each completely read source a snapshot (snapshot.ts:
 * tombstones for the keys its files no longer hold, and a snapshotTaken
 * marker). Returns the sources half of the report with the end offset of
 * every topic-partition it produced to (what a caller waits for the projector
 * to reach).
 */
import { stat } from 'node:fs/promises';
import type { EventCodec } from '@medly/shared/codec';
import { AppError } from '@medly/shared/errors';
import { ensureTopics } from '@medly/shared/ensureTopics';
import { ConfigResourceTypes, fetchEndOffsets, type Admin } from '@medly/shared/kafka';
import type { Logger } from '@medly/shared/logger';
import type { PartitionOffset } from '@medly/shared/partitionOffset';
import { sourceName, type SourceName } from '@medly/shared/reasons';
import { HEADERS } from '@medly/shared/headers';
import { allTopicNames, type TopicId } from '@medly/shared/topics';
import { discoverSourceFiles } from './discover.ts';
import type { KafkaClients } from './kafkaClients.ts';
import { silentProgress, type SourceProgress } from './progressDisplay.ts';
import { createPublisher } from './publish.ts';
import { buildReport, hasFailures, type ProduceReport } from './report.ts';
import { readLiveKeys } from './readLiveKeys.ts';
import type { LiveKeys } from './liveKeys.ts';
import { runSource, type SourceRun } from './runSource.ts';
import { takeSnapshots } from './snapshot.ts';

/** Kafka's default `message.max.bytes`, used when the topic does not say. */
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export interface ProduceOptions {
  dataDir: string;
  /** Defaults to all four. */
  sources?: readonly SourceName[];
  topicPrefix: string;
  partitions: number;
  maxRecordBytes: number;
  /**
   * The snapshot time: when the import started (default: now). Carried by every message as `imported-at`,
   * and a record's time more than a day after it is implausible.
   */
  importedAt?: Date;
  /** Apply snapshots that remove more than half of a source's keys, or that hold an empty file. */
  allowRemovals?: boolean;
}

export interface ProduceDeps {
  kafka: KafkaClients;
  codec: EventCodec;
  logger: Logger;
  progress?: SourceProgress;
}

export interface ProduceResult {
  report: ProduceReport;
  /** Per topic-partition produced to in this run: its end offset (high watermark, the next offset to be written). */
  endOffsets: PartitionOffset[];
  /** True when a source file could not be read or parsed (the other sources were produced). */
  failed: boolean;
}

export async function produce(deps: ProduceDeps, options: ProduceOptions): Promise<ProduceResult> {
  const { kafka, codec, logger } = deps;
  const progress = deps.progress ?? silentProgress;
  const started = performance.now();
  const importStartedAt = (options.importedAt ?? new Date()).getTime();
  const importedAt = new Date(importStartedAt).toISOString();
  const sources = [...new Set(options.sources ?? sourceName.options)];
  await assertFolder(options.dataDir);
  const filesBySource = await discoverSourceFiles(options.dataDir, sources);
  for (const source of sources) {
    if ((filesBySource.get(source) ?? []).length === 0) logger.warn({ source, dataDir: options.dataDir }, 'no files for this source');
  }

  const topics = allTopicNames(options.topicPrefix);
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const touchedTopics = new Set<string>();
  try {
    await admin.connect();
    const created = await ensureTopics(admin, { topicPrefix: options.topicPrefix, partitions: options.partitions });
    if (created.length > 0) logger.info({ topics: created, partitions: options.partitions }, 'created topics');
    const maxMessageBytes = await smallestMaxMessageBytes(admin, topics);
    const live = await readLiveKeys({ kafka, admin, logger }, options.topicPrefix);
    await producer.connect();
    const publisher = createPublisher({
      producer,
      maxBatchBytes: Math.min(900 * 1024, maxMessageBytes - 8 * 1024),
      onSent: (messages) => {
        for (const message of messages) touchedTopics.add(message.topic);
      },
    });
    const context = {
      codec,
      publisher,
      topicPrefix: options.topicPrefix,
      limits: { maxValueBytes: options.maxRecordBytes, maxMessageBytes },
      logger,
      progress,
      provenance: provenanceHeaders(live, importedAt),
      importStartedAt,
    };
    const outcomes = await Promise.allSettled(sources.map((source) => runSource(source, filesBySource.get(source) ?? [], context)));
    const firstError = outcomes.find((outcome) => outcome.status === 'rejected');
    if (firstError) throw firstError.reason;
    await publisher.flush();

    const runs = new Map<SourceName, SourceRun>();
    sources.forEach((source, index) => {
      const outcome = outcomes[index];
      if (outcome?.status === 'fulfilled') runs.set(source, outcome.value);
    });
    const sourceReports = await takeSnapshots(
      { codec, publisher, logger, live },
      { runs, topicPrefix: options.topicPrefix, importedAt, limited: options.sources !== undefined, allowRemovals: options.allowRemovals ?? false },
    );
    await publisher.flush();
    const report = buildReport({ sources: sourceReports, elapsedMs: performance.now() - started });
    const endOffsets = await endOffsetsOf(admin, [...touchedTopics].sort());
    logger.info({ messages: publisher.stats.messages, batches: publisher.stats.batches, elapsedMs: report.elapsedMs }, 'produced');
    return { report, endOffsets, failed: hasFailures(report) };
  } finally {
    progress.close();
    await producer.disconnect().catch((error: unknown) => {
      logger.warn({ err: error }, 'producer disconnect failed');
    });
    await admin.disconnect().catch((error: unknown) => {
      logger.warn({ err: error }, 'admin disconnect failed');
    });
  }
}

/** A message's provenance: its source, this import's time, and when its key (item, user) was first seen. */
function provenanceHeaders(live: LiveKeys, importedAt: string) {
  return (source: SourceName, topic: TopicId, key: string): Record<string, string> => {
    const seen = live.produce(topic, key);
    const headers: Record<string, string> = {
      [HEADERS.source]: source,
      [HEADERS.importedAt]: importedAt,
      [HEADERS.firstSeenAt]: seen.firstSeenAt ?? importedAt,
    };
    if (topic === 'itemAppearances') headers[HEADERS.itemFirstSeenAt] = seen.entityFirstSeenAt ?? importedAt;
    if (topic === 'attempts') headers[HEADERS.userFirstSeenAt] = seen.entityFirstSeenAt ?? importedAt;
    return headers;
  };
}

async function assertFolder(dataDir: string): Promise<void> {
  const info = await stat(dataDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new AppError('no_data_dir', `data folder ${dataDir} does not exist or is not a folder`);
}

/** The smallest `max.message.bytes` of the topics: no record batch may be larger. */
async function smallestMaxMessageBytes(admin: Admin, topics: readonly string[]): Promise<number> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] })),
  });
  const limits = described.resources
    .flatMap((resource) => resource.configEntries)
    .filter((entry) => entry.configName === 'max.message.bytes')
    .map((entry) => Number(entry.configValue))
    .filter((limit) => Number.isFinite(limit) && limit > 0);
  return limits.length > 0 ? Math.min(...limits) : DEFAULT_MAX_MESSAGE_BYTES;
}

async function endOffsetsOf(admin: Admin, topics: readonly string[]): Promise<PartitionOffset[]> {
  const offsets = (await fetchEndOffsets(admin, topics)).filter((end) => end.offset > 0);
  return offsets.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}
