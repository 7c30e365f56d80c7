/**
 * Deterministic minimisers for the CLV model fits: Newton's method in a trust region with an
 * analytic Hessian (fastest: BG/NBD), BFGS with an analytic gradient (Gamma-Gamma), and
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

export interface NewtonOptions {
  /** Converged when every gradient component is at most gTol (default 1e-10) … */
  gTol?: number;
  /**
   * … or when the Hessian is positive definite and the Newton step moves no coordinate by more
   * than xTol (default 1e-9): quadratic convergence puts the point that close to the minimum.
   */
  xTol?: number;
  maxIterations?: number;
  /** First trust-region radius (default 1) and its largest (default 4), in x's units. */
  radius?: number;
  maxRadius?: number;
}

/**
 * Newton's method with the analytic Hessian in a trust region (Nocedal & Wright, algorithm 4.1,
 * the subproblem solved exactly through the eigenvectors of the Hessian, as is cheap for the few
 * parameters of the CLV models): fgh(x, grad, hess) returns f(x) and writes ∇f(x) and ∇²f(x)
 * (row-major n × n) into grad and hess. Near the minimum each step squares the error, so a good
 * start converges in a handful of evaluations. Deterministic.
 *
 * Decisions: a step whose predicted decrease is within rounding noise of f (sums over millions
 * of terms are noisy at ~1e-15 of f) is judged by the gradient, which shrinks, rather than by f,
 * whose change cannot be seen; a non-finite value counts as +∞ and shrinks the region.
 */
export function minimizeNewton(
  fgh: (x: Float64Array, grad: Float64Array, hess: Float64Array) => number,
  x0: readonly number[],
  opts: NewtonOptions = {},
): MinimizeResult {
  const n = x0.length;
  if (n === 0 || !x0.every(Number.isFinite)) throw new Error(`invalid start: ${x0.join(", ")}`);
  const gTol = opts.gTol ?? 1e-10;
  const xTol = opts.xTol ?? 1e-9;
  const maxIterations = opts.maxIterations ?? 200;
  const maxRadius = opts.maxRadius ?? 4;
  let radius = Math.min(opts.radius ?? 1, maxRadius);
  let evaluations = 0;
  const evaluate = (x: Float64Array, g: Float64Array, h: Float64Array): number => {
    evaluations++;
    const v = fgh(x, g, h);
    return Number.isFinite(v) && g.every(Number.isFinite) && h.every(Number.isFinite)
      ? v
      : Infinity;
  };
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let h = new Float64Array(n * n);
  let f = evaluate(x, g, h);
  let iterations = 0;
  let converged = false;
  const result = (): MinimizeResult => ({
    x: Array.from(x),
    f,
    converged,
    iterations,
    evaluations,
    restarts: 0,
  });
  if (!Number.isFinite(f)) return result();
  const eig = { values: new Float64Array(n), vectors: new Float64Array(n * n) };
  const gt = new Float64Array(n);
  const p = new Float64Array(n);
  while (iterations < maxIterations) {
    if (maxAbs(g) <= gTol) {
      converged = true;
      break;
    }
    symmetricEigen(h, n, eig);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += eig.vectors[j * n + i] * g[j];
      gt[i] = s;
    }
    const newton = trustRegionStep(eig, gt, radius, n, p);
    if (newton && maxAbs(p) <= xTol) {
      converged = true;
      break;
    }
    iterations++;
    // predicted decrease of the quadratic model: −(gᵀp + ½ pᵀHp)
    let pred = -dot(g, p);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += h[i * n + j] * p[j];
      pred -= 0.5 * p[i] * s;
    }
    let xn = new Float64Array(n);
    for (let i = 0; i < n; i++) xn[i] = x[i] + p[i];
    let gn = new Float64Array(n);
    let hn = new Float64Array(n * n);
    let fn = evaluate(xn, gn, hn);
    const noise = 1e-12 * Math.max(1, Math.abs(f));
    const rho = Number.isFinite(fn) ? (f - fn) / pred : -Infinity;
    const length = Math.sqrt(dot(p, p));
    const accept =
      rho > 1e-4 ||
      (Number.isFinite(fn) && pred <= noise && fn <= f + noise && maxAbs(gn) < maxAbs(g));
    if (rho < 0.25) radius = 0.25 * length;
    else if (rho > 0.75 && length >= 0.99 * radius) radius = Math.min(2 * radius, maxRadius);
    if (accept && newton && rho > EXTEND_RATIO && maxAbs(gn) > gTol) {
      // The function falls faster than its quadratic model, as along a valley flattening out
      // towards a limit at infinity (f ≈ f∞ + c·e^u, where each Newton step moves u by 1):
      // double the step while f keeps falling.
      for (let k = 2, prev = xn; k <= 2 ** 30; k *= 2) {
        const xe = new Float64Array(n);
        for (let i = 0; i < n; i++) xe[i] = prev[i] + (k / 2) * p[i];
        const ge = new Float64Array(n);
        const he = new Float64Array(n * n);
        const fe = evaluate(xe, ge, he);
        if (!(fe < fn - noise)) break;
        [prev, fn] = [xe, fe];
        xn = xe;
        gn = ge;
        hn = he;
        // flat enough: going further along a valley towards infinity changes nothing (and
        // would carry the parameters further out than the convergence test asks)
        if (maxAbs(ge) <= gTol) break;
      }
      radius = Math.max(radius, Math.min(maxRadius, Math.sqrt(dot(p, p))));
    }
    if (accept) {
      x = xn;
      g = gn;
      h = hn;
      f = fn;
    } else if (radius < 1e-14) {
      // nothing left to try: as good as it gets when the gradient is near zero
      converged = maxAbs(g) <= 100 * gTol;
      break;
    }
  }
  return result();
}

/** A full Newton step that decreased f this many times more than predicted is extended. */
const EXTEND_RATIO = 1.2;

/**
 * The trust-region step p = argmin gᵀp + ½ pᵀHp over |p| ≤ radius, H = Q diag(λ) Qᵀ given by
 * its eigen-decomposition and gt = Qᵀg (Moré & Sorensen): the Newton step when H is positive
 * definite and the step fits; else p = −(H + μI)⁻¹g with μ found by bisection so that |p| is the
 * radius (in the "hard case", g orthogonal to the lowest eigenvector, that eigenvector fills the
 * rest). Returns whether p is the full Newton step.
 */
function trustRegionStep(
  eig: { values: Float64Array; vectors: Float64Array },
  gt: Float64Array,
  radius: number,
  n: number,
  p: Float64Array,
): boolean {
  const lam = eig.values;
  let low = 0;
  let lowest = 0;
  for (let i = 1; i < n; i++) if (lam[i] < lam[lowest]) lowest = i;
  const norm = (mu: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (gt[i] / (lam[i] + mu)) ** 2;
    return Math.sqrt(s);
  };
  const set = (mu: number, extra: number): void => {
    for (let j = 0; j < n; j++) {
      let s = extra * eig.vectors[j * n + lowest];
      for (let i = 0; i < n; i++) s -= (eig.vectors[j * n + i] * gt[i]) / (lam[i] + mu);
      p[j] = s;
    }
  };
  if (lam[lowest] > 0) {
    if (norm(0) <= radius) {
      set(0, 0);
      return true;
    }
  } else {
    low = -lam[lowest];
  }
  // |p(μ)| falls from above the radius at μ = low to at most the radius at μ = low + |g|/radius
  let gNorm = 0;
  for (let i = 0; i < n; i++) gNorm += gt[i] * gt[i];
  gNorm = Math.sqrt(gNorm);
  const eps = 1e-12 * Math.max(1, Math.abs(low), gNorm / radius);
  if (!(norm(low + eps) > radius)) {
    // hard case: the step at μ just above −λmin falls short; go along the lowest eigenvector
    set(low + eps, 0);
    const short = Math.sqrt(Math.max(0, radius * radius - dot(p, p)));
    set(low + eps, gt[lowest] > 0 ? -short : short);
    return false;
  }
  let lo = low + eps;
  let hi = low + gNorm / radius + eps;
  for (let k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
    const mid = 0.5 * (lo + hi);
    if (norm(mid) > radius) lo = mid;
    else hi = mid;
  }
  set(hi, 0);
  return false;
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric n × n matrix by
 * cyclic Jacobi rotations: exact to rounding for the small matrices here, and deterministic.
 */
export function symmetricEigen(
  m: ArrayLike<number>,
  n: number,
  out: { values: Float64Array; vectors: Float64Array },
): void {
  const a = Float64Array.from(m);
  const v = out.vectors;
  resetIdentity(v, n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] * a[i * n + i];
      for (let j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let pi = 0; pi < n; pi++) {
      for (let q = pi + 1; q < n; q++) {
        const apq = a[pi * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[pi * n + pi]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + pi];
          const akq = a[k * n + q];
          a[k * n + pi] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[pi * n + k];
          const aqk = a[q * n + k];
          a[pi * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + pi];
          const vkq = v[k * n + q];
          v[k * n + pi] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) out.values[i] = a[i * n + i];
}
