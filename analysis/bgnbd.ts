/**
 * BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
 * alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they drop out
 * with probability p ~ Beta(a, b). Per customer: x repeat transactions, the last at t_x, observed
 * for T, all in weeks since the first purchase (SPEC §8).
 *
 * Decisions:
 * - Log-likelihood per customer (paper eq. 6), written with log-gamma and a log-sum-exp of its
 *   two terms, so large x and long T neither overflow nor lose the smaller term.
 * - Customers are grouped by (x, t_x, T) and the logs of α + t are taken once per distinct time:
 *   day-based data has few distinct times, which keeps one evaluation cheap.
 * - Fitted on log-parameters by BFGS with the analytic gradient, falling back to Nelder–Mead
 *   with restarts (optimize.ts); a fit that does not settle, or whose parameters run off to 0 or ∞, is reported as not converged.
 * - The expectations use Euler's transformation of 2F1 so that the hypergeometric parameters
 *   stay small whatever x is: (1−z)^(r+x) 2F1(r+x, b+x; c; z) = (1−z)^(a−1) 2F1(c−r−x, a−1; c; z)
 *   with c = a + b + x − 1.
 */
import { minimize, minimizeBfgs } from "./optimize.js";
import { digamma, hyp2f1, lgamma } from "./special.js";

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgnbdFit {
  params: BgnbdParams;
  /** Log-likelihood at the estimate. */
  ll: number;
  converged: boolean;
  /**
   * Why the fit is not usable: "no-settle" | "boundary" | "non-finite", or "no-dropout" when the
   * likelihood equals that of the no-dropout limit (a → 0 or b → ∞: plain NBD), where every
   * P(alive) is 1; null when it converged to an interior maximum.
   */
  failure: "no-settle" | "boundary" | "non-finite" | "no-dropout" | null;
  iterations: number;
  evaluations: number;
  customers: number;
}

/** Customers grouped by (x, t_x, T), times replaced by indices into the distinct times. */
interface Prepared {
  groups: number;
  x: Int32Array;
  weight: Float64Array;
  tx: Int32Array;
  T: Int32Array;
  times: Float64Array;
  maxX: number;
  customers: number;
}

/** Check the summary: same lengths, x a whole number ≥ 0, 0 ≤ t_x ≤ T, t_x = 0 when x = 0. */
function validate(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): void {
  if (x.length !== tx.length || x.length !== T.length)
    throw new Error("x, t_x and T differ in length");
  for (let i = 0; i < x.length; i++) {
    const ok =
      Number.isInteger(x[i]) &&
      x[i] >= 0 &&
      tx[i] >= 0 &&
      T[i] >= tx[i] &&
      Number.isFinite(T[i]) &&
      (x[i] > 0 || tx[i] === 0);
    if (!ok)
      throw new Error(`invalid customer summary at ${i}: x=${x[i]}, t_x=${tx[i]}, T=${T[i]}`);
  }
}

/**
 * Customers grouped by (x, t_x, T), groups and distinct times in order of first appearance.
 * Open-addressing tables on typed arrays rather than Maps: a million customers' times are
 * fractions of a week, which a Map keys as heap numbers (a tenth of a fit's time went there).
 */
function prepare(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): Prepared {
  const n = x.length;
  const times = new TimeIndex();
  const itx = new Int32Array(n);
  const iT = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    itx[i] = times.indexOf(tx[i]);
    iT[i] = times.indexOf(T[i]);
  }
  // groups: a table of (x, t_x index, T index) → group, kept at most half full
  let size = 1024;
  let slot = new Int32Array(size).fill(-1);
  const gx = new Int32Array(n);
  const gtx = new Int32Array(n);
  const gT = new Int32Array(n);
  const gw = new Float64Array(n);
  const home = (g: number): number => {
    const h =
      (Math.imul(gx[g], 0x9e3779b1) ^
        Math.imul(gtx[g], 0x85ebca6b) ^
        Math.imul(gT[g], 0xc2b2ae35)) >>>
      0;
    return (h ^ (h >>> 15)) & (size - 1);
  };
  let groups = 0;
  let maxX = 0;
  for (let i = 0; i < n; i++) {
    // the candidate group's fields go in at `groups`; kept only when the triple is new
    gx[groups] = x[i];
    gtx[groups] = itx[i];
    gT[groups] = iT[i];
    let h = home(groups);
    for (;;) {
      const g = slot[h];
      if (g < 0) {
        slot[h] = groups;
        gw[groups] = 1;
        if (gx[groups] > maxX) maxX = gx[groups];
        groups++;
        if (2 * groups > size) {
          size *= 2;
          slot = new Int32Array(size).fill(-1);
          for (let k = 0; k < groups; k++) {
            let e = home(k);
            while (slot[e] >= 0) e = (e + 1) & (size - 1);
            slot[e] = k;
          }
        }
        break;
      }
      if (gx[g] === gx[groups] && gtx[g] === gtx[groups] && gT[g] === gT[groups]) {
        gw[g]++;
        break;
      }
      h = (h + 1) & (size - 1);
    }
  }
  return inFixedOrder({
    groups,
    x: gx.slice(0, groups),
    weight: gw.slice(0, groups),
    tx: gtx.slice(0, groups),
    T: gT.slice(0, groups),
    times: times.values(),
    maxX,
    customers: n,
  });
}

/**
 * The groups by x, then t_x, then T, and the distinct times ascending, whatever order the
 * customers came in: the likelihood's sums then add the same numbers in the same order, so the
 * same customers give the same parameters to the last bit — a database (a --query, a view) that
 * hands the customers over in another order included (first appearance moved them by ~1e-7).
 */
function inFixedOrder(p: Prepared): Prepared {
  const { times, groups } = p;
  const byTime = Int32Array.from(times, (_, k) => k).sort((i, j) => times[i] - times[j]);
  const rank = new Int32Array(times.length);
  for (let k = 0; k < byTime.length; k++) rank[byTime[k]] = k;
  const tx = p.tx.map((k) => rank[k]);
  const T = p.T.map((k) => rank[k]);
  const { x, weight } = p;
  const order = Int32Array.from({ length: groups }, (_, g) => g).sort(
    (g, h) => x[g] - x[h] || tx[g] - tx[h] || T[g] - T[h],
  );
  return {
    ...p,
    x: order.map((g) => x[g]),
    weight: Float64Array.from(order, (g) => weight[g]),
    tx: order.map((g) => tx[g]),
    T: order.map((g) => T[g]),
    times: Float64Array.from(byTime, (k) => times[k]),
  };
}

/** Distinct times in order of first appearance, found by the bits of the double. */
class TimeIndex {
  private size = 1024;
  private slot = new Int32Array(this.size).fill(-1);
  private list = new Float64Array(this.size);
  private count = 0;
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);

  private home(v: number): number {
    this.bits[0] = v;
    const h = (Math.imul(this.words[0], 0x9e3779b1) ^ Math.imul(this.words[1], 0x85ebca6b)) >>> 0;
    return (h ^ (h >>> 15)) & (this.size - 1);
  }

  indexOf(t: number): number {
    // 0 and −0 are one time, as they are one key of a Map
    const v = t === 0 ? 0 : t;
    let h = this.home(v);
    for (;;) {
      const k = this.slot[h];
      if (k < 0) break;
      if (this.list[k] === v) return k;
      h = (h + 1) & (this.size - 1);
    }
    if (2 * (this.count + 1) > this.size) {
      // twice the room, the times placed again
      this.size *= 2;
      const list = new Float64Array(this.size);
      list.set(this.list.subarray(0, this.count));
      this.list = list;
      this.slot = new Int32Array(this.size).fill(-1);
      for (let k = 0; k < this.count; k++) {
        let e = this.home(this.list[k]);
        while (this.slot[e] >= 0) e = (e + 1) & (this.size - 1);
        this.slot[e] = k;
      }
      h = this.home(v);
      while (this.slot[h] >= 0) h = (h + 1) & (this.size - 1);
    }
    this.slot[h] = this.count;
    this.list[this.count] = v;
    return this.count++;
  }

  values(): Float64Array {
    return this.list.slice(0, this.count);
  }
}

/** Scratch space reused across evaluations of one fit: per-time and per-x tables. */
interface Scratch {
  logTime: Float64Array;
  invTime: Float64Array;
  c1: Float64Array;
  c4: Float64Array;
  dc1r: Float64Array;
  dc1a: Float64Array;
  dc1b: Float64Array;
  dc4b: Float64Array;
  grad: Float64Array;
  acc: Float64Array;
}

/**
 * Log-likelihood, and its gradient with respect to (ln r, ln α, ln a, ln b) written into grad
 * (always computed: one branch-free code path keeps the JIT from deoptimising the hot loop).
 * Per customer: ℓ = c1(x) + ln(e^t1 + [x>0] e^t2), t1 = −(r+x) ln(α+T), t2 = c4(x) − (r+x) ln(α+t_x).
 */
function _logLikelihood(
  p: BgnbdParams,
  d: Prepared,
  s: Scratch,
  grad: Float64Array = s.grad,
): number {
  const { r, alpha, a, b } = p;
  const times = d.times;
  const logTime = s.logTime;
  const invTime = s.invTime;
  for (let k = 0; k < times.length; k++) {
    logTime[k] = Math.log(alpha + times[k]);
    invTime[k] = 1 / (alpha + times[k]);
  }
  const logAlpha = Math.log(alpha);
  const base = r * logAlpha - lgamma(r) + lgamma(a + b) - lgamma(b);
  const logA = Math.log(a);
  const { c1, c4, dc1r, dc1a, dc1b, dc4b } = s;
  for (let x = 0; x <= d.maxX; x++) {
    c1[x] = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
    c4[x] = x > 0 ? logA - Math.log(b + x - 1) : -Infinity;
  }
  {
    const psiR = digamma(r);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    for (let x = 0; x <= d.maxX; x++) {
      const psiABX = digamma(a + b + x);
      dc1r[x] = logAlpha - psiR + digamma(r + x);
      dc1a[x] = psiAB - psiABX;
      dc1b[x] = psiAB - psiB + digamma(b + x) - psiABX;
      dc4b[x] = x > 0 ? -1 / (b + x - 1) : 0;
    }
  }
  const acc = s.acc;
  acc.fill(0);
  for (let lo = 0; lo < d.groups; lo += CHUNK)
    accumulate(r, alpha, a, d, s, lo, Math.min(d.groups, lo + CHUNK), acc);
  grad[0] = acc[1] * r;
  grad[1] = acc[2] * alpha;
  grad[3] = acc[4] * b;
  grad[2] = acc[3] * a;
  return acc[0];
}

/**
 * Groups per call of the hot loop. Short calls let the JIT optimise `accumulate` as a whole;
 * one long loop gets on-stack-replaced code that V8 deoptimises at every exit.
 */
const CHUNK = 1024;

/** Adds ℓ and ∂ℓ/∂(r, α, a, b) of groups [lo, hi) to acc[0..4]. */
function accumulate(
  r: number,
  alpha: number,
  a: number,
  d: Prepared,
  s: Scratch,
  lo: number,
  hi: number,
  acc: Float64Array,
): void {
  const { logTime, invTime, c1, c4, dc1r, dc1a, dc1b, dc4b } = s;
  const gx = d.x;
  const gw = d.weight;
  const gT = d.T;
  const gtx = d.tx;
  let ll = 0;
  let gr = 0;
  let ga = 0;
  let gal = 0;
  let gb = 0;
  for (let g = lo; g < hi; g++) {
    const x = gx[g];
    const w = gw[g];
    const rx = r + x;
    const iT = gT[g];
    const t1 = -rx * logTime[iT];
    if (x === 0) {
      ll += w * (c1[0] + t1);
      gr += w * (dc1r[0] - logTime[iT]);
      gal += w * (r / alpha - rx * invTime[iT]);
      ga += w * dc1a[0];
      gb += w * dc1b[0];
      continue;
    }
    const itx = gtx[g];
    const t2 = c4[x] - rx * logTime[itx];
    const top = t1 > t2 ? t1 : t2;
    const e = Math.exp(-Math.abs(t1 - t2));
    ll += w * (c1[x] + top + Math.log1p(e));
    // Weight of the "dropped out at t_x" term t2 in the log-sum-exp.
    const w2 = t2 >= t1 ? 1 / (1 + e) : e / (1 + e);
    const w1 = 1 - w2;
    gr += w * (dc1r[x] - w1 * logTime[iT] - w2 * logTime[itx]);
    gal += w * (r / alpha - rx * (w1 * invTime[iT] + w2 * invTime[itx]));
    ga += w * (dc1a[x] + w2 / a);
    gb += w * (dc1b[x] + w2 * dc4b[x]);
  }
  acc[0] += ll;
  acc[1] += gr;
  acc[2] += gal;
  acc[3] += ga;
  acc[4] += gb;
}

function scratchFor(d: Prepared): Scratch {
  const perX = () => new Float64Array(d.maxX + 1);
  return {
    logTime: new Float64Array(d.times.length),
    invTime: new Float64Array(d.times.length),
    c1: perX(),
    c4: perX(),
    dc1r: perX(),
    dc1a: perX(),
    dc1b: perX(),
    dc4b: perX(),
    grad: new Float64Array(4),
    acc: new Float64Array(5),
  };
}

const validParams = (p: BgnbdParams): boolean =>
  [p.r, p.alpha, p.a, p.b].every((v) => Number.isFinite(v) && v > 0);

/** Total log-likelihood of the customers under the parameters (NaN for invalid parameters). */
export function bgnbdLogLikelihood(
  p: BgnbdParams,
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
): number {
  validate(x, tx, T);
  if (!validParams(p)) return NaN;
  const d = prepare(x, tx, T);
  return _logLikelihood(p, d, scratchFor(d));
}

/** log-parameters beyond ±LOG_LIMIT (1e-7 … 1e7) mean the fit ran off to a boundary. */
const LOG_LIMIT = 16;

/** Maximum-likelihood fit. Deterministic: fixed start, fixed simplex. */
export function fitBgnbd(
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
): BgnbdFit {
  validate(x, tx, T);
  if (x.length === 0) throw new Error("no customers to fit");
  return _fit(prepare(x, tx, T));
}

/** The starting α: matched to the average purchase rate (r = 1), within 0.01 … 10,000. */
function startAlpha(d: Prepared): number {
  let sumX = 0;
  let sumT = 0;
  for (let g = 0; g < d.groups; g++) {
    sumX += d.weight[g] * d.x[g];
    sumT += d.weight[g] * d.times[d.T[g]];
  }
  return Math.min(1e4, Math.max(1e-2, sumT / Math.max(sumX, 1)));
}

function _fit(d: Prepared): BgnbdFit {
  const s = scratchFor(d);
  // Start: r = 1 and α matched to the average purchase rate; a = b = 1.
  const alpha0 = startAlpha(d);
  const scale = 1 / d.customers;
  const fromLog = (v: ArrayLike<number>): BgnbdParams => ({
    r: Math.exp(v[0]),
    alpha: Math.exp(v[1]),
    a: Math.exp(v[2]),
    b: Math.exp(v[3]),
  });
  const outOfRange = (v: ArrayLike<number>): boolean => {
    for (let i = 0; i < 4; i++) if (Math.abs(v[i]) > 2 * LOG_LIMIT) return true;
    return false;
  };
  const withGradient = (v: Float64Array, grad: Float64Array): number => {
    if (outOfRange(v)) return Infinity;
    const ll = _logLikelihood(fromLog(v), d, s, grad);
    for (let i = 0; i < 4; i++) grad[i] *= -scale;
    return -ll * scale;
  };
  const objective = (v: Float64Array): number =>
    outOfRange(v) ? Infinity : -_logLikelihood(fromLog(v), d, s) * scale;
  const start = [0, Math.log(alpha0), 0, 0];
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
  const boundary = res.x.some((v) => Math.abs(v) > LOG_LIMIT);
  // The no-dropout limit is checked first: a fit that settled at a = 5e-7, b = 27,707, one that
  // ran off past the parameter limits and one that crawls along the ridge towards it are all the
  // same finding, that these data show no customer leaving.
  const failure = !Number.isFinite(ll)
    ? "non-finite"
    : ll - nbdLimitLogLikelihood(d) <= NO_DROPOUT_GAIN
      ? "no-dropout"
      : !res.converged
        ? "no-settle"
        : boundary
          ? "boundary"
          : null;
  return {
    params,
    ll,
    converged: failure === null,
    failure,
    iterations: res.iterations,
    evaluations: res.evaluations,
    customers: d.customers,
  };
}

/**
 * A BG/NBD fit whose log-likelihood beats the no-dropout limit by no more than this has found no
 * sign of customers leaving: the dropout part of the model adds nothing (a likelihood-ratio
 * statistic of 0.02 for two extra parameters), so its P(alive) carry no information.
 */
const NO_DROPOUT_GAIN = 0.01;

/**
 * The best log-likelihood of the no-dropout limit of BG/NBD (p ~ Beta(a, b) with a → 0 or
 * b → ∞): the NBD model, ℓ = ln Γ(r+x) − ln Γ(r) + r ln α − (r+x) ln(α+T) per customer, fitted
 * over (ln r, ln α). Nested in BG/NBD, so a BG/NBD fit can only match or beat it.
 */
function nbdLimitLogLikelihood(d: Prepared): number {
  // ℓ = Σ_x W_x ln Γ(r+x) − Σ_T (r·W_T + XW_T) ln(α+T) + N (r ln α − ln Γ(r)): the customers
  // summed once by x and by T, so an evaluation costs the distinct x and T, not the groups.
  const byX = new Float64Array(d.maxX + 1);
  const byT = new Float64Array(d.times.length);
  const xByT = new Float64Array(d.times.length);
  for (let g = 0; g < d.groups; g++) {
    const w = d.weight[g];
    byX[d.x[g]] += w;
    byT[d.T[g]] += w;
    xByT[d.T[g]] += w * d.x[g];
  }
  const n = d.customers;
  const ll = (v: Float64Array): number => {
    if (Math.abs(v[0]) > 2 * LOG_LIMIT || Math.abs(v[1]) > 2 * LOG_LIMIT) return -Infinity;
    const r = Math.exp(v[0]);
    const alpha = Math.exp(v[1]);
    let sum = n * (r * Math.log(alpha) - lgamma(r));
    for (let x = 0; x < byX.length; x++) if (byX[x] > 0) sum += byX[x] * lgamma(r + x);
    for (let i = 0; i < byT.length; i++)
      if (byT[i] > 0) sum -= (r * byT[i] + xByT[i]) * Math.log(alpha + d.times[i]);
    return sum;
  };
  const res = minimize((v) => -ll(v) / n, [0, Math.log(startAlpha(d))]);
  return ll(Float64Array.from(res.x));
}

/** The best log-likelihood of the no-dropout (NBD) limit for a customer summary. */
export function noDropoutLogLikelihood(
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
): number {
  validate(x, tx, T);
  return nbdLimitLogLikelihood(prepare(x, tx, T));
}

/** P(alive | x, t_x, T) (paper eq. 11 / Fader-Hardie-Lee note): 1 when x = 0. */
export function pAlive(p: BgnbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const e =
    Math.log(p.a) -
    Math.log(p.b + x - 1) +
    (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  // 1 / (1 + e^e), computed without overflow.
  return e > 0 ? Math.exp(-e) / (1 + Math.exp(-e)) : 1 / (1 + Math.exp(e));
}

/**
 * (c/(a−1)) · [1 − (1−z)^(a−1) 2F1(c−r−x, a−1; c; z)], c = a + b + x − 1: the conditional
 * expectation before weighting by P(alive) (x = 0, z = t/(α+t) gives the unconditional E[X(t)]).
 * a = 1 is a removable singularity: evaluated on either side and averaged.
 */
function expectationCore(r: number, a: number, b: number, x: number, z: number): number {
  if (z <= 0) return 0;
  if (Math.abs(a - 1) < 1e-7) {
    const h = 1e-5;
    return 0.5 * (expectationCore(r, 1 + h, b, x, z) + expectationCore(r, 1 - h, b, x, z));
  }
  const c = a + b + x - 1;
  const f = hyp2f1(c - r - x, a - 1, c, z);
  return (c / (a - 1)) * (1 - Math.exp((a - 1) * Math.log1p(-z)) * f);
}

/** Unconditional expected number of repeat purchases in (0, t] for a new customer (paper eq. 9). */
export function expectedTransactions(p: BgnbdParams, t: number): number {
  if (!(t > 0)) return 0;
  return expectationCore(p.r, p.a, p.b, 0, t / (p.alpha + t));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t weeks for a customer (paper eq. 10). */
export function conditionalExpectedTransactions(
  p: BgnbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (!(t > 0)) return 0;
  const z = t / (p.alpha + T + t);
  return expectationCore(p.r, p.a, p.b, x, z) * pAlive(p, x, tx, T);
}
