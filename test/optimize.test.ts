import { describe, expect, it } from "vitest";
import { minimize, minimizeBfgs, minimizeNewton, symmetricEigen } from "../analysis/optimize.js";

/** Rosenbrock's banana valley: minimum 0 at (1, 1), a classic trap for naive minimisers. */
const rosenbrock = (x: ArrayLike<number>): number =>
  100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
const rosenbrockGrad = (x: Float64Array, g: Float64Array): number => {
  g[0] = -400 * x[0] * (x[1] - x[0] * x[0]) - 2 * (1 - x[0]);
  g[1] = 200 * (x[1] - x[0] * x[0]);
  return rosenbrock(x);
};

describe("minimize (Nelder–Mead with restarts)", () => {
  it("finds the Rosenbrock minimum and says it converged", () => {
    const r = minimize(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.restarts).toBeGreaterThanOrEqual(1);
  });

  it("reports non-convergence when it runs out of evaluations", () => {
    const r = minimize(rosenbrock, [-1.2, 1], { maxEvaluations: 30 });
    expect(r.converged).toBe(false);
    expect(r.evaluations).toBeLessThanOrEqual(40);
  });

  it("walks away from non-finite values", () => {
    const r = minimize((x) => (x[0] < 0 ? NaN : (x[0] - 2) ** 2), [1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(2, 5);
  });

  it("is deterministic", () => {
    expect(minimize(rosenbrock, [-1.2, 1])).toEqual(minimize(rosenbrock, [-1.2, 1]));
  });
});

describe("minimizeBfgs", () => {
  it("finds the Rosenbrock minimum in far fewer evaluations", () => {
    const r = minimizeBfgs(rosenbrockGrad, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.evaluations).toBeLessThan(200);
  });

  it("reports non-convergence on an unbounded function", () => {
    const r = minimizeBfgs(
      (x, g) => {
        g[0] = -1;
        return -x[0];
      },
      [0],
    );
    expect(r.converged).toBe(false);
  });
});

const rosenbrockHess = (x: Float64Array, g: Float64Array, h: Float64Array): number => {
  h[0] = 1200 * x[0] * x[0] - 400 * x[1] + 2;
  h[1] = h[2] = -400 * x[0];
  h[3] = 200;
  return rosenbrockGrad(x, g);
};

describe("minimizeNewton (trust region, analytic Hessian)", () => {
  it("finds the Rosenbrock minimum to the last digits in few evaluations", () => {
    const r = minimizeNewton(rosenbrockHess, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-12);
    expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-12);
    // BFGS takes ~50 here, Nelder–Mead hundreds
    expect(r.evaluations).toBeLessThan(40);
  });

  it("walks out of a saddle, where the Hessian is indefinite", () => {
    // f = x⁴/4 − x²/2 + y²: a saddle at 0, minima at x = ±1
    const r = minimizeNewton(
      (x, g, h) => {
        g[0] = x[0] ** 3 - x[0];
        g[1] = 2 * x[1];
        h[0] = 3 * x[0] ** 2 - 1;
        h[1] = h[2] = 0;
        h[3] = 2;
        return x[0] ** 4 / 4 - x[0] ** 2 / 2 + x[1] ** 2;
      },
      [1e-3, 0.5],
    );
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-9);
    expect(Math.abs(r.x[1])).toBeLessThan(1e-9);
  });

  it("runs down a valley flattening out towards infinity by doubling its steps", () => {
    // f = e^u + (v − 1)²: no minimum, f → 0 as u → −∞; each plain Newton step moves u by 1,
    // so reaching a gradient of 1e-10 from u = 0 would take 23 steps
    const r = minimizeNewton(
      (x, g, h) => {
        const e = Math.exp(x[0]);
        g[0] = e;
        g[1] = 2 * (x[1] - 1);
        h[0] = e;
        h[1] = h[2] = 0;
        h[3] = 2;
        return e + (x[1] - 1) ** 2;
      },
      [0, 0],
    );
    expect(r.converged).toBe(true);
    expect(Math.exp(r.x[0])).toBeLessThanOrEqual(1e-10);
    expect(r.evaluations).toBeLessThan(15);
  });

  it("treats non-finite values as a wall and is deterministic", () => {
    const f = (x: Float64Array, g: Float64Array, h: Float64Array): number => {
      g[0] = 2 * (x[0] - 3);
      h[0] = 2;
      return x[0] > 2 ? NaN : (x[0] - 3) ** 2;
    };
    const r = minimizeNewton(f, [0]);
    expect(r.x[0]).toBeLessThanOrEqual(2);
    expect(r.x[0]).toBeGreaterThan(1.9);
    expect(minimizeNewton(f, [0])).toEqual(r);
  });
});

describe("symmetricEigen", () => {
  it("decomposes a symmetric matrix: A v = λ v, orthonormal vectors", () => {
    const a = [4, 1, -2, 0.5, 1, 3, 0, 1, -2, 0, 5, 2, 0.5, 1, 2, -1];
    const out = { values: new Float64Array(4), vectors: new Float64Array(16) };
    symmetricEigen(a, 4, out);
    for (let k = 0; k < 4; k++) {
      for (let i = 0; i < 4; i++) {
        let av = 0;
        for (let j = 0; j < 4; j++) av += a[i * 4 + j] * out.vectors[j * 4 + k];
        expect(Math.abs(av - out.values[k] * out.vectors[i * 4 + k])).toBeLessThan(1e-12);
      }
      for (let l = 0; l < 4; l++) {
        let d = 0;
        for (let i = 0; i < 4; i++) d += out.vectors[i * 4 + k] * out.vectors[i * 4 + l];
        expect(Math.abs(d - (k === l ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
    // trace preserved
    expect(out.values.reduce((s, v) => s + v, 0)).toBeCloseTo(11, 12);
  });
});
