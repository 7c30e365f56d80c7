/**
 * RFM segments, SPEC §4: the 8-cell RFM cube (RFM 立方体) and the named segments of the R
 * `rfm` package (a settings table; first matching row wins, as the package's current version
 * does; no match → Others 其他).
 */
import type { RfmScores } from "./rfm.js";
import type { SegmentRule } from "./settings.js";

/** Cube cells keyed by R/F/M high (1) or low (0). Action texts live in messages/rules.ts. */
export const CUBE = {
  importantValue: { zh: "重要价值客户", en: "Important value", r: 1, f: 1, m: 1, health: "green" },
  importantDevelop: {
    zh: "重要发展客户",
    en: "Important develop",
    r: 1,
    f: 0,
    m: 1,
    health: "green",
  },
  importantRetain: {
    zh: "重要保持客户",
    en: "Important retain",
    r: 0,
    f: 1,
    m: 1,
    health: "yellow",
  },
  importantWinBack: {
    zh: "重要挽留客户",
    en: "Important win-back",
    r: 0,
    f: 0,
    m: 1,
    health: "red",
  },
  generalValue: { zh: "一般价值客户", en: "General value", r: 1, f: 1, m: 0, health: "green" },
  generalDevelop: { zh: "一般发展客户", en: "General develop", r: 1, f: 0, m: 0, health: "yellow" },
  generalRetain: { zh: "一般保持客户", en: "General retain", r: 0, f: 1, m: 0, health: "yellow" },
  generalWinBack: { zh: "一般挽留客户", en: "General win-back", r: 0, f: 0, m: 0, health: "red" },
} as const;
export type CubeCell = keyof typeof CUBE;
export const isCubeCell = (x: unknown): x is CubeCell => typeof x === "string" && x in CUBE;
export const CUBE_KEYS = Object.keys(CUBE) as CubeCell[];

const CUBE_BY_BITS: CubeCell[] = new Array(8);
for (const key of CUBE_KEYS) {
  const c = CUBE[key];
  CUBE_BY_BITS[(c.r << 2) | (c.f << 1) | c.m] = key;
}

/** The cube cell: each score high when at or above that measure's mean score. */
export function cubeCell(r: number, f: number, m: number, mean: RfmScores["mean"]): CubeCell {
  const bits = ((r >= mean.r ? 1 : 0) << 2) | ((f >= mean.f ? 1 : 0) << 1) | (m >= mean.m ? 1 : 0);
  return CUBE_BY_BITS[bits];
}

export const OTHERS = "Others";
export const OTHERS_ZH = "其他";

const inRange = (x: number, [lo, hi]: [number, number]) => x >= lo && x <= hi;

/** The first rule whose three ranges all match, else null (Others). */
export function namedSegment(
  r: number,
  f: number,
  m: number,
  rules: SegmentRule[],
): SegmentRule | null {
  for (const rule of rules) {
    if (inRange(r, rule.r) && inRange(f, rule.f) && inRange(m, rule.m)) return rule;
  }
  return null;
}

export interface Segments {
  /** Cube cell per customer (null when not scored). */
  cube: (CubeCell | null)[];
  /** Named segment per customer: SegmentRule.name, "Others", or null when not scored. */
  named: (string | null)[];
}

export function segmentCustomers(scores: RfmScores, rules: SegmentRule[]): Segments {
  const count = scores.r.length;
  const cube: (CubeCell | null)[] = new Array(count).fill(null);
  const named: (string | null)[] = new Array(count).fill(null);
  // both depend only on (r, f, m): each combination of scores 1..5 is looked up once
  const cubeOf: (CubeCell | undefined)[] = new Array(216);
  const namedOf: (string | undefined)[] = new Array(216);
  for (let c = 0; c < count; c++) {
    const r = scores.r[c];
    if (!r) continue;
    const f = scores.f[c];
    const m = scores.m[c];
    const key = r <= 5 && f <= 5 && m <= 5 ? (r * 6 + f) * 6 + m : -1;
    if (key < 0) {
      cube[c] = cubeCell(r, f, m, scores.mean);
      named[c] = namedSegment(r, f, m, rules)?.name ?? OTHERS;
      continue;
    }
    cube[c] = cubeOf[key] ??= cubeCell(r, f, m, scores.mean);
    named[c] = namedOf[key] ??= namedSegment(r, f, m, rules)?.name ?? OTHERS;
  }
  return { cube, named };
}

/** Label of a named segment in the language (custom rows carry their own zh name). */
export function segmentLabel(name: string, rules: SegmentRule[], lang: "zh" | "en"): string {
  if (name === OTHERS) return lang === "zh" ? OTHERS_ZH : OTHERS;
  const rule = rules.find((r) => r.name === name);
  return lang === "zh" && rule ? rule.zh : name;
}
