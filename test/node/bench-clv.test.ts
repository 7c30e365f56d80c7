import { describe, expect, it } from "vitest";
import {
  benchBgnbdScale,
  benchClv,
  CDNOW_BGNBD,
  CDNOW_GAMMA_GAMMA,
  drawSummary,
  simulateCustomers,
} from "../../analysis/node/bench-clv.js";

const near = (got: number, want: number, rel: number) =>
  expect(Math.abs(got / want - 1)).toBeLessThanOrEqual(rel);

describe("benchClv", () => {
  it("draws the same customers for the same seed", () => {
    const a = simulateCustomers(500, 7).ds.orders;
    const b = simulateCustomers(500, 7).ds.orders;
    expect(Array.from(a.day)).toEqual(Array.from(b.day));
    expect(Array.from(a.amount)).toEqual(Array.from(b.amount));
    expect(Array.from(simulateCustomers(500, 8).ds.orders.day)).not.toEqual(Array.from(a.day));
  });

  it("fits 23,570 simulated customers and recovers the parameters they were drawn with", () => {
    // No time is asserted (SPEC §11: timings are printed by npm run bench, never tested).
    const r = benchClv();
    expect(r.customers).toBe(23_570);
    expect(r.converged).toBe(true);
    expect(r.seconds).toBeGreaterThan(0);
    const bg = r.params.bgnbd;
    const gg = r.params.gamma_gamma;
    // Sampling error: the means of the mixing distributions are well determined, a and b
    // (and γ against p) trade off along a ridge, so they get wider bounds.
    near(bg.r / bg.alpha, CDNOW_BGNBD.r / CDNOW_BGNBD.alpha, 0.08);
    near(bg.a / (bg.a + bg.b), CDNOW_BGNBD.a / (CDNOW_BGNBD.a + CDNOW_BGNBD.b), 0.1);
    near(bg.r, CDNOW_BGNBD.r, 0.1);
    near(bg.a, CDNOW_BGNBD.a, 0.25);
    near(bg.b, CDNOW_BGNBD.b, 0.25);
    const meanSpend = (p: typeof gg) => (p.p * p.v) / (p.q - 1);
    near(meanSpend(gg), meanSpend(CDNOW_GAMMA_GAMMA), 0.05);
    near(gg.q, CDNOW_GAMMA_GAMMA.q, 0.15);
  });
});

describe("benchBgnbdScale", () => {
  it("draws the same summary for the same seed, in whole days", () => {
    const a = drawSummary(2_000, 3);
    expect(Array.from(drawSummary(2_000, 3).tx)).toEqual(Array.from(a.tx));
    for (let i = 0; i < 2_000; i++) {
      // whole days / 7, as weeks counted from calendar days are
      expect(Math.round(a.T[i] * 7) / 7).toBe(a.T[i]);
      expect(Math.round(a.tx[i] * 7) / 7).toBe(a.tx[i]);
      expect(a.tx[i]).toBeLessThanOrEqual(a.T[i]);
      expect(a.x[i] > 0 || a.tx[i] === 0).toBe(true);
    }
  });

  it("fits the drawn customers and recovers the parameters they were drawn with", () => {
    const r = benchBgnbdScale(40_000);
    expect(r.customers).toBe(40_000);
    expect(r.converged).toBe(true);
    expect(r.evaluations).toBeGreaterThan(0);
    near(r.params.r / r.params.alpha, CDNOW_BGNBD.r / CDNOW_BGNBD.alpha, 0.08);
    near(r.params.r, CDNOW_BGNBD.r, 0.1);
    near(
      r.params.a / (r.params.a + r.params.b),
      CDNOW_BGNBD.a / (CDNOW_BGNBD.a + CDNOW_BGNBD.b),
      0.15,
    );
  });
});
