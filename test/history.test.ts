import { describe, expect, it } from "vitest";
import {
  appendSnapshot,
  guardFormula,
  historyColumns,
  historyTable,
  makeSnapshot,
  movement,
  previousSnapshot,
  readSnapshots,
  snapshotCsvRows,
  unguardFormula,
  type Snapshot,
} from "../analysis/history.js";
import { STAGE_KEYS } from "../analysis/stages.js";
import { day } from "./helpers/dataset.js";
import { textTable } from "./helpers/table.js";

const D1 = day("2024-03-31");
const D2 = day("2024-06-30");

const first: Snapshot[] = [
  { asOf: D1, id: "A", stage: "maturity", grade: "A" },
  { asOf: D1, id: "B", stage: "growth", grade: "B" },
  { asOf: D1, id: "C", stage: "decline", grade: "C" },
  { asOf: D1, id: "D", stage: "maturity", grade: "B" },
  { asOf: D1, id: "E", stage: "development", grade: "C" },
  { asOf: D1, id: "GONE", stage: "termination", grade: "D" },
];
const second: Snapshot[] = [
  { asOf: D2, id: "A", stage: "decline", grade: "A" }, // stage down
  { asOf: D2, id: "B", stage: "growth", grade: "C" }, // grade down
  { asOf: D2, id: "C", stage: "termination", grade: "D" }, // both down
  { asOf: D2, id: "D", stage: "maturity", grade: "A" }, // grade up
  { asOf: D2, id: "E", stage: "growth", grade: "C" }, // stage change, not down
  { asOf: D2, id: "NEW", stage: "development", grade: "C" },
];

describe("movement between two snapshots", () => {
  const m = movement(first, second)!;

  it("counts from × to in stage order", () => {
    const at = (from: string, to: string) =>
      m.stage[STAGE_KEYS.indexOf(from as never)][STAGE_KEYS.indexOf(to as never)];
    expect(at("maturity", "decline")).toBe(1);
    expect(at("growth", "growth")).toBe(1);
    expect(at("decline", "termination")).toBe(1);
    expect(at("maturity", "maturity")).toBe(1);
    expect(at("development", "growth")).toBe(1);
    expect(m.stage.flat().reduce((a, b) => a + b, 0)).toBe(5);
    expect(m.entered).toBe(1);
    expect(m.left).toBe(1);
    expect(m.from).toBe(D1);
    expect(m.to).toBe(D2);
  });

  it("grade matrix and up/down counts", () => {
    expect(m.grade).toEqual([
      [1, 0, 0, 0],
      [1, 0, 1, 0], // D: B → A, B: B → C
      [0, 0, 1, 1], // E: C → C, C: C → D
      [0, 0, 0, 0], // GONE (D) left
    ]);
    expect({ up: m.gradeUp, down: m.gradeDown, sUp: m.stageUp, sDown: m.stageDown }).toEqual({
      up: 1,
      down: 2,
      sUp: 0,
      sDown: 2,
    });
  });

  it("lists customers who moved down, best previous grade first", () => {
    expect(m.movedDown).toEqual([
      {
        id: "A",
        fromStage: "maturity",
        toStage: "decline",
        fromGrade: "A",
        toGrade: "A",
        stageDown: true,
        gradeDown: false,
      },
      {
        id: "B",
        fromStage: "growth",
        toStage: "growth",
        fromGrade: "B",
        toGrade: "C",
        stageDown: false,
        gradeDown: true,
      },
      {
        id: "C",
        fromStage: "decline",
        toStage: "termination",
        fromGrade: "C",
        toGrade: "D",
        stageDown: true,
        gradeDown: true,
      },
    ]);
  });

  it("recovery from decline counts as up", () => {
    const back = movement(
      [{ asOf: D1, id: "X", stage: "decline", grade: null }],
      [{ asOf: D2, id: "X", stage: "maturity", grade: null }],
    )!;
    expect(back.stageUp).toBe(1);
    expect(back.movedDown).toEqual([]);
  });

  it("is null without a previous snapshot", () => {
    expect(movement([], second)).toBeNull();
  });
});

describe("appending snapshots", () => {
  it("appends in date order and replaces a snapshot of the same date", () => {
    const once = appendSnapshot([], first);
    const twice = appendSnapshot(once, second);
    expect(twice).toHaveLength(12);
    const rerun = appendSnapshot(
      twice,
      second.map((s) => ({ ...s })),
    );
    expect(rerun).toEqual(twice);
    const changed = appendSnapshot(twice, [{ asOf: D2, id: "A", stage: "maturity", grade: "A" }]);
    expect(changed).toHaveLength(7);
    expect(changed.filter((s) => s.asOf === D2)).toEqual([
      { asOf: D2, id: "A", stage: "maturity", grade: "A" },
    ]);
    // an older date goes before the newer ones
    const older = appendSnapshot(twice, [{ asOf: D1 - 90, id: "A", stage: "growth", grade: "B" }]);
    expect(older[0].asOf).toBe(D1 - 90);
    expect(previousSnapshot(older, D2).map((s) => s.id)).toEqual(["A", "B", "C", "D", "E", "GONE"]);
    expect(previousSnapshot(older, D1 - 90)).toEqual([]);
  });

  it("makes a snapshot from per-customer arrays", () => {
    expect(makeSnapshot(["P", "Q"], D2, ["potential", "growth"], [null, "A"])).toEqual([
      { asOf: D2, id: "P", stage: "potential", grade: null },
      { asOf: D2, id: "Q", stage: "growth", grade: "A" },
    ]);
  });
});

describe("reading and writing snapshot rows", () => {
  it("round-trips through the CSV rows", () => {
    const [header, ...rows] = snapshotCsvRows(second);
    expect(header).toEqual(["as_of", "customer_id", "stage", "grade"]);
    expect(rows[0]).toEqual(["2024-06-30", "A", "decline", "A"]);
    const back = readSnapshots(textTable("history.csv", header, rows));
    expect(back.issues).toEqual([]);
    expect(back.snapshots).toEqual(second);
  });

  it("reads the Chinese sheet: names in either language, grades like 'A 类', and reports bad rows", () => {
    const table = historyTable(second.slice(0, 2), "zh");
    expect(table.columns.map((c) => c.header)).toEqual(["日期", "客户编号", "阶段", "等级"]);
    expect(table.rows[0]).toEqual([D2, "A", "衰退期", "A"]);
    const src = textTable(
      "阶段历史",
      ["日期", "客户编号", "阶段", "等级"],
      [
        [D2, "A", "衰退期", "A 类"],
        ["2024-06-30", "B", "Growth", ""],
        ["not a date", "C", "成熟期", "A"],
        ["2024-06-30", "", "成熟期", "A"],
        ["2024-06-30", "E", "稳定", "A"],
        ["2024-06-30", "F", "成熟期", "Z"],
        ["", "", "", ""],
      ],
    );
    const { snapshots, issues } = readSnapshots(src);
    expect(snapshots).toEqual([
      { asOf: D2, id: "A", stage: "decline", grade: "A" },
      { asOf: D2, id: "B", stage: "growth", grade: null },
      { asOf: D2, id: "F", stage: "maturity", grade: null },
    ]);
    expect(issues.map((i) => [i.row, i.column, i.value, i.reason.key, i.severity])).toEqual([
      [4, "日期", "not a date", "lifecycle.history.badDate", "skipped"],
      [5, "客户编号", "", "lifecycle.history.noCustomer", "skipped"],
      [6, "阶段", "稳定", "lifecycle.history.badStage", "skipped"],
      [7, "等级", "Z", "lifecycle.history.badGrade", "warning"],
    ]);
  });

  it("names the missing columns", () => {
    const { snapshots, issues } = readSnapshots(
      textTable("h.csv", ["date", "who"], [["2024-01-01", "A"]]),
    );
    expect(snapshots).toEqual([]);
    expect(issues[0].reason).toEqual({
      key: "lifecycle.history.missingColumns",
      params: { found: "date, who" },
    });
  });
});

describe("the --history file's formula guard", () => {
  it("guards text a spreadsheet would run, as customers.csv does", () => {
    expect(guardFormula('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(guardFormula("@SUM(1)")).toBe("'@SUM(1)");
    expect(guardFormula("+86 138")).toBe("'+86 138");
    expect(guardFormula("-5")).toBe("'-5");
    expect(guardFormula("\tx")).toBe("'\tx");
    expect(guardFormula("C-001")).toBe("C-001");
    expect(guardFormula("'quoted")).toBe("'quoted");
    const rows = snapshotCsvRows([{ asOf: D1, id: "=1+1", stage: "growth", grade: null }]);
    expect(rows[1]).toEqual(["2024-03-31", "'=1+1", "growth", ""]);
  });

  it("gives every ID back as it was, apostrophes included", () => {
    const ids = ["=1+1", "'=1+1", "''=x", "@A", "'", "'abc", "''", "A'=", "-", "+", "plain", ""];
    for (const id of ids) expect(unguardFormula(guardFormula(id)), id).toBe(id);
    // text a person typed without the guard reads as it is
    expect(unguardFormula("'abc")).toBe("'abc");
    expect(unguardFormula("=SUM(1)")).toBe("=SUM(1)");
  });
});

describe("historyColumns", () => {
  it("finds the columns by either language's header, in any order", () => {
    expect(historyColumns(["as_of", "customer_id", "stage", "grade"])).toEqual({
      asOf: 0,
      id: 1,
      stage: 2,
      grade: 3,
    });
    expect(historyColumns(["等级", "阶段", "客户编号", "日期"])).toEqual({
      asOf: 3,
      id: 2,
      stage: 1,
      grade: 0,
    });
    expect(historyColumns(["As Of", "Customer ID", "Stage"])).toEqual({
      asOf: 0,
      id: 1,
      stage: 2,
      grade: -1,
    });
    expect(historyColumns(["customer_id", "order_date", "amount"])).toBeNull();
  });
});
