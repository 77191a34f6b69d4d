/**
 * Notices an event whose topic and key an earlier event of the same run
 * already had: the compacted topic keeps only the later one, so the earlier is
 * counted `deduplicated`, and for lessons and practice banks also as the
 * warning DESIGN §3 names.
 *
 * Memory stays flat as exports grow: only container keys (lessons, papers,
 * practice banks: one per lesson or paper) are remembered for the whole run.
 * Parts, stems and attempts are compared within their raw record (a part twice
 * in one bank); remembering every one of them would cost memory per attempt
 * and per part. Their repeats across records can only come from a repeated
 * bank or paper id, which is itself counted (and warned, for banks).
 */
import type { WarningReason } from '@medly/shared/reasons';
import type { TopicId } from '@medly/shared/topics';

const DUPLICATE_WARNING: Partial<Record<TopicId, WarningReason>> = {
  lessons: 'duplicate_lesson_id',
  practiceBanks: 'duplicate_bank_lesson_id',
};

/** Topics whose keys are remembered for the whole run. */
const RUN_SCOPED: ReadonlySet<TopicId> = new Set<TopicId>(['lessons', 'papers', 'practiceBanks']);

export type RepeatedKey = (topic: TopicId, key: string) => boolean;

export function createDuplicateKeys() {
  const runKeys = new Set<string>();
  return {
    /** A check for the events of one raw record: true when the key was seen before (in the run for containers, in the record otherwise). */
    forRecord(): RepeatedKey {
      const recordKeys = new Set<string>();
      return (topic, key) => {
        const scope = RUN_SCOPED.has(topic) ? runKeys : recordKeys;
        const id = `${topic}\u0000${key}`;
        if (scope.has(id)) return true;
        scope.add(id);
        return false;
      };
    },
    /** How many container keys the run remembers. */
    get size() {
      return runKeys.size;
    },
  };
}

/** The warning a repeated key of this topic counts as, if DESIGN names one. */
export function duplicateWarningOf(topic: TopicId): WarningReason | undefined {
  return DUPLICATE_WARNING[topic];
}
