import type { Random } from './random.ts';

/**
 * Decides, call after call, whether to inject an edge case so that about `rate`
 * of the calls get it: hits are spaced by seeded gaps of 0.5–1.5 × 1/rate and the
 * first one falls within the first 1/rate calls. Unlike a coin flip per call,
 * any run of at least 1/rate calls is sure to carry the case, so even the 1×
 * data shows every edge case, and the count grows linearly with the scale.
 */
export function createSampler(rate: number, random: Random): () => boolean {
  if (!(rate > 0)) return () => false;
  let call = 0;
  let nextHit = Math.floor(random.next() / rate);
  return () => {
    const hit = call === nextHit;
    if (hit) nextHit = call + Math.max(1, Math.floor((0.5 + random.next()) / rate));
    call++;
    return hit;
  };
}
