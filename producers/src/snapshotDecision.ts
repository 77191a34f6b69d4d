/**
 * Whether a source's run is a snapshot that may remove keys (DESIGN §3,
 * "exports are snapshots"), and which: pure, so every safety rule is tested
 * directly. Only a complete read of every file of the source, in a run not
 * limited to some sources, may remove anything; a removal of more than half
 * of the source's live keys, or one by a snapshot with an empty file, needs
 * the user's explicit word (--allow-removals).
 */
import type { SourceName } from '@medly/shared/reasons';
import type { TopicId } from '@medly/shared/topics';

export interface SnapshotInput {
  source: SourceName;
  /** Every file of the source was read to its end (none failed to read or parse). */
  complete: boolean;
  /** The run was limited to some sources (--source). */
  limited: boolean;
  /** Files read completely that held no record. */
  emptyFiles: readonly string[];
  /** Keys of the source live on the topics before the run. */
  live: number;
  /** Those the run did not produce. */
  unproduced: readonly { topic: TopicId; key: string }[];
  allowRemovals: boolean;
}

export type SnapshotDecision =
  | { state: 'taken'; removals: readonly { topic: TopicId; key: string }[] }
  | { state: 'partial' | 'refused'; note: string };

export function decideSnapshot(input: SnapshotInput): SnapshotDecision {
  const { source, unproduced, live } = input;
  if (input.limited) return { state: 'partial', note: `${source}: a run limited with --source removes nothing` };
  if (!input.complete) return { state: 'partial', note: `${source}: a file was not read completely, so nothing of the source is removed` };
  const removing = unproduced.length;
  if (removing > 0 && !input.allowRemovals) {
    const why =
      input.emptyFiles.length > 0
        ? `${input.emptyFiles.join(', ')} holds no records`
        : removing * 2 > live
          ? 'more than half of them'
          : undefined;
    if (why !== undefined) {
      return {
        state: 'refused',
        note: `${source}: the export would remove ${String(removing)} of its ${String(live)} keys (${why}); nothing was removed. Rerun with --allow-removals to apply it.`,
      };
    }
  }
  return { state: 'taken', removals: unproduced };
}
