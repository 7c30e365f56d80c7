/**
 * Deterministic minimisers for the CLV model fits: BFGS with an analytic gradient (fast), and
 * Nelder–Mead with restarts (derivative-free fallback).
 *
 * Decisions: the models are fitted on log-parameters, so the search is unconstrained and a
 * step of 0.5 means "±65%" in every direction. Nelder–Mead can stall on a ridge; we restart it
 * from the best point with a fresh simplex until a restart no longer improves the value
 * (the usual remedy), and report convergence only then. Non-finite values count as +∞, so
 * the simplex walks away from them. No randomness anywhere: same input, same answer.
 */

export interface MinimizeOptions {
  /** Initial simplex step per coordinate (default 0.5). */
  step?: number;
  /** Give up after this many function evaluations (default 20,000). */
  maxEvaluations?: number;
  /** Converged when the simplex values agree to fTol·max(1, |f|) (default 1e-11) … */
  fTol?: number;
  /** … and its vertices to xTol in every coordinate (default 1e-7). */
  xTol?: number;
  /** Restarts after the first run (default 8). */
  maxRestarts?: number;
}

export interface MinimizeResult {
  x: number[];
  f: number;
  converged: boolean;
  /** Nelder–Mead iterations over all runs. */
  iterations: number;
  evaluations: number;
  restarts: number;
}

/** Minimise f from x0. */
export function minimize(
  f: (x: Float64Array) => number,
  x0: readonly number[],
  opts: MinimizeOptions = {},
): MinimizeResult {
  const n = x0.length;
  if (n === 0 || !x0.every(Number.isFinite)) throw new Error(`invalid start: ${x0.join(", ")}`);
  const o: Required<MinimizeOptions> = {
    step: opts.step ?? 0.5,
    maxEvaluations: opts.maxEvaluations ?? 20_000,
    fTol: opts.fTol ?? 1e-11,
    xTol: opts.xTol ?? 1e-7,
    maxRestarts: opts.maxRestarts ?? 8,
  };
  return _minimize(f, Float64Array.from(x0), o);
}

function _minimize(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  o: Required<MinimizeOptions>,
): MinimizeResult {
  let evaluations = 0;
  const g = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let best = x0;
  let bestF = g(best);
  let iterations = 0;
  let restarts = 0;
  let converged = false;
  for (let run = 0; run <= o.maxRestarts; run++) {
    const r = nelderMead(g, best, o, () => evaluations);
    iterations += r.iterations;
    const improvement = bestF - r.f;
    const tol = o.fTol * Math.max(1, Math.abs(r.f));
    if (r.f <= bestF) {
      best = r.x;
      bestF = r.f;
    }
    if (run > 0) restarts++;
    if (!r.settled) break; // out of evaluations
    // A restart that found nothing new confirms the minimum.
    if (run > 0 && improvement <= tol && Number.isFinite(bestF)) {
      converged = true;
      break;
    }
  }
  return { x: Array.from(best), f: bestF, converged, iterations, evaluations, restarts };
}

interface RunResult {
  x: Float64Array;
  f: number;
  iterations: number;
  /** The simplex collapsed within tolerance (false: ran out of evaluations). */
  settled: boolean;
}

/** One Nelder–Mead run (standard coefficients 1, 2, ½, ½). */
function nelderMead(
  g: (x: Float64Array) => number,
  start: Float64Array,
  o: Required<MinimizeOptions>,
  used: () => number,
): RunResult {
  const n = start.length;
  const pts: Float64Array[] = [Float64Array.from(start)];
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(start);
    p[i] += o.step;
    pts.push(p);
  }
  const fs = pts.map(g);
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = (coef: number): Float64Array => {
    const worst = pts[order[n]];
    const p = new Float64Array(n);
    for (let j = 0; j < n; j++) p[j] = centroid[j] + coef * (worst[j] - centroid[j]);
    return p;
  };
  let iterations = 0;
  while (used() < o.maxEvaluations) {
    order.sort((i, j) => fs[i] - fs[j] || i - j);
    const lo = order[0];
    const hi = order[n];
    if (fs[hi] - fs[lo] <= o.fTol * Math.max(1, Math.abs(fs[lo])) && spread(pts, order) <= o.xTol) {
      return { x: pts[lo], f: fs[lo], iterations, settled: true };
    }
    iterations++;
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = pts[order[k]];
      for (let j = 0; j < n; j++) centroid[j] += p[j] / n;
    }
    const xr = trial(-1);
    const fr = g(xr);
    if (fr < fs[lo]) {
      const xe = trial(-2);
      const fe = g(xe);
      if (fe < fr) replace(hi, xe, fe);
      else replace(hi, xr, fr);
    } else if (fr < fs[order[n - 1]]) {
      replace(hi, xr, fr);
    } else {
      const outside = fr < fs[hi];
      const xc = trial(outside ? -0.5 : 0.5);
      const fc = g(xc);
      if (fc < (outside ? fr : fs[hi])) {
        replace(hi, xc, fc);
      } else {
        // Shrink towards the best vertex.
        const b = pts[lo];
        for (let k = 1; k <= n; k++) {
          const i = order[k];
          const p = pts[i];
          for (let j = 0; j < n; j++) p[j] = b[j] + 0.5 * (p[j] - b[j]);
          fs[i] = g(p);
        }
      }
    }
  }
  order.sort((i, j) => fs[i] - fs[j] || i - j);
  return { x: pts[order[0]], f: fs[order[0]], iterations, settled: false };

  function replace(i: number, x: Float64Array, fx: number): void {
    pts[i] = x;
    fs[i] = fx;
  }
}

/** Largest coordinate distance of any vertex from the best one. */
function spread(pts: Float64Array[], order: number[]): number {
  const b = pts[order[0]];
  let d = 0;
  for (let k = 1; k < order.length; k++) {
    const p = pts[order[k]];
    for (let j = 0; j < b.length; j++) d = Math.max(d, Math.abs(p[j] - b[j]));
  }
  return d;
}

export interface BfgsOptions {
  /**
   * Converged when every gradient component is at most gTol (default 1e-8), or when the line
   * search can no longer decrease f (rounding noise) with the gradient within 100·gTol.
   */
  gTol?: number;
  maxIterations?: number;
  maxEvaluations?: number;
  /** Largest move of any coordinate in one line search (default 4: a factor e⁴ on a log-parameter). */
  maxStep?: number;
}

/**
 * BFGS with a strong-Wolfe line search (Nocedal & Wright, algorithms 3.5–3.6) for functions
 * with an analytic gradient: fg(x, grad) returns f(x) and writes ∇f(x) into grad. Converges in
 * tens of evaluations where Nelder–Mead needs hundreds; callers fall back to `minimize` when it
 * does not converge. Deterministic.
 */
export function minimizeBfgs(
  fg: (x: Float64Array, grad: Float64Array) => number,
  x0: readonly number[],
  opts: BfgsOptions = {},
): MinimizeResult {
  const n = x0.length;
  if (n === 0 || !x0.every(Number.isFinite)) throw new Error(`invalid start: ${x0.join(", ")}`);
  const gTol = opts.gTol ?? 1e-8;
  const maxIterations = opts.maxIterations ?? 500;
  const maxEvaluations = opts.maxEvaluations ?? 2_000;
  const maxStep = opts.maxStep ?? 4;
  let evaluations = 0;
  const evaluate = (x: Float64Array, g: Float64Array): number => {
    evaluations++;
    const v = fg(x, g);
    return Number.isFinite(v) && g.every(Number.isFinite) ? v : Infinity;
  };
  let x: Float64Array = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(n);
  let f = evaluate(x, g);
  const H = identity(n);
  const p = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  if (!Number.isFinite(f))
    return { x: Array.from(x), f, converged, iterations, evaluations, restarts: 0 };
  while (iterations < maxIterations && evaluations < maxEvaluations) {
    if (maxAbs(g) <= gTol) {
      converged = true;
      break;
    }
    iterations++;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= H[i * n + j] * g[j];
      p[i] = s;
    }
    if (dot(p, g) >= 0) {
      // Not a descent direction: forget the curvature and go downhill.
      resetIdentity(H, n);
      for (let i = 0; i < n; i++) p[i] = -g[i];
    }
    const ls = lineSearch(evaluate, x, f, g, p, Math.min(1, maxStep / maxAbs(p)));
    if (!ls) {
      converged = maxAbs(g) <= 100 * gTol;
      break;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = ls.x[i] - x[i];
      y[i] = ls.g[i] - g[i];
    }
    const sy = dot(s, y);
    if (iterations === 1 && sy > 0) {
      // Scale the first inverse-Hessian guess to the observed curvature.
      resetIdentity(H, n, sy / dot(y, y));
    }
    if (sy > 1e-14 * Math.sqrt(dot(s, s) * dot(y, y))) updateInverseHessian(H, s, y, sy, n);
    x = ls.x;
    g = ls.g;
    f = ls.f;
  }
  return { x: Array.from(x), f, converged, iterations, evaluations, restarts: 0 };
}

type Evaluate = (x: Float64Array, g: Float64Array) => number;

interface Point {
  a: number;
  f: number;
  d: number;
  x: Float64Array;
  g: Float64Array;
}

/** Strong-Wolfe line search along p from x; null when no acceptable step was found. */
function lineSearch(
  evaluate: Evaluate,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  p: Float64Array,
  a1: number,
): { x: Float64Array; f: number; g: Float64Array } | null {
  const c1 = 1e-4;
  const c2 = 0.9;
  const d0 = dot(g0, p);
  const at = (a: number): Point => {
    const xa = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) xa[i] = x[i] + a * p[i];
    const ga = new Float64Array(x.length);
    const fa = evaluate(xa, ga);
    return { a, f: fa, d: Number.isFinite(fa) ? dot(ga, p) : NaN, x: xa, g: ga };
  };
  const sufficient = (q: Point): boolean => q.f <= f0 + c1 * q.a * d0;
  const curvature = (q: Point): boolean => Math.abs(q.d) <= -c2 * d0;
  const done = (q: Point) => ({ x: q.x, f: q.f, g: q.g });

  const zoom = (lo: Point, hi: Point): ReturnType<typeof done> | null => {
    for (let k = 0; k < 40; k++) {
      const a = interpolate(lo, hi);
      const q = at(a);
      if (!sufficient(q) || q.f >= lo.f) {
        hi = q;
      } else {
        if (curvature(q)) return done(q);
        if (q.d * (hi.a - lo.a) >= 0) hi = lo;
        lo = q;
      }
      if (Math.abs(hi.a - lo.a) < 1e-16 * Math.max(1, lo.a)) break;
    }
    // The interval collapsed: accept the best point when it decreased f at all.
    return lo.a > 0 && lo.f < f0 ? done(lo) : null;
  };

  let prev: Point = { a: 0, f: f0, d: d0, x, g: g0 };
  let a = a1;
  for (let i = 0; i < 30; i++) {
    const q = at(a);
    if (!sufficient(q) || (i > 0 && q.f >= prev.f)) return zoom(prev, q);
    if (curvature(q)) return done(q);
    if (q.d >= 0) return zoom(q, prev);
    prev = q;
    a *= 2;
  }
  return null;
}

/** Minimiser of the cubic through lo and hi (values and slopes), kept inside the interval; else bisect. */
function interpolate(lo: Point, hi: Point): number {
  const left = Math.min(lo.a, hi.a);
  const right = Math.max(lo.a, hi.a);
  const mid = 0.5 * (lo.a + hi.a);
  if (!Number.isFinite(hi.f) || !Number.isFinite(hi.d)) return mid;
  const d1 = lo.d + hi.d - (3 * (lo.f - hi.f)) / (lo.a - hi.a);
  const disc = d1 * d1 - lo.d * hi.d;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(hi.a - lo.a) * Math.sqrt(disc);
  const a = hi.a - (hi.a - lo.a) * ((hi.d + d2 - d1) / (hi.d - lo.d + 2 * d2));
  const margin = 0.1 * (right - left);
  return Number.isFinite(a) && a > left + margin && a < right - margin ? a : mid;
}

function updateInverseHessian(
  H: Float64Array,
  s: Float64Array,
  y: Float64Array,
  sy: number,
  n: number,
): void {
  // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs).
  const rho = 1 / sy;
  const Hy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
    Hy[i] = v;
  }
  const yHy = dot(y, Hy);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
    }
  }
}

function identity(n: number): Float64Array {
  const H = new Float64Array(n * n);
  resetIdentity(H, n);
  return H;
}

function resetIdentity(H: Float64Array, n: number, scale = 1): void {
  H.fill(0);
  for (let i = 0; i < n; i++) H[i * n + i] = scale;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
