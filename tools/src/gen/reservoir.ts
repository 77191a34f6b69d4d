import type { Random } from './random.ts';

export interface Reservoir<T> {
  offer(item: T): void;
  items(): readonly T[];
}

/** A uniform sample of at most `capacity` items from a stream of unknown length (Algorithm R): bounded memory at any scale. */
export function createReservoir<T>(capacity: number, random: Random): Reservoir<T> {
  const kept: T[] = [];
  let seen = 0;
  return {
    offer: (item) => {
      seen++;
      if (kept.length < capacity) {
        kept.push(item);
        return;
      }
      const slot = random.int(0, seen - 1);
      if (slot < capacity) kept[slot] = item;
    },
    items: () => kept,
  };
}
