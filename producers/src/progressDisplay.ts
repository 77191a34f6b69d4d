/**
 * How a run shows its progress: one cli-progress bar per source (bytes read of
 * its files) on a terminal, or structured pino lines (at most one per source
 * every few seconds) when the output is a pipe or a log collector.
 */
import type { Logger } from '@medly/shared/logger';
import type { SourceName } from '@medly/shared/reasons';
import cliProgress from 'cli-progress';

export interface ProgressCounts {
  bytesRead: number;
  read: number;
  produced: number;
}

export interface SourceProgress {
  start(source: SourceName, totalBytes: number): void;
  update(source: SourceName, counts: ProgressCounts): void;
  finish(source: SourceName, counts: ProgressCounts, failed: boolean): void;
  /** Ends the display (bars are redrawn a last time and released). */
  close(): void;
}

export const silentProgress: SourceProgress = {
  start() {},
  update() {},
  finish() {},
  close() {},
};

export function createTerminalProgress(stream: NodeJS.WriteStream): SourceProgress {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: '{source} [{bar}] {percentage}% | {read} read | {produced} produced{status}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 30,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<SourceName, cliProgress.SingleBar>();
  const payload = (source: SourceName, counts: ProgressCounts, status = '') => ({
    source: source.padEnd(9),
    read: counts.read.toLocaleString('en-US'),
    produced: counts.produced.toLocaleString('en-US'),
    status,
  });
  return {
    start(source, totalBytes) {
      bars.set(source, multibar.create(Math.max(totalBytes, 1), 0, payload(source, { bytesRead: 0, read: 0, produced: 0 })));
    },
    update(source, counts) {
      bars.get(source)?.update(counts.bytesRead, payload(source, counts));
    },
    finish(source, counts, failed) {
      const bar = bars.get(source);
      bar?.update(failed ? counts.bytesRead : bar.getTotal(), payload(source, counts, failed ? ' | FAILED' : ' | done'));
    },
    close() {
      multibar.stop();
    },
  };
}

export function createLogProgress(logger: Logger, intervalMs = 5_000): SourceProgress {
  const lastLogged = new Map<SourceName, number>();
  const totals = new Map<SourceName, number>();
  return {
    start(source, totalBytes) {
      totals.set(source, totalBytes);
      lastLogged.set(source, Date.now());
      logger.info({ source, totalBytes }, 'source started');
    },
    update(source, counts) {
      const now = Date.now();
      if (now - (lastLogged.get(source) ?? 0) < intervalMs) return;
      lastLogged.set(source, now);
      logger.info({ source, ...counts, totalBytes: totals.get(source) }, 'source progress');
    },
    finish(source, counts, failed) {
      logger[failed ? 'error' : 'info']({ source, ...counts }, failed ? 'source failed' : 'source done');
    },
    close() {},
  };
}
