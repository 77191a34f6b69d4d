/**
 * Produces one source: every file of it, record by record, mapped, encoded,
 * size-checked and handed to the publisher, tallying the source's half of the
 * report as it goes. A file that cannot be read or parsed is a failure of the
 * source (recorded, logged, the next file goes on); a broker failure or a bug
 * is not caught here and stops the run.
 */
import { stat } from 'node:fs/promises';
import { validateEvent, type EncodedEvent, type EventCodec } from '@medly/shared/codec';
import type { RecordRejected } from '@medly/shared/events/recordRejected';
import { messageExcerpt } from '@medly/shared/excerpt';
import type { Logger } from '@medly/shared/logger';
import type { SourceName } from '@medly/shared/reasons';
import { topicName, type TopicId } from '@medly/shared/topics';
import type { SourceFile } from './discover.ts';
import { createDuplicateKeys, cyrb53, duplicateWarningOf } from './duplicateKeys.ts';
import { mapSourceFile } from './mapSourceFile.ts';
import type { SourceProgress } from './progressDisplay.ts';
import { messageBytes, type Publisher } from './publish.ts';
import { SourceFileError } from './readJsonRecords.ts';
import type { MappedRecord } from './sources/recorder.ts';
import { emptySourceReport, type SourceReport } from './report.ts';

export interface RecordLimits {
  /** MAX_RECORD_BYTES: the largest value produced. */
  maxValueBytes: number;
  /** The topics' `max.message.bytes`: the largest record batch the broker accepts. */
  maxMessageBytes: number;
}

/** Room left in a record batch for its header, the record framing and gzip's worst-case growth. */
const BATCH_OVERHEAD_BYTES = 4096;

export interface SourceRunContext {
  codec: EventCodec;
  publisher: Publisher;
  topicPrefix: string;
  limits: RecordLimits;
  logger: Logger;
  progress: SourceProgress;
  /** The provenance headers of a message (source, first seen…); marks its key produced by this run. */
  provenance: (source: SourceName, topic: TopicId, key: string) => Record<string, string>;
  /** When the import started (epoch ms), for the plausible window of the records' times. */
  importStartedAt: number;
}

export interface SourceRun {
  report: SourceReport;
  /** Files read completely that held no record. */
  emptyFiles: string[];
}

export async function runSource(source: SourceName, files: readonly SourceFile[], context: SourceRunContext): Promise<SourceRun> {
  const { codec, publisher, topicPrefix, limits, logger, progress, importStartedAt } = context;
  const report = emptySourceReport();
  report.files = files.map((file) => file.file);
  const duplicates = createDuplicateKeys();
  // Fingerprints, not the uid strings: a parser string can keep its 64 KB input chunk alive (see duplicateKeys.ts).
  const uids = new Set<number>();
  const counts = { bytesRead: 0, read: 0, produced: 0 };
  const sizes = await Promise.all(files.map(async (file) => (await stat(file.path).catch(() => ({ size: 0 }))).size));
  progress.start(source, sizes.reduce((sum, size) => sum + size, 0));

  const send = async (topic: TopicId, encoded: EncodedEvent) => {
    const headers = { ...encoded.headers, ...context.provenance(source, topic, encoded.key) };
    await publisher.enqueue({ topic: topicName(topicPrefix, topic), key: encoded.key, value: encoded.value, headers });
  };
  const reject = async (rejection: RecordRejected) => {
    const event = validateEvent('rejections', { ...rejection, message: rejection.message.slice(0, 4096) });
    await send('rejections', await codec.encode('rejections', event));
    report.rejected[rejection.reason] = (report.rejected[rejection.reason] ?? 0) + 1;
  };

  const deliver = async (mapped: MappedRecord, file: string) => {
    report.read += mapped.read;
    for (const warning of mapped.warnings) report.warnings[warning.reason] = (report.warnings[warning.reason] ?? 0) + 1;
    const repeated = duplicates.forRecord();
    for (const { topic, event } of mapped.events) {
      const encoded = await codec.encode(topic, event);
      const tooLarge = tooLargeMessage(encoded, limits);
      if (tooLarge !== undefined) {
        await reject({ source, file, pointer: event.source.pointer, reason: 'too_large', message: `${topic}: ${tooLarge}`, excerpt: messageExcerpt(encoded.value) });
        continue;
      }
      if (repeated(topic, encoded.key)) {
        report.deduplicated += 1;
        const warning = duplicateWarningOf(topic);
        if (warning) report.warnings[warning] = (report.warnings[warning] ?? 0) + 1;
      }
      await send(topic, encoded);
      report.produced += 1;
      if (topic === 'attempts') uids.add(cyrb53(event.uid));
    }
    for (const rejection of mapped.rejections) await reject(rejection);
  };

  const emptyFiles: string[] = [];
  for (const file of files) {
    logger.debug({ source, file: file.file }, 'reading');
    const readBefore = report.read;
    try {
      for await (const mapped of mapSourceFile(file, { onBytes: (bytes) => (counts.bytesRead += bytes), importStartedAt })) {
        await deliver(mapped, file.file);
        counts.read = report.read;
        counts.produced = report.produced;
        progress.update(source, counts);
      }
      if (report.read === readBefore) emptyFiles.push(file.file);
    } catch (error) {
      if (!(error instanceof SourceFileError)) throw error;
      report.failures.push({ file: error.file, message: error.message });
      logger.error({ source, file: error.file, err: error }, error.message);
    }
  }
  if (source === 'users') report.users = uids.size;
  progress.finish(source, counts, report.failures.length > 0);
  return { report, emptyFiles };
}

/** Why an encoded event cannot be produced, or undefined when it fits. */
export function tooLargeMessage(encoded: EncodedEvent, limits: RecordLimits): string | undefined {
  if (encoded.value.length > limits.maxValueBytes) {
    return `value is ${encoded.value.length} bytes, over the ${limits.maxValueBytes}-byte limit (MAX_RECORD_BYTES)`;
  }
  const bytes = messageBytes(encoded);
  if (bytes + BATCH_OVERHEAD_BYTES > limits.maxMessageBytes) {
    return `record is ${bytes} bytes, more than the topic's max.message.bytes (${limits.maxMessageBytes}) allows`;
  }
  return undefined;
}
