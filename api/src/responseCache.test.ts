import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createResponseCache, type CacheLookup, type ResponseCacheOptions } from './responseCache.ts';

const answer = (text: string) => ({ body: Buffer.from(text), etag: `"${text}"` });

function listeningCache(options: Partial<ResponseCacheOptions> = {}) {
  const cache = createResponseCache({ maxEntries: 10, maxBytes: 1024, ...options });
  cache.setListening(true);
  return cache;
}

function ticketOf(lookup: CacheLookup): number {
  if (lookup.outcome !== 'miss') throw new Error(`expected a miss, got ${lookup.outcome}`);
  return lookup.ticket;
}

test('a miss stores its answer; the next lookup is a hit with the same bytes and tag', () => {
  const cache = listeningCache();
  const stored = cache.store('/papers/p1', ticketOf(cache.lookup('/papers/p1')), answer('{"paperId":"p1"}'));
  assert.ok(stored);
  const hit = cache.lookup('/papers/p1');
  assert.is(hit.outcome, 'hit');
  if (hit.outcome !== 'hit') return;
  assert.is(hit.response.body.toString(), '{"paperId":"p1"}');
  assert.is(hit.response.etag, '"{"paperId":"p1"}"');
  assert.is(cache.lookup('/papers/p1?x=1').outcome, 'miss', 'the query is part of the key');
});

test('a read that straddles a change is served but not stored; the next read is', () => {
  const discards: string[] = [];
  const cache = listeningCache({ onDiscard: (reason) => discards.push(reason) });
  const ticket = ticketOf(cache.lookup('/lessons/l1'));
  // The projector commits while the read runs: it may have seen the old rows.
  cache.invalidate();
  assert.not.ok(cache.store('/lessons/l1', ticket, answer('old')));
  assert.is(cache.lookup('/lessons/l1').outcome, 'miss');
  assert.equal(discards, ['raced']);
  assert.ok(cache.store('/lessons/l1', ticketOf(cache.lookup('/lessons/l1')), answer('new')));
  assert.is(cache.lookup('/lessons/l1').outcome, 'hit');
});

test('a change empties what is stored', () => {
  const cache = listeningCache();
  for (const key of ['/a', '/b']) cache.store(key, ticketOf(cache.lookup(key)), answer(key));
  assert.is(cache.size, 2);
  cache.invalidate();
  assert.is(cache.size, 0);
  assert.is(cache.bytes, 0);
  assert.is(cache.lookup('/a').outcome, 'miss');
});

test('bounded by entries: the least recently used goes first', () => {
  const cache = listeningCache({ maxEntries: 2 });
  const put = (key: string) => cache.store(key, ticketOf(cache.lookup(key)), answer(key));
  put('/a');
  put('/b');
  assert.is(cache.lookup('/a').outcome, 'hit'); // /a is now the most recently used
  put('/c');
  assert.is(cache.size, 2);
  assert.is(cache.lookup('/b').outcome, 'miss', '/b was the least recently used');
  assert.is(cache.lookup('/a').outcome, 'hit');
  assert.is(cache.lookup('/c').outcome, 'hit');
});

test('bounded by bytes; an answer larger than the bound alone is not stored', () => {
  const discards: string[] = [];
  const cache = listeningCache({ maxBytes: 10, onDiscard: (reason) => discards.push(reason) });
  const put = (key: string, text: string) => cache.store(key, ticketOf(cache.lookup(key)), answer(text));
  assert.ok(put('/a', '12345'));
  assert.ok(put('/b', '12345'));
  assert.is(cache.bytes, 10);
  assert.ok(put('/c', '123'));
  assert.is(cache.bytes, 8, '/a went to make room');
  assert.is(cache.lookup('/a').outcome, 'miss');
  assert.not.ok(put('/big', '12345678901'));
  assert.equal(discards, ['too_large']);
  assert.ok(cache.bytes <= 10);
});

test('not listening: every lookup bypasses, nothing is stored; coming back starts empty', () => {
  const lookups: string[] = [];
  const invalidations: string[] = [];
  const cache = createResponseCache({
    maxEntries: 10,
    maxBytes: 1024,
    onLookup: (outcome) => lookups.push(outcome),
    onInvalidate: (reason) => invalidations.push(reason),
  });
  assert.is(cache.lookup('/a').outcome, 'bypass', 'not yet listening');
  cache.setListening(true);
  const ticket = ticketOf(cache.lookup('/a'));
  cache.store('/a', ticket, answer('a'));
  const straddling = ticketOf(cache.lookup('/b'));
  // The connection is lost: changes may be missed from now on.
  cache.setListening(false);
  assert.is(cache.size, 0);
  assert.is(cache.lookup('/a').outcome, 'bypass');
  assert.not.ok(cache.store('/b', straddling, answer('b')), 'a read begun before the loss is not kept');
  cache.setListening(true);
  // A read begun while not listening has no ticket; one begun before the loss has a stale one.
  assert.not.ok(cache.store('/b', straddling, answer('b')));
  assert.is(cache.lookup('/a').outcome, 'miss');
  assert.equal(lookups, ['bypass', 'miss', 'miss', 'bypass', 'miss']);
  assert.equal(invalidations, ['listening', 'lost', 'listening']);
});

test('0 entries: the cache is off', () => {
  const cache = listeningCache({ maxEntries: 0 });
  assert.is(cache.lookup('/a').outcome, 'bypass');
});

test('a group change removes only that group\'s answers, and keeps a read that straddled it out of that group alone', () => {
  const invalidations: string[] = [];
  const cache = listeningCache({ onInvalidate: (reason) => invalidations.push(reason) });
  const put = (key: string, group: string | undefined) => cache.store(key, ticketOf(cache.lookup(key)), answer(key), group);
  put('/users/a/progress', 'a');
  put('/users/a/activity', 'a');
  put('/users/b/progress', 'b');
  put('/lessons/l1', undefined);
  const straddlingA = ticketOf(cache.lookup('/users/a/activity?limit=5'));
  const straddlingB = ticketOf(cache.lookup('/users/b/activity'));
  cache.invalidate('a');
  assert.equal(invalidations, ['listening', 'change']);
  assert.is(cache.lookup('/users/a/progress').outcome, 'miss');
  assert.is(cache.lookup('/users/a/activity').outcome, 'miss');
  assert.is(cache.lookup('/users/b/progress').outcome, 'hit');
  assert.is(cache.lookup('/lessons/l1').outcome, 'hit');
  assert.is(cache.size, 2);
  assert.not.ok(cache.store('/users/a/activity?limit=5', straddlingA, answer('old'), 'a'), 'a read of a straddled by its change');
  assert.ok(cache.store('/users/b/activity', straddlingB, answer('b'), 'b'), 'b did not change');
  cache.invalidate();
  assert.is(cache.size, 0);
  assert.ok(put('/users/a/progress', 'a'), 'a group can be filled again');
  cache.invalidate('a');
  assert.is(cache.bytes, 0);
});

test.run();
