/**
 * A small, fast, seedable PRNG (mulberry32), uniform on [0, 1): deterministic sample data,
 * benchmark data and property tests all draw from it, so the same seed gives the same numbers
 * everywhere. Not for anything that needs cryptographic randomness.
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
