/**
 * Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma model of
 * monetary value"): each transaction's value z ~ Gamma(p, ν), ν ~ Gamma(q, γ) across
 * customers. Fitted on customers with x > 0 repeat transactions and a positive mean repeat
 * spend z̄ (SPEC §8). γ is called v in the parameter objects, as in summary.json.
 *
 * Decisions: the per-customer likelihood of z̄ is
 *   Γ(px+q) / (Γ(px) Γ(q)) · γ^q · z̄^(px−1) · x^(px) / (γ + x z̄)^(px+q),
 * evaluated in logs with the log-gamma terms taken once per distinct x. Fitted on
 * log-parameters by BFGS with the analytic gradient, Nelder–Mead with restarts as the fallback. A fit with q ≤ 1 is reported as not converged
 * for our purposes: the population mean spend pγ/(q−1) would be infinite.
 */
import { minimize, minimizeBfgs } from "./optimize.js";
import { digamma, lgamma } from "./special.js";

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  ll: number;
  converged: boolean;
  failure: "no-settle" | "boundary" | "non-finite" | "infinite-mean" | null;
  iterations: number;
  evaluations: number;
  customers: number;
}

interface Prepared {
  n: number;
  x: Int32Array;
  logX: Float64Array;
  logZ: Float64Array;
  /** x · z̄: the customer's total repeat spend. */
  xz: Float64Array;
  maxX: number;
}

function prepare(x: ArrayLike<number>, zbar: ArrayLike<number>): Prepared {
  if (x.length !== zbar.length) throw new Error("x and zbar differ in length");
  const n = x.length;
  const d: Prepared = {
    n,
    x: new Int32Array(n),
    logX: new Float64Array(n),
    logZ: new Float64Array(n),
    xz: new Float64Array(n),
    maxX: 0,
  };
  for (let i = 0; i < n; i++) {
    if (!(Number.isInteger(x[i]) && x[i] > 0 && zbar[i] > 0 && Number.isFinite(zbar[i]))) {
      throw new Error(`invalid spend summary at ${i}: x=${x[i]}, zbar=${zbar[i]}`);
    }
    d.x[i] = x[i];
    d.logX[i] = Math.log(x[i]);
    d.logZ[i] = Math.log(zbar[i]);
    d.xz[i] = x[i] * zbar[i];
    if (x[i] > d.maxX) d.maxX = x[i];
  }
  return d;
}

/** Per-x tables reused across evaluations. */
interface Scratch {
  c: Float64Array;
  dp: Float64Array;
  dq: Float64Array;
  grad: Float64Array;
  acc: Float64Array;
}

/**
 * Log-likelihood, and its gradient with respect to (ln p, ln q, ln γ) written into grad (always
 * computed: one branch-free code path keeps the JIT from deoptimising the hot loop). Per customer:
 * ℓ = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄).
 */
function _logLikelihood(
  par: GammaGammaParams,
  d: Prepared,
  s: Scratch,
  grad: Float64Array = s.grad,
): number {
  const { p, q, v } = par;
  const logV = Math.log(v);
  const base = q * logV - lgamma(q);
  const { c, dp, dq } = s;
  for (let x = 1; x <= d.maxX; x++) c[x] = base + lgamma(p * x + q) - lgamma(p * x);
  {
    const psiQ = digamma(q);
    for (let x = 1; x <= d.maxX; x++) {
      const psiPXQ = digamma(p * x + q);
      dp[x] = x * (psiPXQ - digamma(p * x));
      dq[x] = psiPXQ - psiQ + logV;
    }
  }
  const acc = s.acc;
  acc.fill(0);
  for (let lo = 0; lo < d.n; lo += CHUNK)
    accumulate(p, q, v, d, s, lo, Math.min(d.n, lo + CHUNK), acc);
  grad[0] = acc[1] * p;
  grad[1] = acc[2] * q;
  grad[2] = acc[3] * v;
  return acc[0];
}

/** Customers per call of the hot loop (short calls keep V8 from deoptimising it; see bgnbd.ts). */
const CHUNK = 1024;

/** Adds ℓ and ∂ℓ/∂(p, q, γ) of customers [lo, hi) to acc[0..3]. */
function accumulate(
  p: number,
  q: number,
  v: number,
  d: Prepared,
  s: Scratch,
  lo: number,
  hi: number,
  acc: Float64Array,
): void {
  const { c, dp, dq } = s;
  const xs = d.x;
  const logZ = d.logZ;
  const logX = d.logX;
  const xz = d.xz;
  let ll = 0;
  let gp = 0;
  let gq = 0;
  let gv = 0;
  for (let i = lo; i < hi; i++) {
    const x = xs[i];
    const px = p * x;
    const lvz = Math.log(v + xz[i]);
    ll += c[x] + (px - 1) * logZ[i] + px * logX[i] - (px + q) * lvz;
    gp += dp[x] + x * (logZ[i] + logX[i] - lvz);
    gq += dq[x] - lvz;
    gv -= (px + q) / (v + xz[i]);
  }
  acc[0] += ll;
  acc[1] += gp;
  acc[2] += gq;
  acc[3] += gv + ((hi - lo) * q) / v;
}

const scratchFor = (d: Prepared): Scratch => ({
  c: new Float64Array(d.maxX + 1),
  dp: new Float64Array(d.maxX + 1),
  dq: new Float64Array(d.maxX + 1),
  grad: new Float64Array(3),
  acc: new Float64Array(4),
});

/** Total log-likelihood of the repeat customers' mean spends (x > 0, z̄ > 0). */
export function gammaGammaLogLikelihood(
  par: GammaGammaParams,
  x: ArrayLike<number>,
  zbar: ArrayLike<number>,
): number {
  const d = prepare(x, zbar);
  if (![par.p, par.q, par.v].every((v) => Number.isFinite(v) && v > 0)) return NaN;
  return _logLikelihood(par, d, scratchFor(d));
}

const LOG_LIMIT = 16;

/** Maximum-likelihood fit on customers with x > 0 and z̄ > 0 (the caller selects them). */
export function fitGammaGamma(x: ArrayLike<number>, zbar: ArrayLike<number>): GammaGammaFit {
  const d = prepare(x, zbar);
  if (d.n === 0) throw new Error("no customers to fit");
  return _fit(d);
}

function _fit(d: Prepared): GammaGammaFit {
  const s = scratchFor(d);
  // Start: p = q = 2 (a unimodal spend distribution) and γ so that the mean matches.
  let sum = 0;
  for (let i = 0; i < d.n; i++) sum += d.xz[i] / d.x[i];
  const mean = sum / d.n;
  const fromLog = (w: ArrayLike<number>): GammaGammaParams => ({
    p: Math.exp(w[0]),
    q: Math.exp(w[1]),
    v: Math.exp(w[2]),
  });
  const scale = 1 / d.n;
  const outOfRange = (w: ArrayLike<number>): boolean => {
    for (let i = 0; i < 3; i++) if (Math.abs(w[i]) > 2 * LOG_LIMIT) return true;
    return false;
  };
  const withGradient = (w: Float64Array, grad: Float64Array): number => {
    if (outOfRange(w)) return Infinity;
    const ll = _logLikelihood(fromLog(w), d, s, grad);
    for (let i = 0; i < 3; i++) grad[i] *= -scale;
    return -ll * scale;
  };
  const objective = (w: Float64Array): number =>
    outOfRange(w) ? Infinity : -_logLikelihood(fromLog(w), d, s) * scale;
  // mean spend = pγ/(q−1) → γ = mean (q − 1)/p = mean / 2 at p = q = 2.
  const start = [Math.log(2), Math.log(2), Math.log(Math.max(mean / 2, 1e-6))];
  // BFGS with the analytic gradient; Nelder–Mead from its end point if it does not converge.
  let res = minimizeBfgs(withGradient, start);
  if (!res.converged) {
    const nm = minimize(objective, Number.isFinite(res.f) ? res.x : start);
    res = {
      ...nm,
      iterations: res.iterations + nm.iterations,
      evaluations: res.evaluations + nm.evaluations,
    };
  }
  const params = fromLog(res.x);
  const ll = _logLikelihood(params, d, s);
  const failure = !Number.isFinite(ll)
    ? "non-finite"
    : !res.converged
      ? "no-settle"
      : res.x.some((w) => Math.abs(w) > LOG_LIMIT)
        ? "boundary"
        : params.q <= 1
          ? "infinite-mean"
          : null;
  return {
    params,
    ll,
    converged: failure === null,
    failure,
    iterations: res.iterations,
    evaluations: res.evaluations,
    customers: d.n,
  };
}

/**
 * E[M | x, z̄]: expected spend per future transaction (Fader & Hardie 2013 eq. 5), a weighted
 * mean of the population mean pγ/(q−1) and the customer's own z̄. x = 0 gives the population
 * mean. A z̄ below 0 is treated as 0.
 */
export function conditionalExpectedSpend(par: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, v } = par;
  if (x <= 0) return q > 1 ? (p * v) / (q - 1) : NaN;
  const z = Math.max(0, zbar);
  return (p * (v + x * z)) / (p * x + q - 1);
}
