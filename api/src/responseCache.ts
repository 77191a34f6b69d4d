/**
 * Serialised answers of read routes whose data only the projector changes,
 * kept in process until the database announces a change (DECISIONS.md
 * records 23 and 24). An entry is the body exactly as sent, validated when it
 * was stored, and its ETag: a hit skips the SQL, the response validation and
 * JSON.stringify. An entry may belong to a group (a user's answers, under
 * their uid), which a change of that user alone removes.
 *
 * Invalidation is by generation. Every announced change bumps the
 * generation: a change of everything empties the cache and remembers the
 * generation as `clearedAt`; a change of one group removes that group's
 * entries and remembers the generation for the group. A read takes a ticket
 * (the generation) before it queries, and its answer is stored only if
 * neither everything nor its group changed since: a read that straddles a
 * change may have seen the old rows, so it is served but not kept. The
 * remembered groups are bounded: past MAX_CHANGED_GROUPS the cache empties
 * itself and forgets them. While the listener is not listening (starting,
 * or its connection lost), changes would go unheard: every lookup bypasses
 * the cache, and coming back empties it, since changes may have been missed
 * meanwhile.
 *
 * Bounded by entries and by bytes; the least recently used goes first.
 */

export interface CachedResponse {
  /** The serialised JSON body. */
  body: Buffer;
  /** Its strong ETag. */
  etag: string;
}

interface Entry extends CachedResponse {
  group: string | undefined;
}

/** How many changed groups are remembered for tickets in flight before the whole cache is emptied instead. */
const MAX_CHANGED_GROUPS = 10_000;

export type CacheLookup =
  | { outcome: 'hit'; response: CachedResponse }
  | { outcome: 'miss'; ticket: number }
  | { outcome: 'bypass' };

export type CacheOutcome = CacheLookup['outcome'];

/** Why a miss's answer was not kept: a change came while it was read (or listening stopped), or it alone is over the byte bound. */
export type DiscardReason = 'raced' | 'too_large';

export interface ResponseCacheOptions {
  /** 0 turns the cache off: every lookup bypasses it. */
  maxEntries: number;
  maxBytes: number;
  onLookup?: (outcome: CacheOutcome) => void;
  onDiscard?: (reason: DiscardReason) => void;
  onInvalidate?: (reason: InvalidationReason) => void;
}

/** A change announced, or the listener (re)connected or lost: changes may have gone unheard. */
export type InvalidationReason = 'change' | 'listening' | 'lost';

export interface ResponseCache {
  lookup(key: string): CacheLookup;
  /**
   * Stores the answer a `miss` computed, in `group` if given, unless everything or that group changed since
   * its ticket; returns whether it was kept.
   */
  store(key: string, ticket: number, response: CachedResponse, group?: string): boolean;
  /** Everything may have changed (a projection table), or, given a group, only what is kept in that group. */
  invalidate(group?: string): void;
  /** Whether changes are being heard; any switch empties the cache. */
  setListening(listening: boolean): void;
  readonly size: number;
  readonly bytes: number;
}

export function createResponseCache({ maxEntries, maxBytes, onLookup, onDiscard, onInvalidate }: ResponseCacheOptions): ResponseCache {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const entries = new Map<string, Entry>();
  const keysOfGroup = new Map<string, Set<string>>();
  /** The generation at which each group last changed, while a ticket taken before it may be in flight. */
  const groupChangedAt = new Map<string, number>();
  let bytes = 0;
  let generation = 0;
  let clearedAt = 0;
  let listening = false;

  const clear = (reason: InvalidationReason) => {
    generation += 1;
    clearedAt = generation;
    entries.clear();
    keysOfGroup.clear();
    groupChangedAt.clear();
    bytes = 0;
    onInvalidate?.(reason);
  };
  const remove = (key: string, entry: Entry) => {
    entries.delete(key);
    bytes -= entry.body.length;
    if (entry.group === undefined) return;
    const keys = keysOfGroup.get(entry.group);
    keys?.delete(key);
    if (keys?.size === 0) keysOfGroup.delete(entry.group);
  };
  const invalidateGroup = (group: string) => {
    if (groupChangedAt.size >= MAX_CHANGED_GROUPS) {
      clear('change');
      return;
    }
    generation += 1;
    groupChangedAt.set(group, generation);
    for (const key of keysOfGroup.get(group) ?? []) {
      const entry = entries.get(key);
      if (entry) remove(key, entry);
    }
    onInvalidate?.('change');
  };
  const changedSince = (ticket: number, group: string | undefined) =>
    clearedAt > ticket || (group !== undefined && (groupChangedAt.get(group) ?? 0) > ticket);

  return {
    lookup(key) {
      if (!listening || maxEntries === 0) {
        onLookup?.('bypass');
        return { outcome: 'bypass' };
      }
      const entry = entries.get(key);
      if (entry === undefined) {
        onLookup?.('miss');
        return { outcome: 'miss', ticket: generation };
      }
      entries.delete(key);
      entries.set(key, entry);
      onLookup?.('hit');
      return { outcome: 'hit', response: entry };
    },
    store(key, ticket, response, group) {
      if (!listening || changedSince(ticket, group)) {
        onDiscard?.('raced');
        return false;
      }
      if (response.body.length > maxBytes) {
        onDiscard?.('too_large');
        return false;
      }
      const previous = entries.get(key);
      if (previous) remove(key, previous);
      entries.set(key, { ...response, group });
      bytes += response.body.length;
      if (group !== undefined) {
        const keys = keysOfGroup.get(group);
        if (keys) keys.add(key);
        else keysOfGroup.set(group, new Set([key]));
      }
      for (const [oldest, entry] of entries) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        remove(oldest, entry);
      }
      return true;
    },
    invalidate(group) {
      if (group === undefined) clear('change');
      else invalidateGroup(group);
    },
    setListening(now) {
      if (now === listening) return;
      listening = now;
      clear(now ? 'listening' : 'lost');
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
