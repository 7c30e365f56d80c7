import { describe, expect, it } from "vitest";
import {
  lifecycleStages,
  parseStageName,
  STAGE_RULES,
  stageStrategy,
} from "../analysis/lifecycle.js";
import { makeSettings } from "../analysis/settings.js";
import { t, hasMessage } from "../analysis/messages/index.js";
import { buildDataset, customer, day, idx, iso, type OrderRow } from "./helpers/dataset.js";

const AS_OF = "2024-06-30";
/** The date k days before the as-of date. */
const ago = (k: number) => iso(day(AS_OF) - k);

function run(
  rows: OrderRow[],
  opts: {
    customers?: ReturnType<typeof customer>[];
    pAlive?: Record<string, number>;
    model?: "six" | "four";
  } = {},
) {
  const { ds, measures } = buildDataset(rows, { asOf: AS_OF, customers: opts.customers });
  const settings = makeSettings({ lifecycle: { model: opts.model ?? "six" } });
  let pAlive: Float64Array | null = null;
  if (opts.pAlive) {
    pAlive = new Float64Array(ds.customerIds.length).fill(NaN);
    for (const [id, p] of Object.entries(opts.pAlive)) pAlive[idx(ds, id)] = p;
  }
  const res = lifecycleStages({ ds, measures, settings, pAlive });
  const of = (id: string) => {
    const i = idx(ds, id);
    return {
      stage: res.stage[i],
      display: res.display[i],
      rule: res.rule[i],
      reason: res.reason[i],
      manual: res.manual[i],
      i,
    };
  };
  return { ds, res, of };
}

describe("lifecycle rules, one crafted customer each", () => {
  const rows: OrderRow[] = [
    // terminated: last purchase 366 days ago
    ["TERM", ago(400), 100],
    ["TERM", ago(366), 100],
    // boundary: exactly 365 days is not terminated (gap 35 → overdue → decline)
    ["T365", ago(400), 100],
    ["T365", ago(365), 100],
    // cancellations only
    ["CANC", ago(20), -50, "C1"],
    // development: first purchase exactly 90 days ago, two orders
    ["DEV90", ago(90), 100],
    ["DEV90", ago(10), 100],
    // one order, long ago (but not terminated) → development, and dormant
    ["ONE", ago(200), 100],
    // decline by revenue: ¥5,500 → ¥3,200
    ["DROP", ago(300), 5500],
    ["DROP", ago(100), 3200],
    // boundary: exactly 80% is not decline
    ["AT80", ago(250), 5000],
    ["AT80", ago(50), 4000],
    // overdue: gaps 10, 20, 10 (median 10), 160 days without purchase, revenue flat
    ["LATE", ago(200), 100],
    ["LATE", ago(190), 100],
    ["LATE", ago(170), 100],
    ["LATE", ago(160), 100],
    // both overdue and growing → decline (decline is checked before growth)
    ["BOTH", ago(200), 100],
    ["BOTH", ago(170), 300],
    ["BOTH", ago(165), 300],
    // growth: ¥2,000 → ¥3,000
    ["GROW", ago(300), 1000],
    ["GROW", ago(200), 1000],
    ["GROW", ago(100), 1500],
    ["GROW", ago(20), 1500],
    // boundary: exactly 120% is not growth
    ["AT120", ago(300), 1000],
    ["AT120", ago(100), 1200],
    // empty previous window, repeat customer past the development window
    ["NOPREV", ago(91), 100],
    ["NOPREV", ago(10), 100],
    // orders after the as-of date are ignored
    ["LATER", ago(300), 100],
    ["LATER", ago(250), 100],
    ["LATER", iso(day(AS_OF) + 5), 99999],
  ];
  const { res, of } = run(rows, { customers: [customer("PROS")] });

  it("terminates after more than 365 days without purchase", () => {
    const c = of("TERM");
    expect(c.stage).toBe("termination");
    expect(c.reason).toEqual({
      key: "lifecycle.reason.terminated.recency",
      params: { days: 366, limit: 365, last: day(ago(366)) },
    });
    expect(t("zh", c.reason)).toBe("已 366 天未购买（超过 365 天），最近一次购买在 2023年6月30日");
  });

  it("exactly 365 days is not terminated (the overdue rule applies)", () => {
    const c = of("T365");
    expect(c.stage).toBe("decline");
    expect(c.rule).toBe("decline.overdue");
    expect(c.reason.params).toMatchObject({ days: 365, gap: 35, factor: 2 });
  });

  it("prospects and cancellation-only customers are potential, with different reasons", () => {
    expect(of("PROS").stage).toBe("potential");
    expect(of("PROS").reason.key).toBe("lifecycle.reason.potential.none");
    expect(of("CANC").stage).toBe("potential");
    expect(of("CANC").reason.key).toBe("lifecycle.reason.potential.cancelledOnly");
    expect(t("zh", of("CANC").reason)).toContain("只有取消");
  });

  it("development: first purchase exactly 90 days ago, or one order", () => {
    expect(of("DEV90").stage).toBe("development");
    expect(of("DEV90").reason).toEqual({
      key: "lifecycle.reason.development.new",
      params: { days: 90, limit: 90, orders: 2 },
    });
    expect(of("ONE").stage).toBe("development");
    // 200 days silent: still development (rule order kept), the reason names the dormancy
    expect(of("ONE").reason).toEqual({
      key: "lifecycle.reason.development.single",
      params: { days: 200, first: day(ago(200)) },
      also: [{ key: "lifecycle.note.dormant", params: { days: 200 } }],
    });
    expect(t("en", of("ONE").reason)).toMatch(/; dormant: no purchase for 200 days$/);
    expect(t("zh", of("ONE").reason)).toMatch(/；静止户：已 200 天未购买$/);
  });

  it("decline by revenue names both windows and the drop", () => {
    const c = of("DROP");
    expect(c.stage).toBe("decline");
    expect(c.rule).toBe("decline.revenue");
    expect(c.reason.params).toMatchObject({ w: 180, recent: 3200, previous: 5500, ratio: 0.8 });
    expect(c.reason.params!.drop).toBeCloseTo(1 - 3200 / 5500, 12);
    expect(t("zh", c.reason)).toBe("近180天金额 ¥3,200，较前180天 ¥5,500 下降42%（低于 80%）");
    expect(t("en", c.reason)).toBe(
      "Last 180 days ¥3,200, down 42% from ¥5,500 in the 180 days before (below 80%)",
    );
  });

  it("exactly 80% of the previous window is not decline", () => {
    const c = of("AT80");
    expect(c.stage).toBe("maturity");
    expect(c.reason.key).toBe("lifecycle.reason.maturity.stable");
    expect(c.reason.params).toMatchObject({ recent: 4000, previous: 5000, change: 0.8 });
  });

  it("overdue beyond 2× the median gap is decline", () => {
    const c = of("LATE");
    expect(res.typicalGap[c.i]).toBe(10);
    expect(c.stage).toBe("decline");
    expect(c.rule).toBe("decline.overdue");
    expect(t("zh", c.reason)).toBe("已 160 天未购买，超过平常购买间隔 10 天的 2 倍");
  });

  it("rule order: overdue and growing → decline", () => {
    const c = of("BOTH");
    expect(res.recentRevenue[c.i]).toBe(600);
    expect(res.previousRevenue[c.i]).toBe(100);
    expect(c.stage).toBe("decline");
    expect(c.rule).toBe("decline.overdue");
    expect(c.reason.params).toMatchObject({ days: 165, gap: 17.5 });
  });

  it("growth above 120%, and the reason says P(alive) was not checked", () => {
    const c = of("GROW");
    expect(c.stage).toBe("growth");
    expect(c.reason.key).toBe("lifecycle.reason.growth");
    expect(c.reason.params).toMatchObject({ recent: 3000, previous: 2000, ratio: 1.2 });
    expect(c.reason.params!.rise).toBeCloseTo(0.5, 12);
    expect(t("zh", c.reason)).toContain("增长50%");
    expect(t("zh", c.reason)).toContain("未检查存活概率规则");
  });

  it("exactly 120% is not growth", () => {
    expect(of("AT120").stage).toBe("maturity");
    expect(of("AT120").reason.params).toMatchObject({ change: 1.2 });
  });

  it("empty previous window: no comparison, said in the reason", () => {
    const c = of("NOPREV");
    expect(c.stage).toBe("maturity");
    expect(c.reason).toEqual({
      key: "lifecycle.reason.maturity.noPrevious",
      params: { w: 180, recent: 200, days: 10 },
    });
    expect(t("zh", c.reason)).toContain("前180天没有消费");
  });

  it("ignores orders after the as-of date", () => {
    const c = of("LATER");
    expect(res.recentRevenue[c.i]).toBe(0);
    expect(res.previousRevenue[c.i]).toBe(200);
    expect(c.stage).toBe("decline");
    expect(c.rule).toBe("decline.revenue");
  });

  it("counts every stage and lists dormant customers (not terminated)", () => {
    expect(res.counts).toEqual({
      potential: 2,
      development: 2,
      growth: 1,
      maturity: 3,
      decline: 5,
      termination: 1,
    });
    const sum = Object.values(res.counts).reduce((a, b) => a + b, 0);
    expect(sum).toBe(res.stage.length);
    // longest without purchase first: T365 (365), LATER (250), ONE (200)
    expect(res.dormant).toEqual([of("T365").i, of("LATER").i, of("ONE").i]);
    expect(res.dormant).not.toContain(of("TERM").i);
  });
});

describe("P(alive) rules", () => {
  const rows: OrderRow[] = [
    ["LOW", ago(300), 100],
    ["LOW", ago(200), 100],
    ["LOW", ago(100), 100],
    ["LOW", ago(20), 100],
    ["MID", ago(300), 100],
    ["MID", ago(200), 100],
    ["MID", ago(100), 100],
    ["MID", ago(20), 100],
    ["HIGH", ago(300), 100],
    ["HIGH", ago(200), 100],
    ["HIGH", ago(100), 100],
    ["HIGH", ago(20), 100],
  ];

  it("apply only once the CLV model ran", () => {
    const without = run(rows);
    expect(["LOW", "MID", "HIGH"].map((id) => without.of(id).stage)).toEqual([
      "maturity",
      "maturity",
      "maturity",
    ]);
    expect(without.of("HIGH").reason.key).toBe("lifecycle.reason.maturity.stable");

    const withP = run(rows, { pAlive: { LOW: 0.05, MID: 0.3, HIGH: 0.8 } });
    expect(withP.of("LOW").stage).toBe("termination");
    expect(withP.of("LOW").reason).toEqual({
      key: "lifecycle.reason.terminated.pAlive",
      params: { p: 0.05, limit: 0.1 },
    });
    expect(withP.of("MID").stage).toBe("decline");
    expect(withP.of("MID").reason).toEqual({
      key: "lifecycle.reason.decline.pAlive",
      params: { p: 0.3, limit: 0.5 },
    });
    expect(withP.of("HIGH").stage).toBe("maturity");
    expect(withP.of("HIGH").reason.key).toBe("lifecycle.reason.maturity.stable.pAlive");
    expect(t("zh", withP.of("HIGH").reason)).toContain("存活概率 80%");
  });

  it("boundary: P(alive) exactly 0.10 is decline, not termination", () => {
    const r = run(rows, { pAlive: { LOW: 0.1 } });
    expect(r.of("LOW").stage).toBe("decline");
  });
});

describe("manual override", () => {
  const rows: OrderRow[] = [
    ["A", ago(300), 5500],
    ["A", ago(100), 3200],
    ["B", ago(300), 5500],
    ["B", ago(100), 3200],
    ["C", ago(500), 100],
    ["C", ago(400), 100],
    ["D", ago(300), 5500],
    ["D", ago(100), 3200],
    ["E", ago(300), 5500],
    ["E", ago(100), 3200],
  ];
  const customers = [
    customer("A", { stageOverride: "成熟期", row: 5 }),
    customer("B", { stageOverride: " maturity " }),
    customer("C", { stageOverride: "Dissolution" }),
    customer("D", { stageOverride: "稳定期" }),
    customer("E", { stageOverride: "很好", row: 9 }),
  ];
  const { res, of } = run(rows, { customers });

  it("wins over the rules and is labelled manual", () => {
    expect(of("A")).toMatchObject({ stage: "maturity", manual: true, rule: "manual" });
    expect(of("A").reason).toEqual({ key: "lifecycle.reason.manual", params: { text: "成熟期" } });
    expect(of("B")).toMatchObject({ stage: "maturity", manual: true });
  });

  it("accepts four-stage names: keeps the ruled stage inside the group, else the representative", () => {
    expect(of("C")).toMatchObject({ stage: "termination", manual: true }); // ruled termination ∈ dissolution
    expect(of("D")).toMatchObject({ stage: "maturity", manual: true }); // stability → maturity
  });

  it("unreadable text → a warning naming the Customers row and column; rules apply", () => {
    expect(of("E")).toMatchObject({ stage: "decline", manual: false, rule: "decline.revenue" });
    expect(res.issues).toEqual([
      {
        source: "Customers",
        row: 9,
        column: "手动阶段",
        value: "很好",
        reason: { key: "lifecycle.issue.badOverride", params: { value: "很好" } },
        severity: "warning",
      },
    ]);
  });

  it("parses names of both models in both languages", () => {
    expect(parseStageName("衰退期")).toEqual({ six: "decline" });
    expect(parseStageName("GROWTH")).toEqual({ six: "growth" });
    expect(parseStageName("考察期")).toEqual({ four: "exploration" });
    expect(parseStageName("")).toBeNull();
    expect(parseStageName("late")).toBeNull();
  });
});

describe("four-stage model", () => {
  it("maps six stages to four for display and counts, keeps the six-stage key", () => {
    const rows: OrderRow[] = [
      ["DEV", ago(10), 100],
      ["GROW", ago(300), 1000],
      ["GROW", ago(200), 1000],
      ["GROW", ago(100), 1500],
      ["GROW", ago(20), 1500],
      ["DROP", ago(300), 5500],
      ["DROP", ago(100), 3200],
      ["TERM", ago(500), 1],
      ["TERM", ago(400), 1],
      ["MAT", ago(250), 5000],
      ["MAT", ago(50), 4500],
    ];
    const { res, of } = run(rows, { customers: [customer("PROS")], model: "four" });
    expect(res.model).toBe("four");
    expect(of("PROS")).toMatchObject({ stage: "potential", display: "exploration" });
    expect(of("DEV")).toMatchObject({ stage: "development", display: "exploration" });
    expect(of("GROW")).toMatchObject({ stage: "growth", display: "formation" });
    expect(of("MAT")).toMatchObject({ stage: "maturity", display: "stability" });
    expect(of("DROP")).toMatchObject({ stage: "decline", display: "dissolution" });
    expect(of("TERM")).toMatchObject({ stage: "termination", display: "dissolution" });
    expect(res.counts).toEqual({ exploration: 2, formation: 1, stability: 1, dissolution: 2 });
  });
});

describe("settings and messages", () => {
  it("every window and threshold is a setting", () => {
    const rows: OrderRow[] = [
      ["X", ago(100), 100],
      ["X", ago(95), 100],
    ];
    const { ds, measures } = buildDataset(rows, { asOf: AS_OF });
    const base = lifecycleStages({ ds, measures, settings: makeSettings(), pAlive: null });
    expect(base.stage[0]).toBe("decline"); // 95 days > 2 × 5
    const s = makeSettings({ lifecycle: { terminatedDays: 90, developmentDays: 120 } });
    expect(lifecycleStages({ ds, measures, settings: s, pAlive: null }).stage[0]).toBe(
      "termination",
    );
    const s2 = makeSettings({ lifecycle: { developmentDays: 120 } });
    expect(lifecycleStages({ ds, measures, settings: s2, pAlive: null }).stage[0]).toBe(
      "development",
    );
    const s3 = makeSettings({ lifecycle: { overdueGapFactor: 20 } });
    expect(lifecycleStages({ ds, measures, settings: s3, pAlive: null }).stage[0]).toBe("maturity");
  });

  it("every reason and strategy key exists in both languages", () => {
    const keys = STAGE_RULES.map((r) => r.id);
    expect(keys).toEqual([
      "terminated.recency",
      "terminated.pAlive",
      "potential.none",
      "potential.cancelledOnly",
      "development.new",
      "development.single",
      "decline.revenue",
      "decline.overdue",
      "decline.pAlive",
      "growth",
      "maturity",
    ]);
    for (const s of [
      "potential",
      "development",
      "growth",
      "maturity",
      "decline",
      "termination",
    ] as const) {
      expect(hasMessage(stageStrategy(s).key)).toBe(true);
    }
    for (const k of [
      "lifecycle.reason.manual",
      "lifecycle.reason.growth.pAlive",
      "lifecycle.reason.maturity.noPrevious.pAlive",
      "lifecycle.reason.maturity.stable.pAlive",
      "lifecycle.issue.badOverride",
    ]) {
      expect(hasMessage(k)).toBe(true);
    }
  });
});

describe("reasons say why the P(alive) rules were skipped (issue 18 §17)", () => {
  it("every rule-decided buyer's reason carries the note; prospects and overrides do not", () => {
    const rows: OrderRow[] = [
      ["A", ago(30), 100],
      ["A", ago(10), 100],
      ["B", ago(400), 50],
    ];
    const customers = [
      customer("A"),
      customer("B"),
      customer("P"),
      customer("M", { stageOverride: "终止期" }),
    ];
    const { ds, measures } = buildDataset(rows.concat([["M", ago(5), 10]]), {
      asOf: AS_OF,
      customers,
    });
    const note = { key: "lifecycle.note.pAlive.no-dropout" };
    const res = lifecycleStages({
      ds,
      measures,
      settings: makeSettings(),
      pAlive: null,
      pAliveSkipped: note,
    });
    const reason = (id: string) => res.reason[idx(ds, id)];
    expect(reason("A").also).toEqual([note]);
    expect(reason("B").also).toEqual([note]);
    expect(reason("P").also).toBeUndefined();
    expect(res.manual[idx(ds, "M")]).toBe(true);
    expect(reason("M").also).toBeUndefined();
    expect(t("en", reason("A"))).toContain(
      "; P(alive) rules skipped: the purchase model found no sign",
    );
    expect(t("zh", reason("A"))).toContain(
      "；未用存活概率规则：购买模型在这些数据中看不出客户流失",
    );
  });
});
