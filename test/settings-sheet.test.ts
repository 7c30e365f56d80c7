import { describe, expect, it } from "vitest";
import { hasMessage, t } from "../analysis/messages/index.js";
import { readSettings, SETTING_ROWS, settingsSheetModel } from "../analysis/settings-sheet.js";
import { DEFAULT_SETTINGS, makeSettings, type Settings } from "../analysis/settings.js";
import type { Cell, Issue, RawTable, TableSource } from "../analysis/types.js";
import type { SheetModel } from "../analysis/workbook.js";

const DAY = 86_400_000;
const day = (iso: string): number => Date.parse(iso) / DAY;

/** The sheet as a reader would see it: header in sheet row 1, data from row 2. */
function asTable(model: SheetModel): RawTable {
  const b = model.blocks[0];
  return {
    source: model.name,
    headerRow: b.anchor.row + 1,
    firstColumn: b.anchor.col + 1,
    headers: b.columns.map((c) => c.header),
    rows: b.rows.map((r) => [...r]),
  };
}

/** Default sheet with one value replaced; returns the table and the sheet row of that key. */
function withValue(
  key: string,
  value: Cell,
  settings: Settings = DEFAULT_SETTINGS,
): { table: RawTable; row: number } {
  const table = asTable(settingsSheetModel(settings, "zh"));
  const i = table.rows.findIndex((r) => r[0] === key);
  if (i < 0) throw new Error(`no row ${key}`);
  table.rows[i][1] = value;
  return { table, row: table.headerRow + 1 + i };
}

const reasons = (issues: Issue[]): string[] => issues.map((i) => i.reason.key);

describe("settingsSheetModel", () => {
  it("writes one frozen-header block with the three columns in the language", () => {
    const zh = settingsSheetModel(DEFAULT_SETTINGS, "zh");
    expect(zh.key).toBe("settings");
    expect(zh.name).toBe("设置");
    expect(zh.freezeRows).toBe(1);
    expect(zh.blocks).toHaveLength(1);
    expect(zh.blocks[0].columns.map((c) => c.header)).toEqual(["参数", "值", "说明"]);
    const en = settingsSheetModel(DEFAULT_SETTINGS, "en");
    expect(en.name).toBe("Settings");
    expect(en.blocks[0].columns.map((c) => c.header)).toEqual(["Setting", "Value", "Explanation"]);
  });

  it("keeps keys machine-readable and explains each row in the user's language", () => {
    const rows = settingsSheetModel(DEFAULT_SETTINGS, "zh").blocks[0].rows;
    const abcA = rows.find((r) => r[0] === "abc.a")!;
    expect(abcA[1]).toBe(0.8);
    expect(abcA[2]).toBe(
      "A 类：累计金额占比达到此值之前的客户（越过此值的那一位也算 A 类）；口径为 count 时，为价值排名前这一比例的客户",
    );
    expect(rows.find((r) => r[0] === "segment.1")).toEqual([
      "segment.1",
      "Champions|冠军客户|4-5|4-5|4-5",
      "RFM 分群第 1 条：名称|中文名|R 范围|F 范围|M 范围（分值 1–5，如 4-5）；自上而下第一条符合的生效",
    ]);
    expect(rows.find((r) => r[0] === "segment.4")![1]).toBe("New Customers|新客户|4-5|1|1");
    expect(rows.filter((r) => String(r[0]).startsWith("segment."))).toHaveLength(10);
    expect(rows.find((r) => r[0] === "followup.callWindows")![1]).toBe("10:30-11:30, 15:00-18:00");
    expect(rows.find((r) => r[0] === "scorecard.revenue")![1]).toBe(0.4);
    expect(rows.find((r) => r[0] === "scorecard.profit")![1]).toBe(0);
    expect(rows.find((r) => r[0] === "grade.A.callDays")).toEqual([
      "grade.A.callDays",
      30,
      "A 类客户：每隔多少天电话联系一次",
    ]);
    expect(rows.find((r) => r[0] === "grade.A.strategy")![1]).toBeNull();
    expect(rows.find((r) => r[0] === "asOf")![1]).toBeNull();
    expect(rows.find((r) => r[0] === "clv.enabled")![1]).toBe("是");
    // Keys are unique and every explanation exists in both languages.
    const keys = rows.map((r) => r[0]);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of SETTING_ROWS) expect(hasMessage(r.explain.key), r.explain.key).toBe(true);
    const en = settingsSheetModel(DEFAULT_SETTINGS, "en").blocks[0].rows;
    expect(en.map((r) => r[0])).toEqual(keys);
    expect(en.find((r) => r[0] === "clv.enabled")![1]).toBe("yes");
  });
});

/** Leaf paths of a settings object; arrays (segments, criteria, windows) count as leaves. */
function leafPaths(o: unknown, prefix: string[] = []): string[] {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return [prefix.join(".")];
  return Object.entries(o).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

describe("SETTING_ROWS", () => {
  it("covers every field of Settings", () => {
    const covered = new Set(
      SETTING_ROWS.map((r) => (r.kind === "weight" ? "scorecard.criteria" : r.path.join("."))),
    );
    expect(leafPaths(DEFAULT_SETTINGS).filter((p) => !covered.has(p))).toEqual([]);
  });
});

describe("readSettings round trip", () => {
  it.each(["zh", "en"] as const)("defaults (%s)", (lang) => {
    const { settings, issues } = readSettings(asTable(settingsSheetModel(DEFAULT_SETTINGS, lang)));
    expect(issues).toEqual([]);
    expect(settings).toEqual(DEFAULT_SETTINGS);
  });

  it("a modified settings object", () => {
    const s = makeSettings({
      asOf: day("2026-11-15"),
      dateSystem: "1904",
      dateOrder: "dmy",
      dateOrderFallback: "dmy",
      decimalComma: true,
      currency: "US$",
      value: "profit",
      abc: { basis: "count", a: 0.1, b: 0.3 },
      scorecard: {
        criteria: [
          { criterion: "frequency", weight: 0.5 },
          { criterion: "profit", weight: 0.3 },
          { criterion: "revenue", weight: 0.2 },
        ],
        cutoffs: { A: 85, B: 65, C: 30 },
      },
      pyramid: { platinum: 0.02, gold: 0.1, iron: 0.3 },
      segments: [
        { name: "Stars", zh: "明星客户", r: [5, 5], f: [4, 5], m: [3, 5] },
        { name: "Sleepers", zh: "沉睡客户", r: [1, 2], f: [1, 5], m: [1, 5] },
      ],
      grades: {
        ...structuredClone(DEFAULT_SETTINGS.grades),
        A: {
          reviewDays: 3,
          callDays: 14,
          visitDays: 60,
          strategy: "专人负责,季度高层拜访",
          credit: "月结 60 天",
        },
      },
      lifecycle: { model: "four", windowDays: 90, declineRatio: 0.7, growthRatio: 1.5 },
      clv: { enabled: false, monthlyDiscount: 0 },
      followup: {
        callWindows: [
          [9 * 60, 10 * 60],
          [20 * 60, 24 * 60],
        ],
        dueSoonDays: 5,
      },
    });
    for (const lang of ["zh", "en"] as const) {
      const { settings, issues } = readSettings(asTable(settingsSheetModel(s, lang)));
      expect(issues).toEqual([]);
      expect(settings).toEqual(s);
    }
  });

  it("does not mutate the defaults or its input", () => {
    const table = asTable(settingsSheetModel(DEFAULT_SETTINGS, "zh"));
    const copy = structuredClone(table);
    const { settings } = readSettings(table);
    settings.segments[0].r[0] = 1;
    settings.abc.a = 0.5;
    expect(DEFAULT_SETTINGS.segments[0].r[0]).toBe(4);
    expect(DEFAULT_SETTINGS.abc.a).toBe(0.8);
    expect(table).toEqual(copy);
  });

  it("reads a TableSource the same way", () => {
    const raw = withValue("abc.a", 0.75).table;
    const src: TableSource = {
      source: raw.source,
      headerRow: raw.headerRow,
      firstColumn: raw.firstColumn,
      headers: raw.headers,
      rowCount: raw.rows.length,
      cell: (r, c) => raw.rows[r][c],
      isBlank: (r, c) => String(raw.rows[r][c] ?? "").trim() === "",
      text: (r, c) => String(raw.rows[r][c] ?? "").trim(),
      number: () => NaN,
      date: () => NaN,
    };
    const { settings, issues } = readSettings(src);
    expect(issues).toEqual([]);
    expect(settings.abc.a).toBe(0.75);
  });
});

describe("readSettings accepts what a person types", () => {
  it.each([
    ["abc.a", "70%", 0.7],
    ["abc.a", "０.７", 0.7],
    ["abc.a", " 0.7 ", 0.7],
    ["lifecycle.windowDays", "1,000", 1000],
    ["lifecycle.model", "四阶段", "four"],
    ["abc.basis", "客户数", "count"],
    ["lifecycle.model", "FOUR", "four"],
    ["dateSystem", 1904, "1904"],
    ["value", "利润", "profit"],
    ["decimalComma", true, true],
    ["decimalComma", "是", true],
    ["clv.enabled", "No", false],
    ["asOf", "2026-11-15", day("2026-11-15")],
    ["asOf", "2026年11月15日", day("2026-11-15")],
    ["asOf", "2026/11/15", day("2026-11-15")],
    ["asOf", new Date(Date.UTC(2026, 10, 15)), day("2026-11-15")],
    ["asOf", 46341, day("2026-11-15")], // Excel serial, 1900 system
    ["asOf", "", null],
    ["grade.B.credit", "  现款现货 ", "现款现货"],
    [
      "followup.callWindows",
      "09:00–10:00，14:30-16:00",
      [
        [540, 600],
        [870, 960],
      ],
    ],
    ["followup.callWindows", "", []],
  ] as [string, Cell, unknown][])("%s = %j", (key, value, expected) => {
    const { settings, issues } = readSettings(withValue(key, value).table);
    expect(issues).toEqual([]);
    const path = SETTING_ROWS.find((r) => r.key === key)!.path;
    const got = path.reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], settings);
    expect(got).toEqual(expected);
  });

  it("reads a numeric as-of date in the 1904 system when the sheet says so", () => {
    const { table } = withValue("asOf", 46341 - 1462);
    table.rows.find((r) => r[0] === "dateSystem")![1] = "1904";
    expect(readSettings(table).settings.asOf).toBe(day("2026-11-15"));
  });

  it("finds the columns by header in either language, wherever they are", () => {
    const base = asTable(settingsSheetModel(DEFAULT_SETTINGS, "en"));
    const table: RawTable = {
      ...base,
      headerRow: 3,
      headers: ["Explanation", " value ", "SETTING"],
      rows: base.rows.map(([k, v, e]) => [e, v, k]),
    };
    table.rows.find((r) => r[2] === "abc.b")![1] = 0.9;
    const { settings, issues } = readSettings(table);
    expect(issues).toEqual([]);
    expect(settings.abc.b).toBe(0.9);
  });

  it("matches keys case- and space-insensitively", () => {
    const { table } = withValue("grade.A.callDays", 20);
    table.rows.find((r) => r[0] === "grade.A.callDays")![0] = " Grade.a.CallDays ";
    expect(readSettings(table)).toEqual({
      settings: makeSettings({
        grades: { ...DEFAULT_SETTINGS.grades, A: { ...DEFAULT_SETTINGS.grades.A, callDays: 20 } },
      }),
      issues: [],
    });
  });
});

describe("readSettings validation", () => {
  const one = (key: string, value: Cell) => {
    const { table, row } = withValue(key, value);
    return { ...readSettings(table), row };
  };

  it.each([
    ["abc.a", 1.5, "settings.issue.range", "0.8"],
    ["abc.a", 0, "settings.issue.range", "0.8"],
    ["abc.a", "abc", "settings.issue.notNumber", "0.8"],
    ["abc.a", "", "settings.issue.empty", "0.8"],
    ["abc.a", true, "settings.issue.notNumber", "0.8"],
    ["clv.monthlyDiscount", 1, "settings.issue.range", "0.01"],
    ["lifecycle.growthRatio", 0.9, "settings.issue.range", "1.2"],
    ["scorecard.cutoff.A", 120, "settings.issue.range", "80"],
    ["lifecycle.windowDays", 2.5, "settings.issue.notInteger", "180"],
    ["lifecycle.windowDays", 0, "settings.issue.notInteger", "180"],
    ["grade.C.visitDays", "每年", "settings.issue.notNumber", "365"],
    ["lifecycle.model", "seven", "settings.issue.option", "six"],
    ["dateOrder", "", "settings.issue.empty", "auto"],
    ["asOf", "2025/13/45", "settings.issue.notDate", "—"],
    ["asOf", true, "settings.issue.notDate", "—"],
    ["decimalComma", "maybe", "settings.issue.notBool", "no"],
    ["currency", " ", "settings.issue.empty", "¥"],
    ["followup.callWindows", "10:30-09:00", "settings.issue.windows", "10:30-11:30, 15:00-18:00"],
    ["followup.callWindows", "morning", "settings.issue.windows", "10:30-11:30, 15:00-18:00"],
    ["followup.callWindows", "23:00-24:30", "settings.issue.windows", "10:30-11:30, 15:00-18:00"],
    ["scorecard.tenure", -0.2, "settings.issue.range", "0.2"],
  ] as [string, Cell, string, string][])(
    "%s = %j → %s, default used",
    (key, value, reason, shown) => {
      const { settings, issues, row } = one(key, value);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ source: "设置", row, column: "值", severity: "warning" });
      expect(issues[0].reason.key).toBe(reason);
      expect(issues[0].reason.params?.default).toBe(shown);
      expect(issues[0].value).toBe(value === true ? "true" : String(value).trim());
      // The setting kept its default (scorecard: the default criterion weight).
      expect(settings).toEqual(DEFAULT_SETTINGS);
    },
  );

  it("renders a reason in both languages", () => {
    const { issues } = one("abc.a", 1.5);
    expect(t("zh", issues[0].reason)).toBe("应在 (0, 1] 范围内，已使用默认值 0.8");
    expect(t("en", issues[0].reason)).toBe("should be (0, 1]; the default 0.8 is used");
  });

  it("a ≥ b reverts the ABC cut-offs to their defaults", () => {
    const { table } = withValue("abc.a", 0.96);
    const rowB = table.headerRow + 1 + table.rows.findIndex((r) => r[0] === "abc.b");
    const { settings, issues } = readSettings(table);
    expect(issues).toEqual([
      {
        source: "设置",
        row: rowB,
        column: "值",
        value: "0.95",
        reason: { key: "settings.issue.order", params: { keys: "abc.a < abc.b" } },
        severity: "warning",
      },
    ]);
    expect(settings.abc).toEqual({ basis: "value", a: 0.8, b: 0.95 });
  });

  it("checks the pyramid and scorecard cut-off order", () => {
    const { table } = withValue("pyramid.gold", 0.5);
    table.rows.find((r) => r[0] === "scorecard.cutoff.C")![1] = 70;
    const { settings, issues } = readSettings(table);
    expect(reasons(issues)).toEqual(["settings.issue.order", "settings.issue.order"]);
    expect(issues.map((i) => i.reason.params?.keys)).toEqual([
      "pyramid.platinum < pyramid.gold < pyramid.iron",
      "scorecard.cutoff.C < scorecard.cutoff.B < scorecard.cutoff.A",
    ]);
    expect(settings).toEqual(DEFAULT_SETTINGS);
  });

  it("scales weights that do not add up to 1, with a warning on the first weight row", () => {
    const table = asTable(settingsSheetModel(DEFAULT_SETTINGS, "zh"));
    const set = (k: string, v: Cell) => (table.rows.find((r) => r[0] === k)![1] = v);
    set("scorecard.revenue", 40);
    set("scorecard.frequency", "20");
    set("scorecard.tenure", 20);
    set("scorecard.growth", 20);
    const first = table.headerRow + 1 + table.rows.findIndex((r) => r[0] === "scorecard.revenue");
    const { settings, issues } = readSettings(table);
    expect(issues).toEqual([
      {
        source: "设置",
        row: first,
        column: "值",
        value: "100",
        reason: { key: "settings.issue.weightsNormalised", params: { sum: "100" } },
        severity: "warning",
      },
    ]);
    expect(settings.scorecard.criteria).toEqual(DEFAULT_SETTINGS.scorecard.criteria);
  });

  it("accepts weights that add up to 1 within 1e-6 unchanged", () => {
    const { table } = withValue("scorecard.revenue", 0.4000004);
    const { settings, issues } = readSettings(table);
    expect(issues).toEqual([]);
    expect(settings.scorecard.criteria[0]).toEqual({ criterion: "revenue", weight: 0.4000004 });
  });

  it("all-zero weights fall back to the default criteria", () => {
    const table = asTable(settingsSheetModel(DEFAULT_SETTINGS, "zh"));
    for (const r of table.rows)
      if (String(r[0]).startsWith("scorecard.") && !String(r[0]).includes("cutoff")) r[1] = 0;
    const { settings, issues } = readSettings(table);
    expect(reasons(issues)).toEqual(["settings.issue.weightsZero"]);
    expect(settings.scorecard.criteria).toEqual(DEFAULT_SETTINGS.scorecard.criteria);
  });

  it("leaves out a malformed segment row and keeps the others", () => {
    const { table, row } = withValue("segment.2", "Loyal Customers|忠诚客户|2-5|3-5");
    table.rows.find((r) => r[0] === "segment.3")![1] =
      "Potential Loyalist|潜力忠诚客户|0-5|1-3|1-3";
    const { settings, issues } = readSettings(table);
    expect(issues.map((i) => [i.row, i.column, i.reason.key])).toEqual([
      [row, "值", "settings.issue.segment"],
      [row + 1, "值", "settings.issue.segmentRange"],
    ]);
    expect(settings.segments.map((s) => s.name)).toEqual(
      DEFAULT_SETTINGS.segments
        .map((s) => s.name)
        .filter((n) => n !== "Loyal Customers" && n !== "Potential Loyalist"),
    );
  });

  it("reads segments in number order and rejects reversed ranges", () => {
    const table = asTable(
      settingsSheetModel(makeSettings({ segments: DEFAULT_SETTINGS.segments.slice(0, 2) }), "en"),
    );
    const i1 = table.rows.findIndex((r) => r[0] === "segment.1");
    table.rows[i1][0] = "segment.9";
    expect(readSettings(table).settings.segments.map((s) => s.name)).toEqual([
      "Loyal Customers",
      "Champions",
    ]);
    table.rows[i1][1] = "Champions|冠军客户|5-4|4-5|4-5";
    const { issues } = readSettings(table);
    expect(issues.map((i) => [i.row, i.reason.key])).toEqual([
      [table.headerRow + 1 + i1, "settings.issue.segmentRange"],
    ]);
  });

  it("uses the default segment table when no segment row is usable", () => {
    const table = asTable(
      settingsSheetModel(makeSettings({ segments: DEFAULT_SETTINGS.segments.slice(0, 1) }), "zh"),
    );
    const i = table.rows.findIndex((r) => r[0] === "segment.1");
    table.rows[i][1] = "冠军客户";
    const { settings, issues } = readSettings(table);
    expect(issues.map((x) => [x.row, x.reason.key])).toEqual([
      [table.headerRow + 1 + i, "settings.issue.segment"],
      [table.headerRow + 1 + i, "settings.issue.noSegments"],
    ]);
    expect(settings.segments).toEqual(DEFAULT_SETTINGS.segments);
  });

  it("warns about unknown and duplicate keys, naming the key column", () => {
    const table = asTable(settingsSheetModel(DEFAULT_SETTINGS, "en"));
    table.rows.push(["abc.x", 1, ""], ["abc.a", 0.5, ""], [null, "stray", ""]);
    const n = table.headerRow + table.rows.length;
    const rowA = table.headerRow + 1 + table.rows.findIndex((r) => r[0] === "abc.a");
    const { settings, issues } = readSettings(table);
    expect(issues).toEqual([
      {
        source: "Settings",
        row: n - 2,
        column: "Setting",
        value: "abc.x",
        reason: { key: "settings.issue.unknownKey" },
        severity: "warning",
      },
      {
        source: "Settings",
        row: n - 1,
        column: "Setting",
        value: "abc.a",
        reason: { key: "settings.issue.duplicate", params: { row: String(rowA) } },
        severity: "warning",
      },
    ]);
    expect(settings.abc.a).toBe(0.8);
  });

  it("keeps defaults for rows that are missing", () => {
    const table = asTable(settingsSheetModel(makeSettings({ abc: { a: 0.7 } }), "zh"));
    table.rows = table.rows.filter((r) => !String(r[0]).startsWith("grade.") && r[0] !== "asOf");
    const { settings, issues } = readSettings(table);
    expect(issues).toEqual([]);
    expect(settings).toEqual(makeSettings({ abc: { a: 0.7 } }));
  });

  it("returns the defaults with one issue when the columns cannot be found", () => {
    const { settings, issues } = readSettings({
      source: "设置",
      headerRow: 1,
      firstColumn: 1,
      headers: ["说明"],
      rows: [["x"]],
    });
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(issues).toEqual([
      {
        source: "设置",
        row: 0,
        column: "",
        value: "",
        reason: { key: "settings.issue.noColumns", params: { headers: "说明" } },
        severity: "warning",
      },
    ]);
  });
});
