/**
 * Lifecycle stages (客户关系生命周期), six-stage default and the four-stage model of
 * Dwyer, Schurr & Oh (1987). Closed sets with their labels and traffic-light health
 * (green = healthy, yellow = watch, red = act) used for conditional formatting.
 */

export const STAGES = {
  potential: { zh: "潜在期", en: "Potential", health: "yellow", order: 0 },
  development: { zh: "开发期", en: "Development", health: "yellow", order: 1 },
  growth: { zh: "成长期", en: "Growth", health: "green", order: 2 },
  maturity: { zh: "成熟期", en: "Maturity", health: "green", order: 3 },
  decline: { zh: "衰退期", en: "Decline", health: "red", order: 4 },
  termination: { zh: "终止期", en: "Termination", health: "red", order: 5 },
} as const;
export type Stage = keyof typeof STAGES;
export const isStage = (x: unknown): x is Stage => typeof x === "string" && x in STAGES;
export const STAGE_KEYS = Object.keys(STAGES) as Stage[];

export const STAGES4 = {
  exploration: { zh: "考察期", en: "Exploration", health: "yellow", order: 0 },
  formation: { zh: "形成期", en: "Formation", health: "green", order: 1 },
  stability: { zh: "稳定期", en: "Stability", health: "green", order: 2 },
  dissolution: { zh: "退化期", en: "Dissolution", health: "red", order: 3 },
} as const;
export type Stage4 = keyof typeof STAGES4;
export const isStage4 = (x: unknown): x is Stage4 => typeof x === "string" && x in STAGES4;
export const STAGE4_KEYS = Object.keys(STAGES4) as Stage4[];

/** Six-stage → four-stage mapping (SPEC §7). */
export const TO_FOUR: Record<Stage, Stage4> = {
  potential: "exploration",
  development: "exploration",
  growth: "formation",
  maturity: "stability",
  decline: "dissolution",
  termination: "dissolution",
};

export type Health = "green" | "yellow" | "red";
