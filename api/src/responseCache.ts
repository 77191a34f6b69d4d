/**
 * Serialised answers of read routes whose data only the projector changes
 * (the curriculum), kept in process until the projector's next change
 * (DECISIONS.md record 23). An entry is the body exactly as sent, validated
 * when it was stored, and its ETag: a hit skips the SQL, the response
 * validation and JSON.stringify.
 *
 * Invalidation is a generation number. Every change announced by the
 * database (projectionListener.ts) bumps it and empties the cache; a read
 * takes a ticket (the generation) before it queries, and its answer is
 * stored only if the generation is still the same afterwards. A read that
 * straddles a change may have seen the old rows, so it is served but not
 * kept. While the listener is not listening (starting, or its connection
 * lost), changes would go unheard: every lookup bypasses the cache, and
 * coming back empties it, since changes may have been missed meanwhile.
 *
 * Bounded by entries and by bytes; the least recently used goes first.
 */

export interface CachedResponse {
  /** The serialised JSON body. */
  body: Buffer;
  /** Its strong ETag. */
  etag: string;
}

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
  /** Stores the answer a `miss` computed, unless the cache changed generation since its ticket; returns whether it was kept. */
  store(key: string, ticket: number, response: CachedResponse): boolean;
  /** A projection table changed. */
  invalidate(): void;
  /** Whether changes are being heard; any switch empties the cache. */
  setListening(listening: boolean): void;
  readonly size: number;
  readonly bytes: number;
}

export function createResponseCache({ maxEntries, maxBytes, onLookup, onDiscard, onInvalidate }: ResponseCacheOptions): ResponseCache {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const entries = new Map<string, CachedResponse>();
  let bytes = 0;
  let generation = 0;
  let listening = false;

  const clear = (reason: InvalidationReason) => {
    generation += 1;
    entries.clear();
    bytes = 0;
    onInvalidate?.(reason);
  };
  const remove = (key: string, entry: CachedResponse) => {
    entries.delete(key);
    bytes -= entry.body.length;
  };

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
    store(key, ticket, response) {
      if (!listening || ticket !== generation) {
        onDiscard?.('raced');
        return false;
      }
      if (response.body.length > maxBytes) {
        onDiscard?.('too_large');
        return false;
      }
      const previous = entries.get(key);
      if (previous) remove(key, previous);
      entries.set(key, response);
      bytes += response.body.length;
      for (const [oldest, entry] of entries) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        remove(oldest, entry);
      }
      return true;
    },
    invalidate() {
      clear('change');
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
