import { describe, expect, it } from "vitest";
import { bgnbdLogLikelihood } from "../analysis/bgnbd.js";
import { mulberry32 } from "../analysis/random.js";

describe("BG/NBD likelihood grouped by distinct (x, t_x, T)", () => {
  it("equals the sum of every customer's own likelihood, over thousands of distinct times", () => {
    const rand = mulberry32(23);
    const x: number[] = [];
    const tx: number[] = [];
    const T: number[] = [];
    for (let i = 0; i < 6_000; i++) {
      // 3,000 distinct observation lengths in days, repeated (groups of several customers),
      // and a −0 among the recencies: one time with 0
      const Ti = (1 + Math.floor(rand() * 3_000)) / 7;
      const xi = rand() < 0.4 ? 0 : 1 + Math.floor(rand() * 12);
      x.push(xi);
      T.push(Ti);
      tx.push(xi === 0 ? (i % 2 ? -0 : 0) : Math.floor(rand() * Ti * 7) / 7);
    }
    const p = { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
    let each = 0;
    for (let i = 0; i < x.length; i++) each += bgnbdLogLikelihood(p, [x[i]], [tx[i]], [T[i]]);
    const grouped = bgnbdLogLikelihood(p, x, tx, T);
    expect(Math.abs(grouped - each) / Math.abs(each)).toBeLessThan(1e-12);
    // the same customers in another order: same groups, same sum up to its order
    const order = x.map((_, i) => i).reverse();
    const again = bgnbdLogLikelihood(
      p,
      order.map((i) => x[i]),
      order.map((i) => tx[i]),
      order.map((i) => T[i]),
    );
    expect(Math.abs(again - each) / Math.abs(each)).toBeLessThan(1e-12);
  });
});

describe("BG/NBD grouping of times that are not whole days", () => {
  it("groups any times (fractions of a week from timestamps) as whole days are grouped", () => {
    const rand = mulberry32(5);
    const x: number[] = [];
    const tx: number[] = [];
    const T: number[] = [];
    for (let i = 0; i < 3_000; i++) {
      // whole days / 7, repeated
      const Ti = (1 + Math.floor(rand() * 400)) / 7;
      const xi = rand() < 0.4 ? 0 : 1 + Math.floor(rand() * 8);
      x.push(xi);
      T.push(Ti);
      tx.push(xi === 0 ? 0 : Math.floor(rand() * Ti * 7) / 7);
    }
    const p = { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
    const days = bgnbdLogLikelihood(p, x, tx, T);
    // one customer whose times are not days sends all of them through the general path
    const odd = { x: 3, tx: 10.123456789, T: 30.987654321 };
    const all = bgnbdLogLikelihood(p, [...x, odd.x], [...tx, odd.tx], [...T, odd.T]);
    const alone = bgnbdLogLikelihood(p, [odd.x], [odd.tx], [odd.T]);
    expect(Math.abs(all - (days + alone)) / Math.abs(all)).toBeLessThan(1e-12);
    // and in reverse order, to the last bit (the groups are summed in a fixed order)
    const rev = <V>(v: V[]) => [...v].reverse();
    expect(
      bgnbdLogLikelihood(p, rev([...x, odd.x]), rev([...tx, odd.tx]), rev([...T, odd.T])),
    ).toBe(all);
  });
});

describe("BG/NBD grouping with more distinct times than pairs of ranks fit in 31 bits", () => {
  it("groups 30,000 customers with 60,000 distinct times as any smaller set", () => {
    const rand = mulberry32(8);
    const x: number[] = [];
    const tx: number[] = [];
    const T: number[] = [];
    for (let i = 0; i < 30_000; i++) {
      const Ti = 1 + rand() * 100;
      const xi = rand() < 0.3 ? 0 : 1 + Math.floor(rand() * 6);
      x.push(xi);
      T.push(Ti);
      tx.push(xi === 0 ? 0 : rand() * Ti);
    }
    // a repeated customer makes a group of two
    x.push(x[5]);
    tx.push(tx[5]);
    T.push(T[5]);
    const p = { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
    const all = bgnbdLogLikelihood(p, x, tx, T);
    // thirds of them each have fewer than 46,341 distinct times: the paired path
    let parts = 0;
    for (let k = 0; k < 3; k++) {
      const lo = k * 10_001;
      const hi = Math.min(x.length, lo + 10_001);
      parts += bgnbdLogLikelihood(p, x.slice(lo, hi), tx.slice(lo, hi), T.slice(lo, hi));
    }
    expect(Math.abs(all - parts) / Math.abs(all)).toBeLessThan(1e-12);
    const rev = <V>(v: V[]) => [...v].reverse();
    expect(bgnbdLogLikelihood(p, rev(x), rev(tx), rev(T))).toBe(all);
  });
});
