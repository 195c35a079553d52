// A small seeded generator so that `npm run gen:examples` writes the same examples on every machine and every
// run: Math.random cannot be seeded, and the examples are committed, so any drift would show up as a diff.

/** FNV-1a: turns a readable seed ("cho-don") into the 32-bit state the generator starts from. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A fresh array in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream for a sub-task, so adding draws to one unit does not reshuffle every other unit. */
  fork(label: string): Rng;
}

/**
 * mulberry32: 32-bit state, full period, good enough for synthetic data and fully portable. The one copy in the
 * project: the tests, the fault injection and the benchmark province draw from it too (test/support/seeded-text.ts).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded by a readable name, with the helpers the example scripts use. */
export function createRng(seed: string): Rng {
  const next = mulberry32(hashSeed(seed));
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)]!;
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    fork: (label) => createRng(`${seed}/${label}`),
  };
}
