/**
 * Workbooks for the adapter tests: a user's workbook with data, formulas, formatting and
 * other sheets around the tables, and a hand-built WorkbookOutput.
 */
import { FakeWorkbook, type FakeCell, type FakeTable } from "../../addin/fake-excel.js";
import {
  emptyRecord,
  ownedColumns,
  OWNERSHIP_NAMESPACE,
  recordFromXml,
  type OwnershipRecord,
} from "../../addin/ownership.js";
import { parseAddress } from "../../addin/a1.js";
import {
  ownedColumnHeaders,
  ownedSheetNames,
  OWNED_COLUMNS,
  OWNED_SHEETS,
  type WorkbookOutput,
} from "../../analysis/workbook.js";

/** Excel serial of 2024-01-05 (1900 system). */
export const SERIAL_2024_01_05 = 45296;

export function userWorkbook(): FakeWorkbook {
  const book = new FakeWorkbook();
  // Customers: a title row and a blank row above the table, formatting, a formula beside it.
  book.put("客户", "A1", [["客户名单（2024）"]]);
  book.put("客户", "A3", [
    ["客户编号", "客户名称", "联系人", "区域", "客户经理", "手动阶段", "备注"],
    ["C001", "华东机电", "王伟", "华东", "李娜", null, "老客户"],
    ["C002", '=HYPERLINK("x")', "张敏", "华南", "李娜", null, null],
    ["C003", "北方物流", "刘洋", "华北", "陈杰", "成熟期", "年框合同"],
    ["C004", "西部能源", "赵磊", "西南", "陈杰", null, null],
    ["C005", "00123 贸易", "孙丽", "华东", "李娜", null, "潜在"],
    ["C006", "海港食品", "周强", "华南", "陈杰", null, null],
  ]);
  book.addTable("客户", "A3:G9", "Customers");
  const cust = book.sheet("客户");
  style(book, "客户", "A1", { bold: true, fontColor: "#1F3864" });
  for (let c = 0; c < 7; c++) setCell(cust, 2, c, { fill: "#FFF2CC", bold: true });
  // A formula two columns right of the table (column I), and a note below the table.
  setCell(cust, 0, 8, { value: 6, formula: "=COUNTA(Customers[客户编号])", numberFormat: "0" });
  book.put("客户", "A12", [["备注：手动阶段列可以留空"]]);

  // Orders: serial dates, amounts with a number format, a cancellation.
  const orders: (string | number)[][] = [["订单号", "客户编号", "日期", "金额", "产品"]];
  const rows: [string, string, number, number, string][] = [
    ["SO-1", "C001", SERIAL_2024_01_05, 12000, "电机"],
    ["SO-2", "C001", SERIAL_2024_01_05 + 40, 8000, "电机"],
    ["SO-3", "C002", SERIAL_2024_01_05 + 10, 3000, "阀门"],
    ["SO-4", "C003", SERIAL_2024_01_05 + 90, 45000, "整线"],
    ["SO-5", "C003", SERIAL_2024_01_05 + 150, 30000, "整线"],
    ["CSO-5", "C003", SERIAL_2024_01_05 + 151, -5000, "整线"],
    ["SO-6", "C004", SERIAL_2024_01_05 + 5, 900, "备件"],
    ["SO-7", "C006", SERIAL_2024_01_05 + 170, 2200, "备件"],
  ];
  for (const r of rows) orders.push(r);
  book.put("订单", "A1", orders);
  book.addTable("订单", `A1:E${orders.length}`, "Orders");
  const ord = book.sheet("订单");
  for (let r = 1; r < orders.length; r++) {
    setCell(ord, r, 2, { numberFormat: "yyyy/m/d" });
    setCell(ord, r, 3, { numberFormat: "¥#,##0.00" });
  }

  // Other sheets the add-in must leave alone.
  book.put("Notes", "B2", [
    ["Plan", "Q1"],
    ["Budget", 120000],
  ]);
  setCell(book.sheet("Notes"), 3, 2, { value: 240000, formula: "=C3*2" });
  book.put("汇总", "A1", [["总金额", 95100]]);
  setCell(book.sheet("汇总"), 0, 1, {
    value: 95100,
    formula: "=SUM(Orders[金额])",
    numberFormat: "#,##0",
  });
  return book;
}

export function style(book: FakeWorkbook, sheet: string, a1: string, f: FakeCell): void {
  const { row, col } = parseAddress(a1);
  setCell(book.sheet(sheet), row, col, f);
}

export function setCell(
  sheet: ReturnType<FakeWorkbook["sheet"]>,
  row: number,
  col: number,
  f: FakeCell,
): void {
  let r = sheet.cells.get(row);
  if (!r) sheet.cells.set(row, (r = new Map()));
  r.set(col, { ...(r.get(col) ?? {}), ...f });
}

const STAGE_COLOURS = [
  { equals: "潜在期", health: "yellow" as const },
  { equals: "开发期", health: "yellow" as const },
  { equals: "成长期", health: "green" as const },
  { equals: "成熟期", health: "green" as const },
  { equals: "衰退期", health: "red" as const },
  { equals: "终止期", health: "red" as const },
];

/** An output for the six customers of userWorkbook(), as the core would describe it. */
export function sampleOutput(lang: "zh" | "en" = "zh", settingsSheet = true): WorkbookOutput {
  const day = (iso: string) => Math.round(Date.parse(iso) / 86_400_000);
  const L = <K extends keyof typeof OWNED_COLUMNS>(k: K) => OWNED_COLUMNS[k][lang];
  const S = <K extends keyof typeof OWNED_SHEETS>(k: K) => OWNED_SHEETS[k][lang];
  return {
    lang,
    columns: [
      {
        key: "stage",
        header: L("stage"),
        format: "text",
        values: ["成长期", "开发期", "成熟期", "衰退期", "潜在期", "开发期"],
        colours: STAGE_COLOURS,
      },
      {
        key: "stageReason",
        header: L("stageReason"),
        format: "text",
        values: [
          "近 180 天消费增长",
          "首单后 90 天内",
          "手动设定",
          "超过两倍平均间隔未购买",
          "尚无订单",
          "首单后 90 天内",
        ],
      },
      {
        key: "grade",
        header: L("grade"),
        format: "text",
        values: ["B", "C", "A", "C", null, "C"],
        colours: [
          { equals: "A", health: "green" },
          { equals: "C", health: "red" },
        ],
      },
      { key: "r", header: L("r"), format: "int", values: [4, 3, 5, 1, null, 5] },
      {
        key: "clv",
        header: L("clv"),
        format: "money",
        values: [12000.5, 800, 52000, 0, null, 1500],
      },
      {
        key: "nextContact",
        header: L("nextContact"),
        format: "date",
        values: [
          day("2024-08-01"),
          day("2024-07-20"),
          null,
          day("2024-07-01"),
          null,
          day("2024-07-25"),
        ],
      },
    ],
    sheets: [
      {
        key: "analysis",
        name: S("analysis"),
        freezeRows: 1,
        charts: [],
        blocks: [
          {
            id: "customers",
            title: null,
            anchor: { row: 0, col: 0 },
            columns: [
              { header: "客户编号", format: "text" },
              { header: "客户名称", format: "text" },
              { header: "金额", format: "money" },
              { header: "最近消费", format: "date" },
              { header: "阶段", format: "text" },
            ],
            rows: [
              ["C001", "华东机电", 20000, day("2024-02-14"), "成长期"],
              ["C002", '=HYPERLINK("x")', 3000, day("2024-01-15"), "开发期"],
              ["C003", "北方物流", 70000, day("2024-06-03"), "成熟期"],
              ["C004", "西部能源", 900, day("2024-01-10"), "衰退期"],
              ["C005", "00123 贸易", 0, null, "潜在期"],
              ["00123", "海港食品", 2200, day("2024-06-23"), "开发期"],
            ],
            colours: [
              { column: 4, equals: "成熟期", health: "green" },
              { column: 4, equals: "衰退期", health: "red" },
            ],
          },
        ],
      },
      {
        key: "pareto",
        name: S("pareto"),
        freezeRows: 0,
        blocks: [
          {
            id: "pareto",
            title: lang === "zh" ? "帕累托：客户价值集中度" : "Pareto: concentration of value",
            anchor: { row: 0, col: 0 },
            columns: [
              { header: "客户", format: "text" },
              { header: "价值", format: "money" },
              { header: "累计占比", format: "pct" },
            ],
            rows: [
              ["北方物流", 70000, 0.729],
              ["华东机电", 20000, 0.938],
              ["C002", 3000, 0.969],
              ["海港食品", 2200, 0.991],
              ["西部能源", 900, 1],
            ],
          },
        ],
        charts: [
          {
            id: "pareto",
            kind: "pareto",
            title: "帕累托图",
            block: "pareto",
            category: 0,
            values: [1],
            line: 2,
            reference: 0.8,
            anchor: { row: 1, col: 5 },
            size: { rows: 18, cols: 9 },
            vegaLite: {},
          },
        ],
      },
      {
        key: "rfm",
        name: S("rfm"),
        freezeRows: 0,
        charts: [],
        blocks: [
          {
            id: "heat",
            title: "R × F",
            anchor: { row: 0, col: 0 },
            colourScale: true,
            columns: [
              { header: "R \\ F", format: "text" },
              { header: "1", format: "int" },
              { header: "2", format: "int" },
              { header: "3", format: "int" },
            ],
            rows: [
              ["5", 1, 0, 1],
              ["4", 0, 1, 0],
              ["1", 1, 0, 0],
            ],
          },
        ],
      },
      {
        key: "lifecycle",
        name: S("lifecycle"),
        freezeRows: 1,
        blocks: [
          {
            id: "stages",
            title: null,
            anchor: { row: 0, col: 0 },
            columns: [
              { header: "阶段", format: "text" },
              { header: "客户数", format: "int" },
            ],
            rows: [
              ["潜在期", 1],
              ["开发期", 2],
              ["成长期", 1],
              ["成熟期", 1],
              ["衰退期", 1],
              ["终止期", 0],
            ],
            colours: STAGE_COLOURS.map((c) => ({ column: 0, ...c })),
          },
        ],
        charts: [
          {
            id: "funnel",
            kind: "funnel",
            title: "生命周期漏斗",
            block: "stages",
            category: 0,
            values: [1],
            anchor: { row: 0, col: 4 },
            size: { rows: 15, cols: 7 },
            vegaLite: {},
          },
        ],
      },
      ...(settingsSheet
        ? [
            {
              key: "settings" as const,
              name: S("settings"),
              freezeRows: 1,
              charts: [],
              blocks: [
                {
                  id: "settings",
                  title: null,
                  anchor: { row: 0, col: 0 },
                  columns: [
                    { header: "参数", format: "text" as const },
                    { header: "值", format: "text" as const },
                    { header: "说明", format: "text" as const },
                  ],
                  rows: [
                    ["asOf", null, "截止日期；留空 = 最近一笔订单的日期"],
                    ["dateSystem", "1900", "日期系统：1900 或 1904"],
                  ],
                  validation: { column: 1, list: ["1900", "1904"] },
                },
              ],
            },
          ]
        : []),
    ],
  };
}

/** Every owned sheet name and owned column header, in both languages. */
export const OWNED_SHEET_NAMES = new Set(
  Object.keys(OWNED_SHEETS).flatMap((k) => ownedSheetNames(k as keyof typeof OWNED_SHEETS)),
);
export const OWNED_HEADER_NAMES = new Set(
  Object.keys(OWNED_COLUMNS).flatMap((k) => ownedColumnHeaders(k as keyof typeof OWNED_COLUMNS)),
);

/** The ownership record stored in the workbook (empty when there is none). */
export function recordOf(book: FakeWorkbook): OwnershipRecord {
  const part = book.xmlParts.find((p) => p.namespaceUri === OWNERSHIP_NAMESPACE);
  return part ? recordFromXml(part.xml) : emptyRecord();
}

/** IDs of the sheets the record owns. */
export function ownedSheetIds(book: FakeWorkbook): Set<string> {
  return new Set(Object.values(recordOf(book).sheets).map((s) => s!.id));
}

/** Sheet columns (0-based) of the owned result columns of a table, by the record. */
function ownedTableColumns(book: FakeWorkbook, table: FakeTable): Set<number> {
  const sheet = book.sheetById(table.sheetId);
  const headers = book
    .read(sheet, { row: table.row, col: table.col, rows: 1, cols: table.cols })[0]
    .map((h) => String(h ?? ""));
  return new Set(
    [...ownedColumns(recordOf(book), table.id, headers).keys()].map((i) => table.col + i),
  );
}

/**
 * The user's part of a workbook: every cell of every sheet the record does not own, except
 * the owned result columns of the Customers table (header row down to the table's last row),
 * and the charts on those sheets.
 */
export function userCells(book: FakeWorkbook): Record<string, Record<string, FakeCell>> {
  const snap = book.snapshot();
  const owned = ownedSheetIds(book);
  const out: Record<string, Record<string, FakeCell>> = {};
  for (const s of book.sheets) {
    if (owned.has(s.id)) continue;
    const tables = book.tables.filter((t) => t.sheetId === s.id);
    const inOwned = (row: number, col: number) =>
      tables.some(
        (t) =>
          row >= t.row &&
          row < t.row + t.rows &&
          col >= t.col &&
          col < t.col + t.cols &&
          ownedTableColumns(book, t).has(col),
      );
    const cells: Record<string, FakeCell> = {};
    for (const [addr, cell] of Object.entries(snap[s.name])) {
      const { row, col } = parseAddress(addr);
      if (!inOwned(row, col)) cells[addr] = cell;
    }
    for (const c of s.charts) cells[`chart:${c.name}`] = structuredClone(c) as unknown as FakeCell;
    out[s.name] = cells;
  }
  return out;
}

/** The owned part: owned sheets (cells, charts, formats) and owned columns. */
export function ownedState(book: FakeWorkbook): unknown {
  const snap = book.snapshot();
  const owned = ownedSheetIds(book);
  const sheets = book.sheets
    .filter((s) => owned.has(s.id))
    .map((s) => ({
      name: s.name,
      cells: snap[s.name],
      charts: s.charts.map((c) => ({
        ...c,
        id: undefined,
        series: c.series.map((x) => ({
          ...x,
          values: x.values && { ...x.values, sheetId: undefined },
          xValues: x.xValues && { ...x.xValues, sheetId: undefined },
        })),
      })),
      conditionalFormats: s.conditionalFormats,
      validations: s.validations,
      freezeRows: s.freezeRows,
    }));
  const all = userCellsComplement(book);
  return { sheets, columns: all };
}

function userCellsComplement(book: FakeWorkbook): Record<string, FakeCell> {
  const snap = book.snapshot();
  const out: Record<string, FakeCell> = {};
  const user = userCells(book);
  const owned = ownedSheetIds(book);
  for (const s of book.sheets) {
    if (owned.has(s.id)) continue;
    for (const [addr, cell] of Object.entries(snap[s.name]))
      if (!(addr in user[s.name])) out[`${s.name}!${addr}`] = cell;
    for (const cf of s.conditionalFormats)
      out[`${s.name}!cf@${JSON.stringify(cf.block)}:${cf.rule?.formula1}`] =
        cf as unknown as FakeCell;
    for (const v of s.validations)
      out[`${s.name}!dv@${JSON.stringify(v.block)}`] = v as unknown as FakeCell;
  }
  return out;
}
