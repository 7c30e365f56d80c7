import { describe, expect, it } from "vitest";
import { bgnbdLogLikelihood, bgnbdLogLikelihoodDerivatives, fitBgnbd } from "../analysis/bgnbd.js";
import { lgamma } from "../analysis/special.js";
import { drawSummary } from "../analysis/node/bench-clv.js";
import { cdnowSummary, HAVE_CDNOW } from "./helpers/cdnow.js";

const here = HAVE_CDNOW;

describe.skipIf(!here)("BG/NBD fit by Newton's method (issue 19 §5)", () => {
  const rows = here ? cdnowSummary() : [];
  const x = rows.map((r) => r.x);
  const tx = rows.map((r) => r.tx);
  const T = rows.map((r) => r.T);

  it("reaches the CDNOW maximum in a handful of likelihood evaluations", () => {
    const fit = fitBgnbd(x, tx, T);
    expect(fit.failure).toBeNull();
    // BFGS took 24 evaluations; Newton with the analytic Hessian squares the error each step,
    // 7 from each of the two starts
    expect(fit.evaluations).toBeLessThanOrEqual(16);
    // and the point is the maximum: moving any parameter by 1e-6 (relative) lowers the likelihood
    const p = fit.params;
    for (const k of ["r", "alpha", "a", "b"] as const) {
      for (const f of [1 - 1e-6, 1 + 1e-6]) {
        expect(bgnbdLogLikelihood({ ...p, [k]: p[k] * f }, x, tx, T)).toBeLessThan(fit.ll);
      }
    }
  });

  it("keeps the likelihood exact when a and b run off together (towards no dropout)", () => {
    // Beta(a, b) with a, b huge is all but a point mass at m = a/(a+b): every customer drops
    // out with probability m after each purchase. Against that likelihood computed directly,
    // the differences of lgamma at 1e12–1e22 of the old code were off by 1.4 and 1,072.
    const r = 0.24;
    const alpha = 4.4;
    const fixedDropout = (m: number): number => {
      let sum = 0;
      for (let i = 0; i < x.length; i++) {
        const base = lgamma(r + x[i]) - lgamma(r) + r * Math.log(alpha);
        const t1 = x[i] * Math.log1p(-m) - (r + x[i]) * Math.log(alpha + T[i]);
        if (x[i] === 0) {
          sum += base + t1;
          continue;
        }
        const t2 = Math.log(m) + (x[i] - 1) * Math.log1p(-m) - (r + x[i]) * Math.log(alpha + tx[i]);
        const top = Math.max(t1, t2);
        sum += base + top + Math.log(Math.exp(t1 - top) + Math.exp(t2 - top));
      }
      return sum;
    };
    for (const [a, b] of [
      [1e8, 1e12],
      [1e10, 1e22],
    ]) {
      const ll = bgnbdLogLikelihood({ r, alpha, a, b }, x, tx, T);
      expect(Math.abs(ll - fixedDropout(a / (a + b)))).toBeLessThan(1e-6);
    }
  });
});

describe("BG/NBD fit of many customers, started from a sample's fit", () => {
  it("reaches the maximum of all customers, whatever their order", () => {
    // customers drawn with r = 1, α = 10, a = 1, b = 3 (bench-clv.ts), observed 1–730 days
    const d = drawSummary(250_000, 11, { r: 1, alpha: 10, a: 1, b: 3 });
    const fit = fitBgnbd(d.x, d.tx, d.T);
    expect(fit.failure).toBeNull();
    expect(fit.customers).toBe(250_000);
    const p = fit.params;
    for (const k of ["r", "alpha", "a", "b"] as const) {
      for (const f of [1 - 1e-5, 1 + 1e-5]) {
        expect(bgnbdLogLikelihood({ ...p, [k]: p[k] * f }, d.x, d.tx, d.T)).toBeLessThan(fit.ll);
      }
    }
    // the sample is taken in the groups' fixed order, not the customers': same bits reversed
    const rev = fitBgnbd([...d.x].reverse(), [...d.tx].reverse(), [...d.T].reverse());
    expect(rev).toEqual(fit);
  });
});

describe("BG/NBD fit of a few customers whose maximum lies at infinity", () => {
  it("keeps r and α within e^±32, where r ln α − (r+x) ln(α+T) still has digits", () => {
    // 30 customers drawn with these parameters: the likelihood grows as r, α → ∞ together
    // (a plain Poisson rate); searched up to e^64 as a and b are, r = 9e18 and α = 8e20 gave
    // a log-likelihood of +6.9 made of rounding
    const d = drawSummary(30, 1045, { r: 0.524236, alpha: 29.071362, a: 1.222999, b: 11.828439 });
    const fit = fitBgnbd(Array.from(d.x), Array.from(d.tx), Array.from(d.T));
    expect(Math.abs(Math.log(fit.params.r))).toBeLessThanOrEqual(32);
    expect(Math.abs(Math.log(fit.params.alpha))).toBeLessThanOrEqual(32);
    expect(fit.ll).toBeLessThan(-70);
    expect(fit.converged).toBe(false);
  });
});

describe("BG/NBD likelihood with two hills", () => {
  it("finds the higher one: few customers ever dropping out, not all alike", () => {
    // 300,000 customers drawn with a = 0.001, b = 100. From a = b = 1 Newton's method climbs
    // towards a, b → ∞ together (log-likelihood −5,681,211.36); the maximum is at a = 1.8e-4,
    // b = 4.8 (−5,681,209.94), which the start at a = e^−2 reaches.
    const d = drawSummary(300_000, 5, { r: 0.5, alpha: 3, a: 0.001, b: 100 });
    const x = Array.from(d.x);
    const tx = Array.from(d.tx);
    const T = Array.from(d.T);
    const fit = fitBgnbd(x, tx, T);
    expect(fit.failure).toBeNull();
    expect(fit.params.a).toBeLessThan(0.01);
    const top = { r: 0.5136473, alpha: 3.1866767, a: 0.00018202083, b: 4.8275276 };
    expect(fit.ll).toBeGreaterThanOrEqual(bgnbdLogLikelihood(top, x, tx, T) - 1e-6);
  });
});

describe("BG/NBD derivatives", () => {
  it("gradient and Hessian match central differences of the likelihood and of the gradient", () => {
    const d = drawSummary(3_000, 21, { r: 0.6, alpha: 5, a: 0.7, b: 2.5 });
    const [x, tx, T] = [Array.from(d.x), Array.from(d.tx), Array.from(d.T)];
    // away from the maximum, where every entry matters; also far out towards no dropout
    for (const u of [
      [Math.log(0.9), Math.log(3), Math.log(1.5), Math.log(1.2)],
      [Math.log(0.5), Math.log(6), Math.log(1e-3), Math.log(4e3)],
    ]) {
      const at = (v: number[]) => ({
        r: Math.exp(v[0]),
        alpha: Math.exp(v[1]),
        a: Math.exp(v[2]),
        b: Math.exp(v[3]),
      });
      const here = bgnbdLogLikelihoodDerivatives(at(u), x, tx, T)!;
      const h = 1e-5;
      for (let i = 0; i < 4; i++) {
        const up = [...u];
        const down = [...u];
        up[i] += h;
        down[i] -= h;
        const fu = bgnbdLogLikelihoodDerivatives(at(up), x, tx, T)!;
        const fd = bgnbdLogLikelihoodDerivatives(at(down), x, tx, T)!;
        const slope = (fu.ll - fd.ll) / (2 * h);
        expect(Math.abs(slope - here.grad[i])).toBeLessThan(1e-5 * (1 + Math.abs(slope)));
        for (let j = 0; j < 4; j++) {
          const curve = (fu.grad[j] - fd.grad[j]) / (2 * h);
          expect(Math.abs(curve - here.hess[i * 4 + j])).toBeLessThan(1e-5 * (1 + Math.abs(curve)));
        }
      }
    }
  });
});
