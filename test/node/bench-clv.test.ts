import { describe, expect, it } from "vitest";
import {
  benchClv,
  CDNOW_BGNBD,
  CDNOW_GAMMA_GAMMA,
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
