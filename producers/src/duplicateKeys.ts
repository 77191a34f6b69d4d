/**
 * Notices an event whose topic and key an earlier event of the same run
 * already had: the compacted topic keeps only the later one, so the earlier
 * is counted `deduplicated`, and for lessons and practice banks also as the
 * warning DESIGN §3 names.
 *
 * Keys are remembered as 53-bit fingerprints (a number each, about 30 bytes
 * in a Set), not as strings: a 100× export has about a million keys. Two keys
 * sharing a fingerprint (about 1 in 10^4 at a million keys) would miscount
 * one duplicate; they change nothing that is produced.
 */
import type { WarningReason } from '@medly/shared/reasons';
import type { TopicId } from '@medly/shared/topics';

const DUPLICATE_WARNING: Partial<Record<TopicId, WarningReason>> = {
  lessons: 'duplicate_lesson_id',
  practiceBanks: 'duplicate_bank_lesson_id',
};

export function createDuplicateKeys() {
  const seen = new Set<number>();
  return {
    /** Remembers the key; true when it was seen before in this run. */
    repeated(topic: TopicId, key: string): boolean {
      const fingerprint = cyrb53(`${topic}\u0000${key}`);
      if (seen.has(fingerprint)) return true;
      seen.add(fingerprint);
      return false;
    },
    get size() {
      return seen.size;
    },
  };
}

/** The warning a repeated key of this topic counts as, if DESIGN names one. */
export function duplicateWarningOf(topic: TopicId): WarningReason | undefined {
  return DUPLICATE_WARNING[topic];
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
