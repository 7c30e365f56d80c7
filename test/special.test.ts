import { describe, expect, it } from "vitest";
import { digamma, gammaSign, hyp2f1, lbeta, lgamma } from "../analysis/special.js";

/** Relative closeness: |got − want| ≤ tol·max(1, |want|). */
function close(got: number, want: number, tol = 1e-12): void {
  expect(Number.isFinite(got)).toBe(true);
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));
}

describe("lgamma", () => {
  // Reference values from mpmath (30 digits).
  const known: [number, number][] = [
    [0.1, 2.2527126517342059],
    [0.5, 0.57236494292470009],
    [1, 0],
    [1.5, -0.12078223763524522],
    [2, 0],
    [3.7, 1.4280723266653881],
    [10, 12.80182748008147],
    [100, 359.1342053695754],
    [1e5, 1051287.7089736569],
    [-0.5, 1.2655121234846454],
    [-1.5, 0.86004701537648101],
    [-2.3, 0.36956666345500804],
  ];
  it.each(known)("lgamma(%d)", (x, want) => close(lgamma(x), want, 1e-13));

  it("matches log factorials and has poles at non-positive integers", () => {
    let logFact = 0;
    for (let n = 1; n <= 30; n++) {
      close(lgamma(n), logFact, 1e-13);
      logFact += Math.log(n);
    }
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
  });

  it("knows the sign of Γ", () => {
    expect([
      gammaSign(2.5),
      gammaSign(-0.5),
      gammaSign(-1.5),
      gammaSign(-2.5),
      gammaSign(-2),
    ]).toEqual([1, -1, 1, -1, 0]);
  });

  it("lbeta is symmetric and matches B(2,3) = 1/12", () => {
    close(lbeta(2, 3), Math.log(1 / 12), 1e-14);
    close(lbeta(0.7929, 2.4259), lbeta(2.4259, 0.7929), 1e-15);
  });
});

describe("digamma", () => {
  // mpmath.digamma.
  const known: [number, number][] = [
    [0.1, -10.423754940411076],
    [0.5, -1.9635100260214235],
    [1, -0.57721566490153286],
    [2.4259, 0.66615706651554196],
    [7.5, 1.9467574842460868],
    [100, 4.6001618527380874],
    [-0.5, 0.03648997397857652],
  ];
  it.each(known)("digamma(%d)", (x, want) => close(digamma(x), want, 1e-13));

  it("is the derivative of lgamma", () => {
    for (const x of [0.3, 1.7, 12.5]) {
      const h = 1e-5;
      close(digamma(x), (lgamma(x + h) - lgamma(x - h)) / (2 * h), 1e-8);
    }
  });
});

describe("hyp2f1", () => {
  // Reference values from mpmath.hyp2f1 (30 digits); they cover the direct series, Pfaff (z < 0),
  // the 1 − z connection formula, and its integer c − a − b case.
  const known: [number, number, number, number, number][] = [
    [1, 1, 2, 0.5, 1.3862943611198906],
    [1, 1, 2, 0.95, 3.1534023932147266],
    [1, 1, 2, 0.999, 6.9146699489310672],
    [1, 1, 2, -0.5, 0.81093021621632876],
    [1, 1, 2, -5, 0.358351893845611],
    [0.5, 0.5, 1.5, 0.98, 1.4434062357122706],
    [2.2426, 4.4259, 4.2188, 0.5, 5.1604300964121214],
    [2.2426, 4.4259, 4.2188, 0.97, 4670.7186657379058],
    [0.2426, 2.4259, 2.2188, 0.946, 2.3803420931221794],
    [0.2426, 2.4259, 2.2188, 0.9999, 29.883058114917169],
    [1.3, -0.4, 2.7, 0.93, 0.76667653670318713],
    [3.5, 1.5, 2.0, 0.85, 213.08399681363292],
    [-0.2071, -0.2071, 3.1, 0.99, 1.0150796331134107],
    [0.5, 0.5, 1.0, 0.9, 1.6412644143423708],
    [2.5, 1.2, 3.7, 0.999999, 41.848028192607816],
  ];
  it.each(known)("2F1(%d, %d; %d; %d)", (a, b, c, z, want) =>
    close(hyp2f1(a, b, c, z), want, 1e-9),
  );

  it("matches closed forms across the whole range of z", () => {
    for (const z of [-50, -2, -0.3, 0.1, 0.6, 0.79, 0.81, 0.9, 0.99, 0.99999]) {
      close(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-9);
      close(hyp2f1(1.7, 0.3, 0.3, z), Math.pow(1 - z, -1.7), 1e-9);
    }
    for (const x of [0.2, 0.7, 0.95, 0.999])
      close(hyp2f1(0.5, 0.5, 1.5, x * x), Math.asin(x) / x, 1e-9);
  });

  it("is a polynomial when a is a non-positive integer", () => {
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
    const b = 1.5,
      c = 2.5,
      z = 0.95;
    close(hyp2f1(-2, b, c, z), 1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 1e-14);
  });

  it("returns Gauss's sum at z = 1 and NaN outside its domain", () => {
    // 2F1(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)); for (1, 1; 3) that is 2.
    close(hyp2f1(1, 1, 3, 1), 2, 1e-12);
    expect(hyp2f1(1, 1, 2, 1)).toBe(Infinity);
    expect(hyp2f1(1, 1, 2, 1.5)).toBeNaN();
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN();
  });
});
