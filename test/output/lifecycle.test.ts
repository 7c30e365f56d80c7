import { describe, expect, it } from "vitest";
import { lifecycleStages } from "../../analysis/lifecycle.js";
import { followUps } from "../../analysis/followup.js";
import {
  appendSnapshot,
  makeSnapshot,
  movement,
  previousSnapshot,
  type Snapshot,
} from "../../analysis/history.js";
import { makeSettings, type Grade } from "../../analysis/settings.js";
import type { Analysis } from "../../analysis/pipeline.js";
import {
  followupSection,
  followupSheet,
  historySheet,
  lifecycleSection,
  lifecycleSheet,
} from "../../analysis/output/lifecycle.js";
import { compileSpec } from "../../analysis/node/render.js";
import { buildDataset, customer, day, type OrderRow } from "../helpers/dataset.js";

const AS_OF = "2024-06-26";

/** The parts of an Analysis the lifecycle outputs read, built from a few customers. */
function analysis(model: "six" | "four" = "six", earlier: Snapshot[] = []): Analysis {
  const rows: OrderRow[] = [
    ["GROW", "2023-09-01", 1000],
    ["GROW", "2023-12-01", 1000],
    ["GROW", "2024-03-01", 1500],
    ["GROW", "2024-06-01", 1500],
    ["DROP", "2023-09-01", 5500],
    ["DROP", "2024-03-20", 3200],
    ["OLD", "2022-01-01", 100],
    ["OLD", "2023-01-01", 100],
    ["ONE", "2023-11-01", 100],
  ];
  const { ds, measures } = buildDataset(rows, {
    asOf: AS_OF,
    customers: [
      customer("GROW", { name: "甲公司", owner: "王" }),
      customer("DROP", { name: "乙公司", owner: "李" }),
      customer("OLD"),
      customer("ONE"),
      customer("PROS", { name: "丙公司", stageOverride: "成熟期" }),
    ],
  });
  const settings = makeSettings({ lifecycle: { model } });
  const grade: (Grade | null)[] = ["A", "B", "D", "C", null];
  const lifecycle = lifecycleStages({ ds, measures, settings, pAlive: null });
  const followups = followUps({ ds, measures, settings, grade, lifecycle });
  const now = makeSnapshot(ds.customerIds, measures.asOf, lifecycle.stage, grade);
  const snapshots = appendSnapshot(earlier, now);
  const mv = movement(previousSnapshot(earlier, measures.asOf), now);
  return {
    settings,
    asOf: measures.asOf,
    dataset: ds,
    measures,
    abc: { grade },
    lifecycle,
    followups,
    history: { snapshots, movement: mv },
  } as unknown as Analysis;
}

const EARLIER: Snapshot[] = [
  { asOf: day("2024-03-31"), id: "GROW", stage: "maturity", grade: "A" },
  { asOf: day("2024-03-31"), id: "DROP", stage: "maturity", grade: "A" },
  { asOf: day("2024-03-31"), id: "OLD", stage: "decline", grade: "C" },
];

describe("lifecycle sheet", () => {
  it("stage counts with health colours, strategies and charts", () => {
    const a = analysis();
    expect(a.lifecycle.stage).toEqual([
      "growth",
      "decline",
      "termination",
      "development",
      "maturity",
    ]);
    const sheet = lifecycleSheet(a, "zh");
    expect(sheet.name).toBe("生命周期");
    const stages = sheet.blocks.find((b) => b.id === "stages")!;
    expect(stages.rows.map((r) => r.slice(0, 3))).toEqual([
      ["潜在期", 0, 0],
      ["开发期", 1, 0.2],
      ["成长期", 1, 0.2],
      ["成熟期", 1, 0.2],
      ["衰退期", 1, 0.2],
      ["终止期", 1, 0.2],
    ]);
    expect(stages.rows[4][3]).toContain("权衡");
    expect(stages.colours).toContainEqual({ column: 0, equals: "衰退期", health: "red" });
    expect(stages.colours).toContainEqual({ column: 0, equals: "成熟期（手动）", health: "green" });
    expect(sheet.charts.map((c) => [c.id, c.kind, c.block])).toEqual([
      ["stage-funnel", "funnel", "stages"],
      ["stage-by-grade", "column", "stage-by-grade"],
    ]);
    const byGrade = sheet.blocks.find((b) => b.id === "stage-by-grade")!;
    expect(byGrade.rows[0]).toEqual(["A 类", 0, 0, 1, 0, 0, 0]);
    expect(byGrade.rows[4]).toEqual(["无等级", 0, 0, 0, 1, 0, 0]);
    // no earlier snapshot: an empty matrix with the note
    const mv = sheet.blocks.find((b) => b.id === "movement")!;
    expect(mv.title).toContain("还没有更早的快照");
    expect(mv.rows).toEqual([]);
    const dormant = sheet.blocks.find((b) => b.id === "dormant")!;
    expect(dormant.rows).toEqual([
      ["ONE", "Name ONE", "", "C", "开发期", day("2023-11-01"), day(AS_OF) - day("2023-11-01")],
    ]);
    // blocks never overlap
    const tops = sheet.blocks.map((b) => b.anchor.row);
    expect([...tops].sort((x, y) => x - y)).toEqual(tops);
    sheet.blocks.forEach((b, i) => {
      const next = sheet.blocks[i + 1];
      if (next)
        expect(next.anchor.row).toBeGreaterThanOrEqual(
          b.anchor.row + (b.title ? 1 : 0) + 1 + b.rows.length,
        );
    });
  });

  it("movement matrix, grade movement and the moved-down list against an earlier snapshot", () => {
    const a = analysis("six", EARLIER);
    const sheet = lifecycleSheet(a, "en");
    const mv = sheet.blocks.find((b) => b.id === "movement")!;
    expect(mv.title).toBe("Stage movement: 2024-03-31 → 2024-06-26 (rows: from, columns: to)");
    expect(mv.colourScale).toBe(true);
    expect(mv.rows.find((r) => r[0] === "Maturity")).toEqual(["Maturity", 0, 0, 1, 0, 1, 0]);
    expect(mv.rows.find((r) => r[0] === "Decline")).toEqual(["Decline", 0, 0, 0, 0, 0, 1]);
    const grades = sheet.blocks.find((b) => b.id === "grade-movement")!;
    expect(grades.rows).toEqual([
      ["A", 1, 1, 0, 0],
      ["B", 0, 0, 0, 0],
      ["C", 0, 0, 0, 1],
      ["D", 0, 0, 0, 0],
    ]);
    const down = sheet.blocks.find((b) => b.id === "moved-down")!;
    expect(down.rows).toEqual([
      ["DROP", "乙公司", "李", "Maturity", "Decline", "A", "B", "stage and grade down"],
      ["OLD", "Name OLD", "", "Decline", "Termination", "C", "D", "stage and grade down"],
    ]);
  });

  it("four-stage model: labels, counts and an aggregated matrix", () => {
    const a = analysis("four", EARLIER);
    const sheet = lifecycleSheet(a, "zh");
    const stages = sheet.blocks.find((b) => b.id === "stages")!;
    expect(stages.rows.map((r) => [r[0], r[1]])).toEqual([
      ["考察期", 1],
      ["形成期", 1],
      ["稳定期", 1],
      ["退化期", 2],
    ]);
    const mv = sheet.blocks.find((b) => b.id === "movement")!;
    expect(mv.rows).toEqual([
      ["考察期", 0, 0, 0, 0],
      ["形成期", 0, 0, 0, 0],
      ["稳定期", 0, 1, 0, 1],
      ["退化期", 0, 0, 0, 1],
    ]);
  });
});

describe("follow-up and history sheets", () => {
  it("lists due customers with reason, strategy and call slot; header frozen", () => {
    const a = analysis();
    const sheet = followupSheet(a, "zh");
    expect(sheet.name).toBe("待联系");
    expect(sheet.freezeRows).toBe(2);
    const b = sheet.blocks[0];
    expect(b.columns.map((c) => c.header)).toEqual([
      "客户编号",
      "客户名称",
      "客户经理",
      "等级",
      "阶段",
      "应联系日期",
      "逾期天数",
      "建议日期",
      "建议时段",
      "原因",
      "阶段策略",
    ]);
    // DROP: B in decline, last purchase 2024-03-20 + 46 → 2024-05-05 (overdue 52); GROW: A, 2024-06-01 + 30 → 2024-07-01
    const ids = b.rows.map((r) => r[0]);
    expect(ids).toEqual(["GROW", "DROP", "ONE", "PROS"]);
    const drop = b.rows[1];
    expect(drop[5]).toBe(day("2024-05-05"));
    expect(drop[6]).toBe(52);
    expect(drop[7]).toBe(day(AS_OF));
    expect(drop[8]).toBe("10:30–11:30");
    expect(drop[9]).toBe("衰退期加密联系：B 类周期 91 天缩短为 46 天；上次购买 2024年3月20日");
    expect(String(b.rows[3][4])).toBe("成熟期（手动）");
    expect(b.rows[3][9]).toBe("没有联系、购买或首次接触记录：请尽快联系");
  });

  it("history sheet shows every snapshot, this run's included", () => {
    const a = analysis("six", EARLIER);
    const sheet = historySheet(a, "zh");
    expect(sheet.freezeRows).toBe(1);
    expect(sheet.blocks[0].rows).toHaveLength(3 + 5);
    expect(sheet.blocks[0].rows[0]).toEqual([day("2024-03-31"), "GROW", "成熟期", "A"]);
    expect(historySheet(a.history.snapshots, "en").blocks[0].rows[3]).toEqual([
      day(AS_OF),
      "GROW",
      "Growth",
      "A",
    ]);
  });
});

describe("report sections and chart specs", () => {
  it("sections carry KPIs, figures and tables", () => {
    const a = analysis("six", EARLIER);
    const life = lifecycleSection(a, "zh");
    expect(life.items[0]).toEqual({
      kind: "kpis",
      items: [
        { label: "成长期 + 成熟期", value: "2" },
        { label: "衰退期", value: "1" },
        { label: "静止户", value: "1" },
        { label: "较上次快照下降", value: "2" },
      ],
    });
    expect(life.items.filter((x) => x.kind === "figure")).toHaveLength(3);
    const fu = followupSection(a, "en");
    expect(fu.items[0]).toMatchObject({
      kind: "kpis",
      items: [{ value: "2" }, { value: "2" }, { value: "4" }],
    });
    expect((fu.items[1] as { text: string }).text).toContain("10:30–11:30, 15:00–18:00");
  });

  it("every chart compiles without warnings, in both languages and models", async () => {
    for (const lang of ["zh", "en"] as const) {
      for (const model of ["six", "four"] as const) {
        const a = analysis(model, EARLIER);
        const specs = [
          ...lifecycleSheet(a, lang).charts.map((c) => c.vegaLite),
          ...lifecycleSection(a, lang).items.flatMap((x) => (x.kind === "figure" ? [x.spec] : [])),
        ];
        expect(specs.length).toBe(5);
        for (const spec of specs) {
          const { warnings, svg } = await compileSpec(spec);
          expect(warnings).toEqual([]);
          expect(svg).toContain("<svg");
        }
      }
    }
  });
});
