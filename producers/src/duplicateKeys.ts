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
 *
 * What is remembered for the run is a 53-bit fingerprint (a number), never the
 * key string: strings from the JSON parser may be slices of the parser's 64 KB
 * input chunks, and keeping one keeps its whole chunk alive (that cost 1 GB
 * at 100×). A fingerprint collision (about 1 in 10^7 at 30,000 container keys)
 * would miscount one duplicate and change nothing that is produced.
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
  const runKeys = new Set<number>();
  return {
    /** A check for the events of one raw record: true when the key was seen before (in the run for containers, in the record otherwise). */
    forRecord(): RepeatedKey {
      const recordKeys = new Set<string>();
      return (topic, key) => {
        const id = `${topic}\u0000${key}`;
        if (RUN_SCOPED.has(topic)) return seenBefore(runKeys, cyrb53(id));
        return seenBefore(recordKeys, id);
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

function seenBefore<T>(seen: Set<T>, id: T): boolean {
  if (seen.has(id)) return true;
  seen.add(id);
  return false;
}

/** cyrb53 (public domain, bryc): a fast 53-bit string hash with good dispersion. */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
