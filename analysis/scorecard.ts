/**
 * Weighted scorecard (客户关系评估表), SPEC §5: each criterion scaled 0–100 by percentile
 * among the customers with purchases, weighted into one score, graded by cut-offs
 * (A ≥ 80, B ≥ 60, C ≥ 40, D below, all settings).
 *
 * Percentile: 100 × (customers strictly worse + half of the other customers tied with it) /
 * (n − 1), so equal values get equal points, the best gets 100 and the worst 0; one customer
 * alone gets 100. Growth = (recent − previous) / previous window revenue (+∞ when it starts
 * from nothing); tenure = days since the first purchase or first contact, whichever is earlier.
 */
import type { Dataset, Measures } from "./types.js";
import type { Criterion, Grade, Settings } from "./settings.js";
import { windowRevenue } from "./windows.js";

export interface ScorecardResult {
  score: Float64Array;
  grade: (Grade | null)[];
  /** Points 0–100 per criterion (NaN for customers not scored). */
  points: Record<string, Float64Array>;
  criteria: Settings["scorecard"]["criteria"];
}

function criterionValues(c: Criterion, ds: Dataset, m: Measures, settings: Settings): Float64Array {
  const out = new Float64Array(m.count);
  if (c === "growth") {
    const w = windowRevenue(ds, m.asOf, settings.lifecycle.windowDays);
    for (let i = 0; i < m.count; i++) {
      const p = w.previous[i];
      const r = w.recent[i];
      out[i] = p > 0 ? (r - p) / p : r > 0 ? Infinity : r < 0 ? -Infinity : 0;
    }
    return out;
  }
  for (let i = 0; i < m.count; i++) {
    switch (c) {
      case "revenue":
        out[i] = m.monetary[i];
        break;
      case "frequency":
        out[i] = m.frequency[i];
        break;
      case "recency":
        out[i] = -m.recency[i];
        break;
      case "profit":
        out[i] = m.profit ? m.profit[i] : m.monetary[i];
        break;
      case "tenure": {
        const fc = ds.records[i]?.firstContact ?? NaN;
        const first = Number.isFinite(fc) && !(fc > m.firstDay[i]) ? fc : m.firstDay[i];
        out[i] = m.asOf - first;
        break;
      }
    }
  }
  return out;
}

/**
 * Percentile points 0–100 for included customers, ties sharing the mid-rank. The included
 * customers are put in value order by a radix sort of the values' bits (no comparator call per
 * pair, no search per customer: a million customers a criterion), and each run of equal values
 * gets its points. A NaN among them, which has no place in that order, takes the comparator's
 * way (as does a big-endian machine, where the bits lie the other way round).
 */
export function percentilePoints(
  values: Float64Array,
  include: Uint8Array,
  scratch: RadixScratch = radixScratch(),
): Float64Array {
  return pointsInPlace(values.slice(), include, scratch, values);
}

/**
 * percentilePoints written over `values` itself (they are all read first), for the scorecard's
 * own criterion values: at a million customers that is 32 MB less memory outside the heap,
 * whose growth is what sets off V8's full collections. `original`: the values as given, which
 * the comparator's way reads when a NaN turns up.
 */
function pointsInPlace(
  values: Float64Array,
  include: Uint8Array,
  scratch: RadixScratch,
  original: Float64Array = values,
): Float64Array {
  let n = 0;
  for (let c = 0; c < values.length; c++) if (include[c]) n++;
  if (n === 0 || !LITTLE_ENDIAN) return percentilePointsByIndex(original, include);
  const s = scratch.size(n);
  let { idx, lo, hi } = s;
  let { idx2, lo2, hi2 } = s;
  // the included values as 64-bit keys (32-bit words, kept in Int32Arrays: whole numbers for
  // the compiler) ordered as unsigned integers: negatives' bits inverted, positives' sign bit
  // set; −0 as 0, so equal keys ⇔ equal values
  const word = new Int32Array(BITS.buffer);
  let k = 0;
  for (let c = 0; c < values.length; c++) {
    if (!include[c]) continue;
    const v = values[c];
    if (Number.isNaN(v)) return percentilePointsByIndex(original, include);
    BITS[0] = v === 0 ? 0 : v;
    const l = word[0];
    const h = word[1];
    if (h & 0x80000000) {
      hi[k] = ~h;
      lo[k] = ~l;
    } else {
      hi[k] = h | 0x80000000;
      lo[k] = l;
    }
    idx[k++] = c;
  }
  // least significant digit first, 16 bits a pass; a pass where all share the digit is skipped
  const count = s.count;
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & 0xffff]++;
    if (count[(src[0] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const x = count[b];
      count[b] = sum;
      sum += x;
    }
    for (let i = 0; i < n; i++) {
      const at = count[(src[i] >>> shift) & 0xffff]++;
      idx2[at] = idx[i];
      lo2[at] = lo[i];
      hi2[at] = hi[i];
    }
    [idx, idx2] = [idx2, idx];
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  // the values are all read: the points go in their place, NaN for those not included
  const out = values;
  for (let c = 0; c < out.length; c++) if (!include[c]) out[c] = NaN;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && lo[j + 1] === lo[i] && hi[j + 1] === hi[i]) j++;
    const pts = n === 1 ? 100 : (100 * (i + (j - i) / 2)) / (n - 1);
    for (let m = i; m <= j; m++) out[idx[m]] = pts;
    i = j + 1;
  }
  return out;
}

/** One number's bits, read as two 32-bit words. */
const BITS = new Float64Array(1);

/**
 * The radix sort's working arrays, made once for the criteria of one scorecard rather than
 * for each (six arrays of 4 MB at a million customers).
 */
export interface RadixScratch {
  size(n: number): {
    idx: Int32Array;
    lo: Int32Array;
    hi: Int32Array;
    idx2: Int32Array;
    lo2: Int32Array;
    hi2: Int32Array;
    count: Int32Array;
  };
}
function radixScratch(): RadixScratch {
  let buffer = new Int32Array(0);
  let count: Int32Array | null = null;
  return {
    size(n) {
      if (buffer.length < 6 * n) buffer = new Int32Array(6 * n);
      count ??= new Int32Array(65536);
      const part = (k: number) => buffer.subarray(k * n, (k + 1) * n);
      return {
        idx: part(0),
        lo: part(1),
        hi: part(2),
        idx2: part(3),
        lo2: part(4),
        hi2: part(5),
        count,
      };
    },
  };
}

/** Whether this machine stores numbers little-endian (a Float64Array's low word first). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** percentilePoints by sorting customer indices with a comparator (values holding NaN). */
function percentilePointsByIndex(values: Float64Array, include: Uint8Array): Float64Array {
  const idx: number[] = [];
  for (let c = 0; c < values.length; c++) if (include[c]) idx.push(c);
  const out = new Float64Array(values.length).fill(NaN);
  const n = idx.length;
  idx.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[idx[j + 1]] === values[idx[i]]) j++;
    const tiedOthers = j - i;
    const pts = n === 1 ? 100 : (100 * (i + tiedOthers / 2)) / (n - 1);
    for (let k = i; k <= j; k++) out[idx[k]] = pts;
    i = j + 1;
  }
  return out;
}

export function scorecard(ds: Dataset, m: Measures, settings: Settings): ScorecardResult {
  const { criteria, cutoffs } = settings.scorecard;
  const totalWeight = criteria.reduce((s, c) => s + c.weight, 0);
  const score = new Float64Array(m.count).fill(NaN);
  const grade: (Grade | null)[] = new Array(m.count).fill(null);
  const points: Record<string, Float64Array> = {};
  const scratch = radixScratch();
  for (const { criterion } of criteria) {
    points[criterion] = pointsInPlace(
      criterionValues(criterion, ds, m, settings),
      m.purchased,
      scratch,
    );
  }
  // the criteria's points and weights in order, looked up once rather than per customer
  const columns = criteria.map(({ criterion }) => points[criterion]);
  const weights = criteria.map(({ weight }) => weight);
  for (let c = 0; c < m.count; c++) {
    if (!m.purchased[c] || totalWeight <= 0) continue;
    let s = 0;
    for (let k = 0; k < columns.length; k++) s += weights[k] * columns[k][c];
    const v = s / totalWeight;
    score[c] = v;
    grade[c] = v >= cutoffs.A ? "A" : v >= cutoffs.B ? "B" : v >= cutoffs.C ? "C" : "D";
  }
  return { score, grade, points, criteria };
}
