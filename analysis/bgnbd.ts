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
 * - Fitted on log-parameters by Newton's method in a trust region with the analytic gradient
 *   and Hessian (4 × 4; optimize.ts minimizeNewton), falling back to Nelder–Mead with restarts.
 *   Newton squares the error at each step near the maximum: 6–7 likelihood evaluations where
 *   BFGS took 23–103, whose line search also spent dozens of evaluations at the end on changes
 *   of f below its rounding. It stops when the Newton step moves no log-parameter by more than
 *   1e-9, or when the gradient of the total log-likelihood is at most 1e-4 in every
 *   log-parameter (per customer: min(1e-8, 1e-4/N)), the scale at which a fit running off
 *   towards the no-dropout limit has come within 1e-4 of its likelihood whatever N is.
 *   Newton starts twice, from a = b = 1 and from a = e^−2 (START_AB: the likelihood can have
 *   two hills), and the better maximum is kept. Above 200,000 customers both runs are on a
 *   systematic sample of ~50,000 of them (every k-th customer in the groups' fixed order), and
 *   on all customers only the last 2–4 Newton steps are taken from the sample's maximum; a fit
 *   running along the ridge towards the no-dropout limit makes most of its way on the sample.
 *   A fit that does not settle, or whose parameters run off to 0 or ∞, is reported as not
 *   converged.
 * - The expectations use Euler's transformation of 2F1 so that the hypergeometric parameters
 *   stay small whatever x is: (1−z)^(r+x) 2F1(r+x, b+x; c; z) = (1−z)^(a−1) 2F1(c−r−x, a−1; c; z)
 *   with c = a + b + x − 1.
 */
import { minimize, minimizeNewton, type MinimizeResult } from "./optimize.js";
import { hyp2f1, lgamma } from "./special.js";

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
  /**
   * Newton steps and likelihood evaluations, those of the fit of a sample (above 200,000
   * customers, on ~50,000 of them: each a tenth or less of one on all customers) included.
   */
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
 * Customers grouped by (x, t_x, T), the groups by x, then t_x, then T, and the distinct times
 * ascending, whatever order the customers came in: the likelihood's sums then add the same
 * numbers in the same order, so the same customers give the same parameters to the last bit — a
 * database (a --query, a view) that hands the customers over in another order included (first
 * appearance moved them by ~1e-7).
 *
 * Times are numbered through an open-addressing table on typed arrays rather than a Map (a
 * million customers' times are fractions of a week, which a Map keys as heap numbers), ranked,
 * and the customers put in group order by three stable counting sorts (by T, t_x, then x):
 * equal triples end up side by side and become one group each. Linear in the customers; a
 * comparison sort of the groups took most of the grouping's time.
 */
function prepare(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): Prepared {
  const n = x.length;
  const itx = new Int32Array(n);
  const iT = new Int32Array(n);
  let maxX = 0;
  for (let i = 0; i < n; i++) if (x[i] > maxX) maxX = x[i];
  // the distinct times ascending, customers' times replaced by their ranks among them
  const times = rankWholeDays(tx, T, itx, iT) ?? rankTimes(tx, T, itx, iT);
  // customers as (x, time pair) with time pair = t_x rank · m + T rank, sorted by pair, then
  // stably by x: the values themselves are moved, so the runs are read in order afterwards
  const m = times.length;
  const xs = new Int32Array(n);
  for (let i = 0; i < n; i++) xs[i] = x[i];
  if (m <= MAX_PAIRED_TIMES) {
    const pair = new Int32Array(n);
    for (let i = 0; i < n; i++) pair[i] = itx[i] * m + iT[i];
    const byPair =
      m * m <= Math.max(2 * n, 1 << 22)
        ? sortByKey(pair, xs, m * m)
        : sortByKey(...sortByKey(pair, xs, m), m, m);
    const [sx, sp] = sortByKey(byPair[1], byPair[0], maxX + 1);
    const stx = new Int32Array(n);
    const sT = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      stx[k] = (sp[k] / m) | 0;
      sT[k] = sp[k] % m;
    }
    return groupRuns(sx, stx, sT, times, maxX);
  }
  // more distinct times than a pair of their ranks fits in 31 bits: the customers' order by T,
  // then t_x, then x (stable sorts of their indices)
  let order: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order = orderBy(orderBy(orderBy(order, iT, m), itx, m), xs, maxX + 1);
  const sx = new Int32Array(n);
  const stx = new Int32Array(n);
  const sT = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    sx[k] = xs[order[k]];
    stx[k] = itx[order[k]];
    sT[k] = iT[order[k]];
  }
  return groupRuns(sx, stx, sT, times, maxX);
}

/** Customers in group order → one group per run of equal (x, t_x, T). */
function groupRuns(
  sx: Int32Array,
  stx: Int32Array,
  sT: Int32Array,
  times: Float64Array,
  maxX: number,
): Prepared {
  const n = sx.length;
  const gx = new Int32Array(n);
  const gtx = new Int32Array(n);
  const gT = new Int32Array(n);
  const gw = new Float64Array(n);
  let groups = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && sx[k] === sx[k - 1] && stx[k] === stx[k - 1] && sT[k] === sT[k - 1]) {
      gw[groups - 1]++;
      continue;
    }
    gx[groups] = sx[k];
    gtx[groups] = stx[k];
    gT[groups] = sT[k];
    gw[groups] = 1;
    groups++;
  }
  return {
    groups,
    x: gx.slice(0, groups),
    weight: gw.slice(0, groups),
    tx: gtx.slice(0, groups),
    T: gT.slice(0, groups),
    times,
    maxX,
    customers: n,
  };
}

/** `order` stably sorted by key[order[k]] ∈ [0, range). */
function orderBy(order: Int32Array, key: Int32Array, range: number): Int32Array {
  const start = new Int32Array(range + 1);
  for (let k = 0; k < order.length; k++) start[key[order[k]] + 1]++;
  for (let v = 0; v < range; v++) start[v + 1] += start[v];
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) out[start[key[order[k]]]++] = order[k];
  return out;
}

/** Distinct times whose pairs of ranks (t_x · m + T) still fit in an Int32. */
const MAX_PAIRED_TIMES = 46_340;

/** Whole days beyond this (11,000 years) take the general path. */
const MAX_DAY = 1 << 22;

/**
 * The usual case, times that are whole days / 7 (weeks counted from calendar days): ranks from
 * a table indexed by day, no hashing, no sorting. Null when some time is not d/7 for a whole
 * d ≥ 0 (up to MAX_DAY); 0 and −0 are day 0.
 */
function rankWholeDays(
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
  itx: Int32Array,
  iT: Int32Array,
): Float64Array | null {
  let maxDay = 0;
  for (let i = 0; i < tx.length; i++) {
    const a = Math.round(tx[i] * 7);
    const b = Math.round(T[i] * 7);
    if (!(a >= 0 && b <= MAX_DAY && a / 7 === tx[i] && b / 7 === T[i])) return null;
    itx[i] = a;
    iT[i] = b;
    if (b > maxDay) maxDay = b;
  }
  const rank = new Int32Array(maxDay + 1);
  for (let i = 0; i < tx.length; i++) rank[itx[i]] = rank[iT[i]] = 1;
  let m = 0;
  for (let d = 0; d <= maxDay; d++) if (rank[d]) rank[d] = ++m;
  const times = new Float64Array(m);
  for (let d = 0; d <= maxDay; d++) if (rank[d]) times[--rank[d]] = d / 7;
  for (let i = 0; i < tx.length; i++) {
    itx[i] = rank[itx[i]];
    iT[i] = rank[iT[i]];
  }
  return times;
}

/** Any finite times ≥ 0: numbered through TimeIndex, then ranked. */
function rankTimes(
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
  itx: Int32Array,
  iT: Int32Array,
): Float64Array {
  const index = new TimeIndex();
  for (let i = 0; i < tx.length; i++) {
    itx[i] = index.indexOf(tx[i]);
    iT[i] = index.indexOf(T[i]);
  }
  const sorted = index.values().sort();
  const ranked = new TimeIndex();
  for (let k = 0; k < sorted.length; k++) ranked.indexOf(sorted[k]);
  const first = index.values();
  const rank = new Int32Array(first.length);
  for (let k = 0; k < first.length; k++) rank[k] = ranked.indexOf(first[k]);
  for (let i = 0; i < tx.length; i++) {
    itx[i] = rank[itx[i]];
    iT[i] = rank[iT[i]];
  }
  return sorted;
}

/**
 * (key, other) stably sorted by the digit ⌊key / div⌋ mod range: a counting sort that moves the
 * values, returned as [key, other]. (No digit function: a call per element cost more than the
 * sort.)
 */
function sortByKey(
  key: Int32Array,
  other: Int32Array,
  range: number,
  div = 1,
): [Int32Array, Int32Array] {
  const n = key.length;
  const start = new Int32Array(range + 1);
  for (let i = 0; i < n; i++) start[(((key[i] / div) | 0) % range) + 1]++;
  for (let v = 0; v < range; v++) start[v + 1] += start[v];
  const k2 = new Int32Array(n);
  const o2 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = start[((key[i] / div) | 0) % range]++;
    k2[at] = key[i];
    o2[at] = other[i];
  }
  return [k2, o2];
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
  /** Customers per purchase count x: the per-x parts of the Hessian are summed by x. */
  byX: Float64Array;
  grad: Float64Array;
  hess: Float64Array;
  acc: Float64Array;
}

/**
 * Log-likelihood, and its gradient and Hessian with respect to (ln r, ln α, ln a, ln b) written
 * into grad and hess (row-major 4 × 4). Always computed: one branch-free code path keeps the JIT
 * from deoptimising the hot loop, and the Hessian costs a few multiplications per group beside
 * the exp and log1p.
 * Per customer: ℓ = c1(x) + ln(e^t1 + [x>0] e^t2), t1 = −(r+x) ln(α+T), t2 = c4(x) − (r+x) ln(α+t_x).
 * With w1, w2 the weights of t1, t2 in the log-sum-exp, ∇ℓ = ∇c1 + w1∇t1 + w2∇t2 and
 * ∇²ℓ = ∇²c1 + w1∇²t1 + w2∇²t2 + w1w2 (∇t1 − ∇t2)(∇t1 − ∇t2)ᵀ; ∇²c1 depends on x only, its
 * differences of trigammas written as finite sums (ψ'(y) − ψ'(y+x) = Σ_{k<x} 1/(y+k)²).
 */
function _logLikelihood(
  p: BgnbdParams,
  d: Prepared,
  s: Scratch,
  grad: Float64Array = s.grad,
  hess: Float64Array = s.hess,
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
  const logA = Math.log(a);
  const { c1, c4, dc1r, dc1a, dc1b, dc4b, byX } = s;
  // The per-x parts as running sums over k < x rather than differences of (log-, di-, tri-)
  // gammas: Γ(r+x)/Γ(r) = Π (r+k), Γ(b+x)Γ(a+b)/(Γ(b)Γ(a+b+x)) = Π (b+k)/(a+b+k). Exact to
  // rounding however large a and b grow (towards a no-dropout limit both run off to 1e10 and
  // more, where lgamma(a+b) − lgamma(b) kept only a few digits and made the likelihood noisy).
  let sumLog = 0; // Σ ln(r+k) − ln(1 + a/(b+k))
  let sumR = 0; // Σ 1/(r+k)
  let sumAB = 0; // Σ 1/(a+b+k)
  let sumB = 0; // Σ a/((b+k)(a+b+k)) = Σ 1/(b+k) − 1/(a+b+k)
  let sumR2 = 0; // Σ 1/(r+k)²
  let sumAB2 = 0; // Σ 1/(a+b+k)²
  let sumB2 = 0; // Σ 1/(b+k)²
  // the per-x part of the Hessian (natural parameters), summed over the customers by x
  let hcRR = 0;
  let hcAA = 0;
  let hcBB = 0;
  for (let x = 0; x <= d.maxX; x++) {
    if (x > 0) {
      const k = x - 1;
      const rk = r + k;
      const bk = b + k;
      const abk = a + b + k;
      sumLog += Math.log(rk) - Math.log1p(a / bk);
      sumR += 1 / rk;
      sumAB += 1 / abk;
      sumB += a / (bk * abk);
      sumR2 += 1 / (rk * rk);
      sumAB2 += 1 / (abk * abk);
      sumB2 += 1 / (bk * bk);
    }
    c1[x] = r * logAlpha + sumLog;
    c4[x] = x > 0 ? logA - Math.log(b + x - 1) : -Infinity;
    dc1r[x] = logAlpha + sumR;
    dc1a[x] = -sumAB;
    dc1b[x] = sumB;
    dc4b[x] = x > 0 ? -1 / (b + x - 1) : 0;
    const w = byX[x];
    if (w > 0) {
      hcRR -= w * sumR2;
      hcAA += w * sumAB2;
      hcBB += w * (sumAB2 - sumB2);
    }
  }
  const acc = s.acc;
  acc.fill(0);
  for (let lo = 0; lo < d.groups; lo += CHUNK)
    accumulate(r, alpha, a, d, s, lo, Math.min(d.groups, lo + CHUNK), acc);
  const n = d.customers;
  // natural-parameter Hessian, order (r, α, a, b)
  const hRR = hcRR + acc[5];
  const hRAl = n / alpha + acc[6];
  const hRA = -acc[7] / a;
  const hRB = acc[8];
  const hAlAl = (-n * r) / (alpha * alpha) + acc[9];
  const hAlA = -acc[10] / a;
  const hAlB = acc[11];
  const hAA = hcAA - acc[12] / (a * a);
  const hAB = hcAA - acc[13] / a;
  const hBB = hcBB + acc[14];
  // to log-parameters u = ln θ: ∂ℓ/∂u_i = θ_i g_i, ∂²ℓ/∂u_i∂u_j = θ_i θ_j H_ij + [i = j] θ_i g_i
  const th = [r, alpha, a, b];
  const g = [acc[1], acc[2], acc[3], acc[4]];
  const H = [
    [hRR, hRAl, hRA, hRB],
    [hRAl, hAlAl, hAlA, hAlB],
    [hRA, hAlA, hAA, hAB],
    [hRB, hAlB, hAB, hBB],
  ];
  for (let i = 0; i < 4; i++) {
    grad[i] = g[i] * th[i];
    for (let j = 0; j < 4; j++) hess[i * 4 + j] = th[i] * th[j] * H[i][j];
    hess[i * 5] += grad[i];
  }
  return acc[0];
}

/**
 * Groups per call of the hot loop. Short calls let the JIT optimise `accumulate` as a whole;
 * one long loop gets on-stack-replaced code that V8 deoptimises at every exit.
 */
const CHUNK = 1024;

/**
 * Adds ℓ and ∂ℓ/∂(r, α, a, b) of groups [lo, hi) to acc[0..4], and the sums the Hessian is made
 * of to acc[5..14] (see _logLikelihood).
 */
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
  // Hessian sums: h·· for the products of ∇t1 − ∇t2 = (d0, d1, −1/a, k) weighted by w1w2,
  // and of the second derivatives of t1, t2
  let hrr = 0;
  let hral = 0;
  let hra = 0;
  let hrb = 0;
  let halal = 0;
  let hala = 0;
  let halb = 0;
  let haa = 0;
  let hab = 0;
  let hbb = 0;
  for (let g = lo; g < hi; g++) {
    const x = gx[g];
    const w = gw[g];
    const rx = r + x;
    const iT = gT[g];
    const lT = logTime[iT];
    const vT = invTime[iT];
    const t1 = -rx * lT;
    if (x === 0) {
      ll += w * (c1[0] + t1);
      gr += w * (dc1r[0] - lT);
      gal += w * (r / alpha - rx * vT);
      ga += w * dc1a[0];
      gb += w * dc1b[0];
      hral -= w * vT;
      halal += w * rx * vT * vT;
      continue;
    }
    const itx = gtx[g];
    const lx = logTime[itx];
    const vx = invTime[itx];
    const t2 = c4[x] - rx * lx;
    const top = t1 > t2 ? t1 : t2;
    const e = Math.exp(-Math.abs(t1 - t2));
    ll += w * (c1[x] + top + Math.log1p(e));
    // Weight of the "dropped out at t_x" term t2 in the log-sum-exp.
    const w2 = t2 >= t1 ? 1 / (1 + e) : e / (1 + e);
    const w1 = 1 - w2;
    const k = -dc4b[x];
    gr += w * (dc1r[x] - w1 * lT - w2 * lx);
    gal += w * (r / alpha - rx * (w1 * vT + w2 * vx));
    ga += w * (dc1a[x] + w2 / a);
    gb += w * (dc1b[x] - w2 * k);
    const q = w * w1 * w2;
    const d0 = lx - lT;
    const d1 = rx * (vx - vT);
    const ww2 = w * w2;
    hrr += q * d0 * d0;
    hral += q * d0 * d1 - w * (w1 * vT + w2 * vx);
    hra += q * d0;
    hrb += q * d0 * k;
    halal += q * d1 * d1 + w * rx * (w1 * vT * vT + w2 * vx * vx);
    hala += q * d1;
    halb += q * d1 * k;
    haa += ww2 * w2;
    hab += q * k;
    hbb += (ww2 + q) * k * k;
  }
  acc[0] += ll;
  acc[1] += gr;
  acc[2] += gal;
  acc[3] += ga;
  acc[4] += gb;
  acc[5] += hrr;
  acc[6] += hral;
  acc[7] += hra;
  acc[8] += hrb;
  acc[9] += halal;
  acc[10] += hala;
  acc[11] += halb;
  acc[12] += haa;
  acc[13] += hab;
  acc[14] += hbb;
}

function scratchFor(d: Prepared): Scratch {
  const perX = () => new Float64Array(d.maxX + 1);
  const byX = perX();
  for (let g = 0; g < d.groups; g++) byX[d.x[g]] += d.weight[g];
  return {
    logTime: new Float64Array(d.times.length),
    invTime: new Float64Array(d.times.length),
    c1: perX(),
    c4: perX(),
    dc1r: perX(),
    dc1a: perX(),
    dc1b: perX(),
    dc4b: perX(),
    byX,
    grad: new Float64Array(4),
    hess: new Float64Array(16),
    acc: new Float64Array(15),
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

/**
 * The total log-likelihood with its gradient and Hessian (row-major 4 × 4) with respect to
 * (ln r, ln α, ln a, ln b), as the fit uses them; null for invalid parameters.
 */
export function bgnbdLogLikelihoodDerivatives(
  p: BgnbdParams,
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
): { ll: number; grad: Float64Array; hess: Float64Array } | null {
  validate(x, tx, T);
  if (!validParams(p)) return null;
  const d = prepare(x, tx, T);
  const grad = new Float64Array(4);
  const hess = new Float64Array(16);
  const ll = _logLikelihood(p, d, scratchFor(d), grad, hess);
  return { ll, grad, hess };
}

/** log-parameters beyond ±LOG_LIMIT (1e-7 … 1e7) mean the fit ran off to a boundary. */
const LOG_LIMIT = 16;

/**
 * The search stays within ±2·LOG_LIMIT on ln r and ln α, and within ±SEARCH_LIMIT on ln a and
 * ln b. Wide: towards the no-dropout limit
 * a and b can run off together (p ~ Beta(a, b) narrowing onto a mean a/(a+b) → 0), and the fit
 * must get close enough to that limit for its likelihood to tell (a/b ~ 1e-10 at a million
 * customers); the likelihood's per-x parts are sums that stay exact there.
 */
const SEARCH_LIMIT = 64;

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

const fromLog = (v: ArrayLike<number>): BgnbdParams => ({
  r: Math.exp(v[0]),
  alpha: Math.exp(v[1]),
  a: Math.exp(v[2]),
  b: Math.exp(v[3]),
});

/**
 * A fit of more customers than this starts from the fit of a sample of SAMPLE_SIZE of them:
 * near the maximum, Newton's method on all of them then needs only the last few steps.
 */
const SAMPLE_ABOVE = 200_000;
const SAMPLE_SIZE = 50_000;

/**
 * Every k-th customer in the fixed order of the groups (by x, t_x, T), k = ⌈N / SAMPLE_SIZE⌉:
 * a systematic sample, spread evenly over purchase counts and times, and the same for the same
 * customers whatever order they came in. Null for too few customers to need one.
 */
function sampleOf(d: Prepared): Prepared | null {
  if (d.customers <= SAMPLE_ABOVE) return null;
  const k = Math.ceil(d.customers / SAMPLE_SIZE);
  const keep: number[] = [];
  const weight: number[] = [];
  let seen = 0;
  for (let g = 0; g < d.groups; g++) {
    // customers seen … seen + w − 1; those with index ≡ k − 1 (mod k) are in the sample
    const w = d.weight[g];
    const taken = Math.floor((seen + w) / k) - Math.floor(seen / k);
    seen += w;
    if (taken > 0) {
      keep.push(g);
      weight.push(taken);
    }
  }
  const pick = (v: Int32Array) => {
    const out = new Int32Array(keep.length);
    for (let j = 0; j < keep.length; j++) out[j] = v[keep[j]];
    return out;
  };
  const x = pick(d.x);
  return {
    groups: keep.length,
    x,
    weight: Float64Array.from(weight),
    tx: pick(d.tx),
    T: pick(d.T),
    times: d.times,
    maxX: x.reduce((m, v) => Math.max(m, v), 0),
    customers: weight.reduce((t, w) => t + w, 0),
  };
}

/** Newton's method on −ℓ/N over log-parameters from `start`; `last` keeps the last ℓ evaluated. */
function newtonFit(
  d: Prepared,
  start: readonly number[],
  last: { v: Float64Array | null; ll: number },
): MinimizeResult {
  const s = scratchFor(d);
  const scale = 1 / d.customers;
  const withHessian = (v: Float64Array, grad: Float64Array, hess: Float64Array): number => {
    if (outOfRange(v)) return Infinity;
    const ll = _logLikelihood(fromLog(v), d, s, grad, hess);
    last.v = Float64Array.from(v);
    last.ll = ll;
    for (let i = 0; i < 4; i++) grad[i] *= -scale;
    for (let i = 0; i < 16; i++) hess[i] *= -scale;
    return -ll * scale;
  };
  return minimizeNewton(withHessian, start, { gTol: Math.min(1e-8, 1e-4 * scale) });
}

/**
 * Starting points (ln a, ln b), each with r = 1 and α matched to the average purchase rate.
 * Two, as the likelihood can have two hills: from a = b = 1 Newton's method may climb towards
 * a, b → ∞ together (every customer dropping out with one small probability) while the
 * maximum lies at a small a (few customers ever dropping out), which a start at a = e^−2 finds
 * (on 300,000 customers drawn with a = 0.001, b = 100: a log-likelihood 1.42 higher).
 */
const START_AB = [
  [0, 0],
  [-2, 0],
] as const;

/** r beats q: converged over not, then the smaller value (the first of equals is kept). */
const better = (r: MinimizeResult, q: MinimizeResult): boolean =>
  r.converged !== q.converged ? r.converged : r.f < q.f;

const outOfRange = (v: ArrayLike<number>): boolean =>
  Math.abs(v[0]) > 2 * LOG_LIMIT ||
  Math.abs(v[1]) > 2 * LOG_LIMIT ||
  Math.abs(v[2]) > SEARCH_LIMIT ||
  Math.abs(v[3]) > SEARCH_LIMIT;

function _fit(d: Prepared): BgnbdFit {
  const s = scratchFor(d);
  const logAlpha0 = Math.log(startAlpha(d));
  const scale = 1 / d.customers;
  const last: { v: Float64Array | null; ll: number } = { v: null, ll: NaN };
  let iterations = 0;
  let evaluations = 0;
  const run = (data: Prepared, from: readonly number[]): MinimizeResult => {
    const r = newtonFit(data, from, last);
    iterations += r.iterations;
    evaluations += r.evaluations;
    return r;
  };
  // Newton from each start on the sample (or on all customers when there are few), the best
  // maximum then on all customers; Nelder–Mead from its end point if that does not converge.
  const sample = sampleOf(d);
  const starts = START_AB.map(([a, b]) => [0, logAlpha0, a, b]);
  let best: MinimizeResult | null = null;
  for (const from of starts) {
    const r = run(sample ?? d, from);
    if (best === null || better(r, best)) best = r;
  }
  let res = best!;
  if (sample) {
    res = run(d, res.converged ? res.x : starts[0]);
    if (!res.converged) res = run(d, starts[0]);
  }
  if (!res.converged) {
    const objective = (v: Float64Array): number =>
      outOfRange(v) ? Infinity : -_logLikelihood(fromLog(v), d, s) * scale;
    const nm = minimize(objective, Number.isFinite(res.f) ? res.x : starts[0]);
    iterations += nm.iterations;
    evaluations += nm.evaluations;
    res = nm;
  }
  const params = fromLog(res.x);
  // ℓ at the result: Newton's last evaluation is usually there
  const at = res.x;
  const ll =
    last.v && last.v.every((v, i) => v === at[i]) && !Number.isNaN(last.ll)
      ? last.ll
      : _logLikelihood(params, d, s);
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
    iterations,
    evaluations,
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
  return expectedTransactionsIfAlive(p, t, x, T) * pAlive(p, x, tx, T);
}

/**
 * E[Y(t) | x, T, alive]: conditionalExpectedTransactions is exactly this times pAlive(p, x, t_x,
 * T), so customers with the same x and T (any t_x) can share it (clv.ts does, for a million).
 */
export function expectedTransactionsIfAlive(
  p: BgnbdParams,
  t: number,
  x: number,
  T: number,
): number {
  if (!(t > 0)) return 0;
  const z = t / (p.alpha + T + t);
  return expectationCore(p.r, p.a, p.b, x, z);
}
