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
