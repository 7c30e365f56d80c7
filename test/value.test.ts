import { describe, expect, it } from "vitest";
import { ascendingOrder, isValueRanking, rankByValue, valueRanking } from "../analysis/value.js";
import type { Dataset } from "../analysis/types.js";
import { mulberry32 as rng } from "../analysis/random.js";

/** Only customerIds is read by the ranking. */
const withIds = (ids: string[]) => ({ customerIds: ids }) as unknown as Dataset;

/** The ranking by its definition: a comparison sort, value descending, ties by ID then index. */
function referenceRanking(
  value: Float64Array,
  ids: string[],
  keep: (v: number) => boolean,
): number[] {
  const idx: number[] = [];
  for (let c = 0; c < value.length; c++) if (keep(value[c])) idx.push(c);
  return idx.sort(
    (x, y) => value[y] - value[x] || (ids[x] < ids[y] ? -1 : ids[x] > ids[y] ? 1 : x - y),
  );
}

/** Values with many ties, both zeros, infinities, NaN, tiny and huge magnitudes. */
function awkwardValues(rand: () => number, n: number): Float64Array {
  const pool = [
    0,
    -0,
    Infinity,
    -Infinity,
    NaN,
    5e-324,
    -5e-324,
    1e308,
    -1e308,
    0.1,
    0.2,
    0.1 + 0.2,
    7,
    7,
    -7,
  ];
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    v[i] =
      r < 0.4
        ? pool[Math.floor(rand() * pool.length)]
        : r < 0.7
          ? Math.round(rand() * 20) - 5
          : (rand() - 0.3) * 1e4;
  }
  return v;
}

describe("ascendingOrder (radix argsort)", () => {
  it("orders like a stable numeric sort, −0 before 0, on awkward values (property)", () => {
    const rand = rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const keys = awkwardValues(rand, 1 + Math.floor(rand() * 300)).map((x) =>
        Number.isNaN(x) ? 1 : x,
      );
      const want = Array.from(keys.keys()).sort((a, b) => {
        const x = keys[a];
        const y = keys[b];
        if (x !== y) return x < y ? -1 : 1;
        if (Object.is(x, -0) !== Object.is(y, -0)) return Object.is(x, -0) ? -1 : 1;
        return a - b;
      });
      expect(Array.from(ascendingOrder(keys))).toEqual(want);
    }
  });

  it("handles the empty and one-element cases", () => {
    expect(Array.from(ascendingOrder(new Float64Array(0)))).toEqual([]);
    expect(Array.from(ascendingOrder(Float64Array.of(-3)))).toEqual([0]);
  });
});

describe("valueRanking and rankByValue", () => {
  it("equal the comparison-sort definition, ties by ID (property)", () => {
    const rand = rng(5);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + Math.floor(rand() * 250);
      const value = awkwardValues(rand, n);
      // IDs out of index order, so ties really are decided by the ID
      const ids = Array.from({ length: n }, (_, i) => `c${(i * 7919) % 1009}-${i}`);
      const ds = withIds(ids);
      const notNaN = (v: number) => !Number.isNaN(v);
      const positive = (v: number) => v > 0;
      expect(Array.from(valueRanking(value, ds))).toEqual(referenceRanking(value, ids, notNaN));
      expect(Array.from(rankByValue(value, ds, positive))).toEqual(
        referenceRanking(value, ids, positive),
      );
      const shared = valueRanking(value, ds);
      expect(Array.from(rankByValue(value, ds, positive, shared))).toEqual(
        referenceRanking(value, ids, positive),
      );
    }
  });

  it("orders equal values by customer ID, not by index", () => {
    const value = Float64Array.of(5, 9, 5, 5, NaN, 0, -0);
    const ds = withIds(["d", "x", "b", "c", "n", "z", "a"]);
    expect(Array.from(valueRanking(value, ds))).toEqual([1, 2, 3, 0, 6, 5]);
  });

  it("recognises a ranking that still holds and rejects one that does not", () => {
    const value = Float64Array.of(3, 1, 2, NaN);
    const ds = withIds(["a", "b", "c", "d"]);
    const r = valueRanking(value, ds);
    expect(isValueRanking(r, value, ds)).toBe(true);
    expect(isValueRanking(Int32Array.of(0, 1, 2), value, ds)).toBe(false); // out of order
    expect(isValueRanking(Int32Array.of(0, 2), value, ds)).toBe(false); // a customer missing
    expect(isValueRanking(Int32Array.of(0, 0, 2), value, ds)).toBe(false); // a customer twice
    expect(isValueRanking(Int32Array.of(0, 2, 3), value, ds)).toBe(false); // NaN ranked
    expect(() => rankByValue(value, ds, () => true, Int32Array.of(1, 2, 0))).toThrow(
      /not the ranking/,
    );
    // a ranking made for other values is checked, not trusted
    const other = value.map((v, i) => (i === 0 ? -v : v));
    expect(() => rankByValue(other, ds, () => true, r)).toThrow(/not the ranking/);
    expect(Array.from(rankByValue(value, ds, () => true, r))).toEqual(Array.from(r));
  });

  it("ranks the values as they are at each call", () => {
    const value = Float64Array.of(3, 1, 2);
    const ds = withIds(["a", "b", "c"]);
    expect(Array.from(rankByValue(value, ds, () => true))).toEqual([0, 2, 1]);
    value[1] = 10;
    expect(Array.from(rankByValue(value, ds, () => true))).toEqual([1, 0, 2]);
    // the returned order is the caller's: changing it does not change the next answer
    rankByValue(value, ds, () => true).fill(0);
    expect(Array.from(rankByValue(value, ds, () => true))).toEqual([1, 0, 2]);
  });
});
