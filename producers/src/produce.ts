/**
 * `produce()`: the sources of a data folder → keyed events on compacted
 * topics. Callable as a library (the import command uses it) as well as by
 * `pnpm produce`. Creates the topics that are missing, runs the sources side
 * by side through one idempotent producer, and returns the sources half of the
 * report with the end offset of every topic-partition it produced to (what a
 * caller waits for the projector to reach).
 */
import { stat } from 'node:fs/promises';
import type { EventCodec } from '@medly/shared/codec';
import { AppError } from '@medly/shared/errors';
import { ensureTopics } from '@medly/shared/ensureTopics';
import { ConfigResourceTypes, type Admin, type Producer } from '@medly/shared/kafka';
import type { Logger } from '@medly/shared/logger';
import { sourceName, type SourceName } from '@medly/shared/reasons';
import { topicIds, topicName } from '@medly/shared/topics';
import { discoverSourceFiles } from './discover.ts';
import { silentProgress, type SourceProgress } from './progressDisplay.ts';
import { createPublisher } from './publish.ts';
import { buildReport, hasFailures, type ProduceReport, type SourceReport } from './report.ts';
import { runSource } from './runSource.ts';

/** Kafka's default `message.max.bytes`, used when the topic does not say. */
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export interface KafkaClients {
  admin(): Admin;
  producer(config: { idempotent: boolean; maxInFlightRequests: number }): Producer;
}

export interface ProduceOptions {
  dataDir: string;
  /** Defaults to all four. */
  sources?: readonly SourceName[];
  topicPrefix: string;
  partitions: number;
  maxRecordBytes: number;
  /** When the import started (epoch ms; default now): a record's time more than a day after it is implausible. */
  importStartedAt?: number;
}

export interface ProduceDeps {
  kafka: KafkaClients;
  codec: EventCodec;
  logger: Logger;
  progress?: SourceProgress;
}

export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The partition's end offset after producing: the high watermark, the next offset to be written. */
  offset: number;
}

export interface ProduceResult {
  report: ProduceReport;
  /** Per topic-partition produced to in this run. */
  endOffsets: PartitionOffset[];
  /** True when a source file could not be read or parsed (the other sources were produced). */
  failed: boolean;
}

export async function produce(deps: ProduceDeps, options: ProduceOptions): Promise<ProduceResult> {
  const { kafka, codec, logger } = deps;
  const progress = deps.progress ?? silentProgress;
  const started = performance.now();
  const importStartedAt = options.importStartedAt ?? Date.now();
  const sources = [...new Set(options.sources ?? sourceName.options)];
  await assertFolder(options.dataDir);
  const filesBySource = await discoverSourceFiles(options.dataDir, sources);
  for (const source of sources) {
    if ((filesBySource.get(source) ?? []).length === 0) logger.warn({ source, dataDir: options.dataDir }, 'no files for this source');
  }

  const topics = topicIds.map((id) => topicName(options.topicPrefix, id));
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const touchedTopics = new Set<string>();
  try {
    await admin.connect();
    const created = await ensureTopics(admin, { topicPrefix: options.topicPrefix, partitions: options.partitions });
    if (created.length > 0) logger.info({ topics: created, partitions: options.partitions }, 'created topics');
    const maxMessageBytes = await smallestMaxMessageBytes(admin, topics);
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
      importStartedAt,
    };
    const outcomes = await Promise.allSettled(sources.map((source) => runSource(source, filesBySource.get(source) ?? [], context)));
    const firstError = outcomes.find((outcome) => outcome.status === 'rejected');
    if (firstError) throw firstError.reason;
    await publisher.flush();

    const sourceReports: Partial<Record<SourceName, SourceReport>> = {};
    sources.forEach((source, index) => {
      const outcome = outcomes[index];
      if (outcome?.status === 'fulfilled') sourceReports[source] = outcome.value;
    });
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
  const offsets: PartitionOffset[] = [];
  for (const topic of topics) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
      if (Number(high) > 0) offsets.push({ topic, partition, offset: Number(high) });
    }
  }
  return offsets.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}
