/**
 * Customer pyramid (客户金字塔), SPEC §5: by value, top 1% platinum 铂金, next 4% gold 黄金,
 * next 15% iron 铁, the remaining 80% lead 铅. The settings are cumulative shares (0.01, 0.05,
 * 0.20); tier boundaries are ceil(share × customers) of the customers with rows, ranked by
 * value descending, ties by ID.
 */
import type { Dataset } from "./types.js";
import type { Settings } from "./settings.js";
import { isNumber, rankByValue } from "./value.js";

export const TIERS = {
  platinum: { zh: "铂金", en: "Platinum" },
  gold: { zh: "黄金", en: "Gold" },
  iron: { zh: "铁", en: "Iron" },
  lead: { zh: "铅", en: "Lead" },
} as const;
export type Tier = keyof typeof TIERS;
export const isTier = (x: unknown): x is Tier => typeof x === "string" && x in TIERS;
export const TIER_KEYS = Object.keys(TIERS) as Tier[];

export interface PyramidResult {
  tier: (Tier | null)[];
  counts: Record<Tier, number>;
  value: Record<Tier, number>;
}

/** `ranking`: valueRanking(value, ds) when the caller has it (saves the sort). */
export function customerPyramid(
  value: Float64Array,
  ds: Dataset,
  settings: Settings,
  ranking?: Int32Array,
): PyramidResult {
  const order = rankByValue(value, ds, isNumber, ranking);
  const m = order.length;
  const { platinum, gold, iron } = settings.pyramid;
  const limits: [Tier, number][] = [
    ["platinum", Math.ceil(platinum * m - 1e-9)],
    ["gold", Math.ceil(gold * m - 1e-9)],
    ["iron", Math.ceil(iron * m - 1e-9)],
    ["lead", m],
  ];
  const tier: (Tier | null)[] = new Array(value.length).fill(null);
  const counts: Record<Tier, number> = { platinum: 0, gold: 0, iron: 0, lead: 0 };
  const sums: Record<Tier, number> = { platinum: 0, gold: 0, iron: 0, lead: 0 };
  // each tier is a run of the ranking: filled and summed run by run
  let start = 0;
  for (const [key, limit] of limits) {
    const end = Math.max(start, limit);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const c = order[i];
      tier[c] = key;
      sum += value[c];
    }
    counts[key] = end - start;
    sums[key] = sum;
    start = end;
  }
  return { tier, counts, value: sums };
}
