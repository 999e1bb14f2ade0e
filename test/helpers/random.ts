// A small seeded PRNG (mulberry32) for tests that need uniform numbers from a fixed seed, where
// fast-check's biased generators are not what is wanted (uniform bytes, weighted picks).
export function mulberry32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
