/**
 * Special functions for the CLV models: log-gamma, log-beta and the Gauss hypergeometric
 * function 2F1, which the BG/NBD expectations need (SPEC §8).
 *
 * Decisions:
 * - lgamma is Lanczos (g = 7, 9 terms), accurate to ~1e-15 for x ≥ 0.5; reflection below.
 * - 2F1 is evaluated for real z ≤ 1 only (all the models need). The power series is summed
 *   directly for 0 ≤ z ≤ 0.8; negative z goes through Pfaff's transformation into (0, 1);
 *   z in (0.8, 1) goes through the 1 − z connection formula, whose series converge fast there.
 *   When c − a − b is (nearly) an integer the two terms of that formula have cancelling poles;
 *   the function is analytic in c, so we take symmetric averages at c ± δ and c ± 2δ (δ = 1e-4)
 *   and extrapolate (Richardson) instead of the log-series special case: ~1e-10 relative.
 * - Anything that cannot be evaluated returns NaN: callers check with Number.isFinite.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln |Γ(x)|; +Infinity at the poles (0, −1, −2, …). */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) {
    if (x === Math.floor(x)) return Infinity;
    // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  if (x === 1 || x === 2) return 0;
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Sign of Γ(x): 1 or −1 (0 at the poles, where Γ is unbounded and 1/Γ = 0). */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (x === Math.floor(x)) return 0;
  // Γ is negative on (−1, 0), (−3, −2), …
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** ψ(x) = d/dx ln Γ(x): recurrence up to x ≥ 10, then the asymptotic series; reflection below 0. */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) {
    if (x === Math.floor(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const tail = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (5 / 660)))));
  return acc + Math.log(x) - 0.5 / x - tail;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

const isNonPositiveInteger = (x: number): boolean => x <= 0 && x === Math.floor(x);

const SERIES_EPS = 1e-16;
const MAX_TERMS = 100_000;
/** Above this z the connection formula (series in 1 − z ≤ 0.2) takes over from the direct series. */
const Z_SWITCH = 0.8;
/** How close to an integer c − a − b may come before the c ± δ average is used. */
const NEAR_INTEGER = 1e-5;
const C_SHIFT = 1e-4;

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z ≤ 1.
 * NaN when c is a non-positive integer (undefined), when z > 1, or when a series fails to
 * converge; +Infinity at z = 1 when c − a − b ≤ 0.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite) || z > 1) return NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  if (isNonPositiveInteger(c)) return NaN;
  // Polynomials (a or b a non-positive integer) terminate: sum directly for any z in range.
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) return series(a, b, c, z);
  if (z < 0) {
    // Pfaff: 2F1(a, b; c; z) = (1 − z)^−a 2F1(a, c − b; c; z / (z − 1)), argument in (0, 1).
    const w = z / (z - 1);
    const f = hyp2f1(a, c - b, c, w);
    return Math.exp(-a * Math.log1p(-z)) * f;
  }
  if (z === 1) return atOne(a, b, c);
  if (z <= Z_SWITCH) return series(a, b, c, z);
  return nearOne(a, b, c, z);
}

/** Gauss's theorem: 2F1(a, b; c; 1) = Γ(c) Γ(c − a − b) / (Γ(c − a) Γ(c − b)) when c − a − b > 0. */
function atOne(a: number, b: number, c: number): number {
  const s = c - a - b;
  if (s <= 0) return Infinity;
  return signedGammaRatio([c, s], [c - a, c - b], 0);
}

/**
 * Direct power series. The term ratio tends to z; once it is below 1 the rest of the series is
 * bounded by |term|·ρ/(1 − ρ) with ρ = max(current ratio, |z|), and we stop when that bound is
 * negligible twice in a row.
 */
function series(a: number, b: number, c: number, z: number): number {
  let sum = 1;
  let term = 1;
  const az = Math.abs(z);
  let quiet = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    if (!Number.isFinite(sum)) return NaN;
    const rho = Math.max(Math.abs(ratio), az);
    if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= SERIES_EPS * Math.abs(sum)) {
      if (++quiet >= 2) return sum;
    } else {
      quiet = 0;
    }
  }
  return NaN;
}

/**
 * 2F1 for 0.8 < z < 1 by the connection formula (Abramowitz & Stegun 15.3.6):
 * 2F1(a,b;c;z) = Γ(c)Γ(s)/(Γ(c−a)Γ(c−b)) 2F1(a,b;1−s;1−z)
 *              + (1−z)^s Γ(c)Γ(−s)/(Γ(a)Γ(b)) 2F1(c−a,c−b;1+s;1−z),  s = c − a − b.
 */
function nearOne(a: number, b: number, c: number, z: number): number {
  const s = c - a - b;
  if (Math.abs(s - Math.round(s)) < NEAR_INTEGER) {
    // Richardson on the symmetric averages: error O(δ⁴) instead of O(δ²).
    const avg = (d: number): number => 0.5 * (nearOne(a, b, c + d, z) + nearOne(a, b, c - d, z));
    return (4 * avg(C_SHIFT) - avg(2 * C_SHIFT)) / 3;
  }
  const w = 1 - z;
  const lw = Math.log(w);
  const first = signedGammaRatio([c, s], [c - a, c - b], 0);
  const second = signedGammaRatio([c, -s], [a, b], s * lw);
  const t1 = first === 0 ? 0 : first * series(a, b, 1 - s, w);
  const t2 = second === 0 ? 0 : second * series(c - a, c - b, 1 + s, w);
  return t1 + t2;
}

/** Π Γ(num) / Π Γ(den) · e^extraLog, with signs; 0 when a denominator sits on a pole. */
function signedGammaRatio(num: number[], den: number[], extraLog: number): number {
  let sign = 1;
  let log = extraLog;
  for (const x of den) {
    const s = gammaSign(x);
    if (s === 0) return 0;
    sign *= s;
    log -= lgamma(x);
  }
  for (const x of num) {
    const s = gammaSign(x);
    if (s === 0) return NaN;
    sign *= s;
    log += lgamma(x);
  }
  return sign * Math.exp(log);
}
