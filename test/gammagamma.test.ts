import { describe, expect, it } from "vitest";
import {
  conditionalExpectedSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  type GammaGammaParams,
} from "../analysis/gammagamma.js";
import { cdnowSummary, HAVE_CDNOW } from "./helpers/cdnow.js";

/** Published CDNOW figures (Fader & Hardie 2013; ../shared/data/README.md). */
const PUBLISHED: GammaGammaParams = { p: 6.2496, q: 3.7442, v: 15.4435 };

const within = (got: number, want: number, rel = 0.005) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want));

describe("Gamma-Gamma conditional expected spend", () => {
  it("gives the published E[M] for CDNOW customers 1, 2 and 3", () => {
    within(conditionalExpectedSpend(PUBLISHED, 2, 22.35), 24.66);
    within(conditionalExpectedSpend(PUBLISHED, 1, 11.77), 18.91);
    within(conditionalExpectedSpend(PUBLISHED, 0, 0), 35.17);
  });

  it("moves from the population mean towards the customer's own mean as x grows", () => {
    const mean = conditionalExpectedSpend(PUBLISHED, 0, 0);
    expect(mean).toBeCloseTo((PUBLISHED.p * PUBLISHED.v) / (PUBLISHED.q - 1), 12);
    const own = 100;
    const em = [1, 5, 50, 5000].map((x) => conditionalExpectedSpend(PUBLISHED, x, own));
    for (let i = 1; i < em.length; i++) expect(em[i]).toBeGreaterThan(em[i - 1]);
    expect(em[3]).toBeCloseTo(own, 0);
    expect(em[0]).toBeGreaterThan(mean);
  });

  it("rejects customers outside the model (x = 0 or z̄ ≤ 0)", () => {
    expect(() => fitGammaGamma([0, 1], [5, 5])).toThrow(/x=0/);
    expect(() => fitGammaGamma([1], [0])).toThrow(/zbar=0/);
  });

  it("reports non-convergence when spend per purchase never varies", () => {
    // Everyone spends exactly 20 on every purchase: p → ∞ (no within-customer variation).
    const x = Array.from({ length: 30 }, (_, i) => 1 + (i % 5));
    const fit = fitGammaGamma(
      x,
      x.map(() => 20),
    );
    expect(fit.converged).toBe(false);
    expect(fit.failure).not.toBeNull();
  });
});

const here = HAVE_CDNOW;
if (!here)
  console.warn("gammagamma.test: ../shared/data/cdnow is absent; the CDNOW checks are skipped");

describe.skipIf(!here)("Gamma-Gamma on the published CDNOW summary", () => {
  const rows = here ? cdnowSummary().filter((r) => r.x > 0 && r.zbar > 0) : [];

  it("uses the 946 repeat customers and fits the published parameters within 0.5%", () => {
    expect(rows.length).toBe(946);
    const fit = fitGammaGamma(
      rows.map((r) => r.x),
      rows.map((r) => r.zbar),
    );
    expect(fit.converged).toBe(true);
    within(fit.params.p, PUBLISHED.p);
    within(fit.params.q, PUBLISHED.q);
    within(fit.params.v, PUBLISHED.v);
    const llPublished = gammaGammaLogLikelihood(
      PUBLISHED,
      rows.map((r) => r.x),
      rows.map((r) => r.zbar),
    );
    expect(fit.ll).toBeGreaterThanOrEqual(llPublished - 1e-6);
  });
});
