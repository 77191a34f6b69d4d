/**
 * After the sources are produced: each source read completely becomes a
 * snapshot (DESIGN §3). The keys of the source that its files no longer hold
 * get a tombstone on their topic (compaction then drops them, so a replay
 * cannot bring them back; the projector deletes their rows), and a
 * snapshotTaken marker records the snapshot's time, which is when every
 * remaining row of the source was last seen. A source that is not a complete
 * snapshot, or whose removals are refused (snapshotDecision.ts), removes
 * nothing and gets no marker.
 */
import { validateEvent, type EventCodec } from '@medly/shared/codec';
import { HEADERS } from '@medly/shared/headers';
import type { Logger } from '@medly/shared/logger';
import type { SourceName } from '@medly/shared/reasons';
import { topicName } from '@medly/shared/topics';
import type { LiveKeys } from './liveKeys.ts';
import type { Publisher } from './publish.ts';
import type { SourceReport } from './report.ts';
import type { SourceRun } from './runSource.ts';
import { decideSnapshot } from './snapshotDecision.ts';

export interface SnapshotOptions {
  runs: ReadonlyMap<SourceName, SourceRun>;
  topicPrefix: string;
  importedAt: string;
  /** The run was limited to some sources (--source): no snapshot at all. */
  limited: boolean;
  allowRemovals: boolean;
}

export async function takeSnapshots(
  deps: { codec: EventCodec; publisher: Publisher; logger: Logger; live: LiveKeys },
  options: SnapshotOptions,
): Promise<Partial<Record<SourceName, SourceReport>>> {
  const { codec, publisher, logger, live } = deps;
  const reports: Partial<Record<SourceName, SourceReport>> = {};
  for (const [source, run] of options.runs) {
    const { live: liveKeys, keys: unproduced } = live.unproduced(source);
    const decision = decideSnapshot({
      source,
      complete: run.report.failures.length === 0,
      limited: options.limited,
      emptyFiles: run.emptyFiles,
      live: liveKeys,
      unproduced,
      allowRemovals: options.allowRemovals,
    });
    const report: SourceReport = { ...run.report, snapshot: decision.state };
    reports[source] = report;
    if (decision.state !== 'taken') {
      report.snapshotNote = decision.note;
      (decision.state === 'refused' ? logger.error : logger.warn).call(logger, { source }, decision.note);
      continue;
    }
    const headers = { [HEADERS.source]: source, [HEADERS.importedAt]: options.importedAt };
    for (const { topic, key } of decision.removals) {
      await publisher.enqueue({ topic: topicName(options.topicPrefix, topic), key, value: null, headers });
    }
    report.removed = decision.removals.length;
    const marker = await codec.encode(
      'snapshots',
      validateEvent('snapshots', { source, files: run.report.files, takenAt: options.importedAt, read: run.report.read, removed: report.removed }),
    );
    await publisher.enqueue({ topic: topicName(options.topicPrefix, 'snapshots'), ...marker, headers: { ...marker.headers, ...headers } });
    if (report.removed > 0) logger.info({ source, removed: report.removed }, 'keys the export no longer holds are removed');
  }
  return reports;
}
