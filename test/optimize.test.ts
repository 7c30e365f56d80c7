import { describe, expect, it } from "vitest";
import { minimize, minimizeBfgs } from "../analysis/optimize.js";

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
