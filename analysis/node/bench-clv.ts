/**
 * CLV fitting benchmark (SPEC §11, issue target: both models on 23,570 customers in < 0.3 s).
 * Draws ten times the CDNOW sample from the BG/NBD + Gamma-Gamma process with the published
 * CDNOW parameters (seeded, so every run sees the same customers), builds the per-customer
 * summary through the same code as a user's orders (calibrationSummary), and times fitting both
 * models. `npm run bench` prints the figures; no unit test asserts a time.
 */
import type { Dataset } from "../types.js";
import { calibrationSummary } from "../clv.js";
import { fitBgnbd, type BgnbdParams } from "../bgnbd.js";
import { fitGammaGamma, type GammaGammaParams } from "../gammagamma.js";
import { mulberry32 } from "../random.js";

export const CDNOW_BGNBD: BgnbdParams = { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
export const CDNOW_GAMMA_GAMMA: GammaGammaParams = { p: 6.2496, q: 3.7442, v: 15.4435 };

export interface BenchClvResult {
  customers: number;
  /** Seconds to fit both models (first, cold run: what a user's single analysis pays). */
  seconds: number;
  /** The same fits once more, the code already compiled by the JIT. */
  warmSeconds: number;
  /** Seconds to build the per-customer summary from the order rows (first run). */
  summarySeconds: number;
  params: { bgnbd: BgnbdParams & { ll: number }; gamma_gamma: GammaGammaParams };
  converged: boolean;
}

/** Draw `customers` customers (default 23,570) and time fitting BG/NBD and Gamma-Gamma. */
export function benchClv(customers = 23_570, seed = 20050101): BenchClvResult {
  const { ds, asOf } = simulateCustomers(customers, seed);
  const run = () => {
    const t0 = performance.now();
    const s = calibrationSummary(ds, asOf);
    const t1 = performance.now();
    const x: number[] = [];
    const tx: number[] = [];
    const T: number[] = [];
    const sx: number[] = [];
    const sz: number[] = [];
    for (let c = 0; c < s.x.length; c++) {
      if (Number.isNaN(s.x[c])) continue;
      x.push(s.x[c]);
      tx.push(s.tx[c]);
      T.push(s.T[c]);
      if (s.x[c] > 0 && s.zbar[c] > 0) {
        sx.push(s.x[c]);
        sz.push(s.zbar[c]);
      }
    }
    const t2 = performance.now();
    const bg = fitBgnbd(x, tx, T);
    const gg = fitGammaGamma(sx, sz);
    return { seconds: (performance.now() - t2) / 1000, summarySeconds: (t1 - t0) / 1000, bg, gg };
  };
  const cold = run();
  const warm = run();
  return {
    customers,
    seconds: cold.seconds,
    warmSeconds: warm.seconds,
    summarySeconds: cold.summarySeconds,
    params: { bgnbd: { ...cold.bg.params, ll: cold.bg.ll }, gamma_gamma: cold.gg.params },
    converged: cold.bg.converged && cold.gg.converged,
  };
}

export interface BenchBgnbdScaleResult {
  customers: number;
  /** Seconds of fitBgnbd alone (grouping included), first run. */
  seconds: number;
  evaluations: number;
  params: BgnbdParams;
  converged: boolean;
}

/**
 * The BG/NBD fit at scale (issue 19 §5: a million customers): per-customer x, t_x, T drawn
 * straight from the BG/NBD process with the CDNOW parameters, each customer observed for 1 to
 * 730 whole days (so ~300,000 distinct (x, t_x, T) at a million customers), and fitBgnbd timed
 * alone. No order rows: the summary's cost is measured by the full-analysis figures.
 */
export function benchBgnbdScale(customers = 1_000_000, seed = 19): BenchBgnbdScaleResult {
  const { x, tx, T } = drawSummary(customers, seed);
  const t0 = performance.now();
  const fit = fitBgnbd(x, tx, T);
  return {
    customers,
    seconds: (performance.now() - t0) / 1000,
    evaluations: fit.evaluations,
    params: fit.params,
    converged: fit.converged,
  };
}

/** x, t_x, T (weeks, whole days / 7) of `customers` BG/NBD customers. */
export function drawSummary(
  customers: number,
  seed: number,
  bg: BgnbdParams = CDNOW_BGNBD,
): { x: Float64Array; tx: Float64Array; T: Float64Array } {
  const rand = mulberry32(seed);
  const x = new Float64Array(customers);
  const tx = new Float64Array(customers);
  const T = new Float64Array(customers);
  for (let c = 0; c < customers; c++) {
    const days = 1 + Math.floor(rand() * 730);
    const lambda = gamma(rand, bg.r) / bg.alpha;
    const ga = gamma(rand, bg.a);
    const drop = ga / (ga + gamma(rand, bg.b));
    let t = 0;
    let k = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(1 - rand()) / lambda;
      const day = Math.floor(t * 7);
      if (!(day <= days)) break;
      // purchases on the day of the one before are one, as in the summary of order rows
      if (day > last) {
        k++;
        last = day;
      }
      if (rand() < drop) break;
    }
    x[c] = k;
    tx[c] = last / 7;
    T[c] = days / 7;
  }
  return { x, tx, T };
}

/**
 * Customers as in the CDNOW design: first purchases spread over 12 weeks from 1997-01-01,
 * calibration to 1997-09-30. While alive a customer buys at rate λ ~ Gamma(r, α) per week and
 * drops out after each repeat purchase with probability p ~ Beta(a, b); each purchase's value
 * is Gamma(p, ν) with ν ~ Gamma(q, γ). Purchases become order rows on their calendar day.
 */
export function simulateCustomers(
  customers: number,
  seed: number,
  bg: BgnbdParams = CDNOW_BGNBD,
  gg: GammaGammaParams = CDNOW_GAMMA_GAMMA,
): { ds: Dataset; asOf: number } {
  const rand = mulberry32(seed);
  const start = Date.UTC(1997, 0, 1) / 86_400_000;
  const asOf = Date.UTC(1997, 8, 30) / 86_400_000;
  const cust: number[] = [];
  const days: number[] = [];
  const amounts: number[] = [];
  for (let c = 0; c < customers; c++) {
    const first = start + Math.floor(rand() * 84);
    const T = (asOf - first) / 7;
    const lambda = gamma(rand, bg.r) / bg.alpha;
    const ga = gamma(rand, bg.a);
    const drop = ga / (ga + gamma(rand, bg.b));
    const nu = gamma(rand, gg.q) / gg.v;
    const buy = (week: number) => {
      cust.push(c);
      days.push(first + Math.floor(week * 7));
      amounts.push(Math.round((gamma(rand, gg.p) / nu) * 100) / 100);
    };
    buy(0);
    let t = 0;
    for (;;) {
      t += -Math.log(1 - rand()) / lambda;
      if (!(t <= T)) break;
      buy(t);
      if (rand() < drop) break;
    }
  }
  const n = cust.length;
  const ds: Dataset = {
    customerIds: Array.from({ length: customers }, (_, c) => `S${c + 1}`),
    records: new Array(customers).fill(null),
    orders: {
      n,
      customer: Int32Array.from(cust),
      day: Int32Array.from(days),
      amount: Float64Array.from(amounts),
      cost: null,
      order: Int32Array.from({ length: n }, (_, i) => i),
      cancelled: new Uint8Array(n),
      orderCount: n,
    },
    interactions: [],
    issues: [],
    counts: {
      rowsRead: n,
      rowsUsed: n,
      orderRowsRead: n,
      orderRowsUsed: n,
      skipped: {},
      afterAsOf: 0,
    },
    hasCost: false,
    maxDay: days.reduce((m, d) => Math.max(m, d), -Infinity),
    sources: { orders: "simulated", customers: null, interactions: null },
  };
  return { ds, asOf };
}

/** Gamma(shape, 1) by Marsaglia & Tsang; shape < 1 via the U^(1/shape) boost. */
function gamma(rand: () => number, shape: number): number {
  if (shape < 1) return gamma(rand, shape + 1) * Math.pow(1 - rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rand();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return d * v;
  }
}

/** Standard normal by Box–Muller (one of the pair). */
function normal(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
