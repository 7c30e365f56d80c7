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
