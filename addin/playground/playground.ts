/**
 * The playground: the real task pane (iframe) beside a simple view of the in-memory workbook
 * (sheet tabs, cells, owned columns highlighted, charts drawn with vega-lite from the cells the
 * native charts reference). Starts with the bundled sample, created through the same adapter
 * call as the pane's "Create sample workbook" button.
 */
import { compile } from "vega-lite";
import { parse, View } from "vega";
import { ExcelPort, type ExcelHost } from "../excel-adapter.js";
import { largeWorkbook } from "../bench-sync.js";
import { nextTask } from "../worker-client.js";
import {
  FakeExcel,
  FakeWorkbook,
  type FakeChart,
  type FakeSheet,
  type SheetBlockRef,
} from "../fake-excel.js";
import { cellAddress, columnLetters, parseAddress } from "../a1.js";
import { sampleWorkbook, SAMPLE_SHEETS } from "../../analysis/sample.js";
import { excelSerialToDay, isoDay } from "../../analysis/dates.js";
import { langFromLocale } from "../../analysis/messages/index.js";
import { OWNED_COLUMNS, OWNED_SHEETS } from "../../analysis/workbook.js";

const params = new URLSearchParams(location.search);
const displayLanguage = params.get("lang") ?? navigator.language ?? "en-US";
const lang = langFromLocale(displayLanguage);
// ?orders=N: a generated workbook of N order rows (N / 10 customers) instead of the sample,
// for measuring the pane on large workbooks (npm run bench drives it).
const largeOrders = Math.min(2_000_000, Math.max(0, Math.floor(Number(params.get("orders")) || 0)));
const book = largeOrders
  ? largeWorkbook(largeOrders, Math.max(1, largeOrders / 10))
  : new FakeWorkbook();
const excel = new FakeExcel(book);

/**
 * The in-memory workbook, answering each sync in a later task as Excel does (a request goes to
 * the host and its answer comes back as a message): the pane's work between two requests is
 * then one task, as in Office, and the page keeps painting while a large table is read.
 */
const excelSpans: [number, number][] = [];
const now = () => performance.timeOrigin + performance.now();
const host: ExcelHost = {
  isSetSupported: (name, version) => excel.isSetSupported(name, version),
  run: (batch) =>
    excel.run((ctx) => {
      const sync = ctx.sync.bind(ctx) as () => Promise<void>;
      (ctx as unknown as { sync: () => Promise<void> }).sync = async () => {
        await nextTask();
        // The in-memory Excel runs the request's operations synchronously: in Office that
        // time is spent by Excel, not on the pane's thread. The bench takes it out (spans).
        const t0 = now();
        const done = sync();
        excelSpans.push([t0, now()]);
        return done;
      };
      return batch(ctx);
    }),
};
const port = new ExcelPort(host);
let active: string | null = null;

const OWNED_SHEET_NAMES = new Set<string>(Object.values(OWNED_SHEETS).flatMap((n) => [n.zh, n.en]));
/** A sheet's language, from its name (the add-in's sheets and the sample's), else the page's. */
const EN_SHEETS = new Set<string>(
  [...Object.values(OWNED_SHEETS), ...Object.values(SAMPLE_SHEETS)].map((n) => n.en),
);
const ZH_SHEETS = new Set<string>(
  [...Object.values(OWNED_SHEETS), ...Object.values(SAMPLE_SHEETS)].map((n) => n.zh),
);
const htmlLang = (l: "zh" | "en") => (l === "zh" ? "zh-CN" : "en");
const sheetLang = (name: string) =>
  htmlLang(EN_SHEETS.has(name) ? "en" : ZH_SHEETS.has(name) ? "zh" : lang);
/** Chart fonts as the CSS for that language: Latin first for English (straight quotes). */
const chartFont = (l: string) =>
  l === "en"
    ? "Segoe UI, Helvetica Neue, Arial, Liberation Sans, DejaVu Sans, Noto Sans CJK SC, sans-serif"
    : "Segoe UI, Microsoft YaHei, Noto Sans CJK SC, sans-serif";
const OWNED_HEADERS = new Set<string>(Object.values(OWNED_COLUMNS).flatMap((n) => [n.zh, n.en]));
const MAX_ROWS = 300;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function display(value: unknown, format: string | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "number") return String(value);
  if (format && /y/.test(format) && /d/.test(format))
    return isoDay(excelSerialToDay(value, "1900"));
  if (format?.endsWith("%")) return `${(value * 100).toFixed(format.includes(".0") ? 1 : 0)}%`;
  if (format?.includes("#,##0"))
    return value.toLocaleString("en-US", {
      minimumFractionDigits: format.includes(".00") ? 2 : 0,
      maximumFractionDigits: format.includes(".00") ? 2 : 0,
    });
  return String(Math.round(value * 1e6) / 1e6);
}

/** Conditional formats of a cell, as Excel would paint them (CellValue = and colour scales). */
function paint(
  sheet: FakeSheet,
  r: number,
  c: number,
  value: unknown,
): { fill?: string; color?: string } {
  for (const f of sheet.conditionalFormats) {
    const b = f.block;
    if (r < b.row || r >= b.row + b.rows || c < b.col || c >= b.col + b.cols) continue;
    if (f.type === "CellValue" && f.rule?.formula1) {
      const want = f.rule.formula1.replace(/^="?|"$/g, "").replace(/""/g, '"');
      if (String(value ?? "") === want)
        return { fill: f.fill ?? undefined, color: f.fontColor ?? undefined };
    }
    if (f.type === "ColorScale" && typeof value === "number") {
      let lo = Infinity,
        hi = -Infinity;
      for (let i = 0; i < b.rows; i++)
        for (let j = 0; j < b.cols; j++) {
          const v = book.cell(sheet, b.row + i, b.col + j)?.value;
          if (typeof v === "number") {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      const t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
      const mix = (a: number[], z: number[], k: number) =>
        a.map((x, i) => Math.round(x + (z[i] - x) * k));
      const rgb =
        t < 0.5
          ? mix([248, 105, 107], [255, 235, 132], t * 2)
          : mix([255, 235, 132], [99, 190, 123], (t - 0.5) * 2);
      return { fill: `rgb(${rgb.join(",")})` };
    }
  }
  return {};
}

function renderGrid(sheet: FakeSheet): void {
  const grid = document.getElementById("grid")!;
  grid.lang = sheetLang(sheet.name);
  // The rows down to the last one holding anything, and the columns used by the rows shown and
  // the tables: not book.usedBlock, which visits every cell (5,000,000 on a 1M-row sheet).
  let rows = 0;
  for (const r of sheet.cells.keys()) if (r >= rows) rows = r + 1;
  if (rows === 0) {
    grid.replaceChildren(el("p", "", "—"));
    return;
  }
  // the selection: a cell (a data issue) or a range (a customer's row, from a follow-up card)
  const sel =
    book.selection && book.selection.sheet === sheet.name
      ? parseAddress(book.selection.address)
      : null;
  const selRow = sel ? sel.row : 0;
  const inSel = (r: number, c: number) =>
    !!sel && r >= sel.row && r < sel.row + sel.rows && c >= sel.col && c < sel.col + sel.cols;
  const start = Math.max(0, Math.min(selRow - 20, rows - MAX_ROWS));
  const end = Math.min(rows, start + MAX_ROWS);
  let usedCols = 0;
  for (let r = start; r < end; r++)
    for (const c of sheet.cells.get(r)?.keys() ?? []) if (c >= usedCols) usedCols = c + 1;
  for (const t of book.tables)
    if (t.sheetId === sheet.id) usedCols = Math.max(usedCols, t.col + t.cols);
  const cols = Math.min(usedCols + 1, 40);
  // owned result columns: header cells of tables that carry an owned header
  const owned = new Map<number, { from: number; to: number }>();
  for (const t of book.tables.filter((x) => x.sheetId === sheet.id))
    for (let c = t.col; c < t.col + t.cols; c++) {
      const h = book.cell(sheet, t.row, c)?.value;
      if (typeof h === "string" && OWNED_HEADERS.has(h))
        owned.set(c, { from: t.row, to: t.row + t.rows - 1 });
    }
  const table = el("table");
  const head = el("tr");
  head.append(el("th"));
  for (let c = 0; c < cols; c++) head.append(el("th", "", columnLetters(c)));
  table.append(Object.assign(el("thead"), {}));
  table.tHead!.append(head);
  const body = el("tbody");
  for (let r = start; r < end; r++) {
    const tr = el("tr");
    tr.append(el("th", "", String(r + 1)));
    for (let c = 0; c < cols; c++) {
      const cell = book.cell(sheet, r, c);
      const td = el("td");
      const v = cell?.value;
      td.textContent = display(v, cell?.numberFormat);
      if (typeof v === "number") td.classList.add("num");
      if (cell?.bold) td.classList.add("b");
      if (cell?.formula) {
        td.classList.add("formula");
        td.title = cell.formula;
      }
      const o = owned.get(c);
      if (o && r >= o.from && r <= o.to) td.classList.add(r === o.from ? "owned-h" : "owned");
      const p = paint(sheet, r, c, v);
      const fill = p.fill ?? cell?.fill;
      if (fill) td.style.background = fill;
      if (p.color ?? cell?.fontColor) td.style.color = (p.color ?? cell?.fontColor)!;
      if (inSel(r, c)) td.classList.add(sel!.rows * sel!.cols === 1 ? "sel" : "sel-range");
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  grid.replaceChildren(table);
  const selected = grid.querySelector(".sel, .sel-range");
  if (selected) selected.scrollIntoView({ block: "center" });
  else grid.scrollTo(0, 0);
}

function refValues(ref: SheetBlockRef | null): unknown[] {
  if (!ref) return [];
  const sheet = book.sheetById(ref.sheetId);
  return book.read(sheet, ref).map((r) => r[0]);
}

/** A vega-lite spec from a native chart's series (the cells it plots). */
function chartSpec(chart: FakeChart, language: string): Record<string, unknown> {
  // numeric categories (a curve's shares) read as 0.25, not 0.2469135802469136
  const cats = refValues(chart.series[0]?.xValues ?? null).map((c) =>
    typeof c === "number" ? String(Math.round(c * 1000) / 1000) : String(c ?? ""),
  );
  const rows: {
    cat: string;
    order: number;
    series: string;
    value: number;
    axis: string;
    mark: string;
  }[] = [];
  for (const s of chart.series) {
    const vals = refValues(s.values);
    const line = s.chartType === "Line" || chart.type === "Line";
    vals.forEach((v, i) =>
      rows.push({
        cat: cats[i] ?? String(i + 1),
        order: i,
        series: s.name,
        value: Number(v) || 0,
        axis: s.axisGroup,
        mark: line ? "line" : "bar",
      }),
    );
  }
  const horizontal = chart.type === "BarClustered" || chart.type === "Funnel";
  const stacked = /Stacked/.test(chart.type);
  const x = {
    field: "cat",
    type: "nominal",
    sort: { field: "order", op: "min" },
    title: null,
    axis: { labelAngle: horizontal ? 0 : -40, labelLimit: 90, labelOverlap: true },
  };
  // Several series on the primary axis: a *Clustered chart draws them side by side (an offset
  // per series along the category axis), a *Stacked one on top of each other, as Excel does.
  const several = chart.series.filter((s) => s.axisGroup === "Primary").length > 1;
  const value = {
    field: "value",
    type: "quantitative",
    title: null,
    ...(stacked ? {} : { stack: null }),
  };
  const bySeries = several
    ? {
        ...(stacked
          ? {}
          : {
              [horizontal ? "yOffset" : "xOffset"]: {
                field: "series",
                type: "nominal",
                sort: null,
              },
            }),
        color: {
          field: "series",
          type: "nominal",
          title: null,
          sort: null,
          scale: { range: ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000"] },
          legend: { orient: "bottom" },
        },
      }
    : {};
  const primary = {
    transform: [{ filter: "datum.axis === 'Primary'" }],
    // a Line chart (the concentration curve) is drawn as a line, not as bars
    mark: /^Line/.test(chart.type)
      ? { type: "line", color: "#4472C4" }
      : { type: "bar", color: "#4472C4" },
    encoding: horizontal ? { y: x, x: value, ...bySeries } : { x, y: value, ...bySeries },
  };
  const secondary = {
    transform: [{ filter: "datum.axis === 'Secondary'" }],
    mark: { type: "line", point: true },
    encoding: {
      x,
      y: {
        field: "value",
        type: "quantitative",
        title: null,
        scale: { domain: [0, 1] },
        axis: { format: "%", orient: "right" },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { range: ["#ED7D31", "#A5A5A5"] },
        legend: { orient: "bottom" },
      },
    },
  };
  const hasSecondary = chart.series.some((s) => s.axisGroup === "Secondary");
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: chart.title, fontSize: 12, anchor: "start" },
    width: 340,
    height: horizontal ? Math.max(120, cats.length * (several ? 28 : 18)) : 170,
    data: { values: rows },
    config: {
      font: chartFont(language),
      view: { stroke: null },
    },
    ...(hasSecondary
      ? { layer: [primary, secondary], resolve: { scale: { y: "independent" } } }
      : primary),
  };
}

async function renderCharts(sheet: FakeSheet): Promise<void> {
  const box = document.getElementById("charts")!;
  box.replaceChildren();
  box.lang = sheetLang(sheet.name);
  for (const chart of sheet.charts) {
    const fig = el("figure");
    try {
      const view = new View(parse(compile(chartSpec(chart, box.lang) as never).spec), {
        renderer: "none",
      });
      fig.innerHTML = await view.toSVG();
      view.finalize();
    } catch (e) {
      fig.textContent = String((e as Error).message);
    }
    fig.append(
      el(
        "figcaption",
        "",
        `${chart.type}${chart.series.some((s) => s.axisGroup === "Secondary") ? " + secondary axis" : ""}`,
      ),
    );
    box.append(fig);
  }
}

function render(): void {
  const sheets = book.sheets;
  const current = book.activeSheet ? book.sheets.find((s) => s.id === book.activeSheet) : null;
  active = current?.name ?? active ?? sheets[0]?.name ?? null;
  const tabs = document.getElementById("tabs")!;
  tabs.setAttribute("role", "tablist");
  tabs.replaceChildren(
    ...sheets.map((s) => {
      const b = el("button", OWNED_SHEET_NAMES.has(s.name) ? "owned" : "", s.name);
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", String(s.name === active));
      b.addEventListener("click", () => {
        book.activeSheet = s.id;
        render();
      });
      return b;
    }),
  );
  const sheet = active ? book.findSheet(active) : undefined;
  if (!sheet) return;
  renderGrid(sheet);
  void renderCharts(sheet);
}

declare global {
  interface Window {
    crmBook?: FakeWorkbook;
    /** Wall-clock spans (ms since the epoch) in which the in-memory Excel ran a request. */
    crmExcelSpans?: [number, number][];
  }
}

async function start(): Promise<void> {
  document.documentElement.lang = htmlLang(lang);
  window.crmBook = book;
  window.crmExcelSpans = excelSpans;
  window.crmPlayground = { port, displayLanguage, onWorkbookChanged: render };
  // A click on a cell selects it, as in Excel: the workbook's selection event follows (the
  // pane shows the row's customer card).
  document.getElementById("grid")!.addEventListener("click", (e) => {
    const td = (e.target as HTMLElement).closest("td");
    const row = td?.parentElement?.firstElementChild?.textContent;
    if (!td || !row || !active) return;
    book.userSelect(active, cellAddress(Number(row) - 1, td.cellIndex - 1));
    render();
  });
  if (!params.has("empty") && !largeOrders) {
    const sample = sampleWorkbook({ lang });
    const tables = (["customers", "orders", "interactions"] as const).map((k) => ({
      sheet: SAMPLE_SHEETS[k][lang],
      table: k === "customers" ? "Customers" : k === "orders" ? "Orders" : "Interactions",
      data: sample[k],
      dateColumns: sample[k].headers
        .map((_, j) => j)
        .filter((j) => sample[k].rows.some((r) => r[j] instanceof Date)),
    }));
    await port.addTables(tables, { dateSystem: "1900" });
  }
  render();
  // The pane iframe reads window.parent.crmPlayground when it boots, so load it only now.
  const frame = document.getElementById("pane") as HTMLIFrameElement;
  frame.src = `pane.html${location.search}`;
}

start().catch((e: unknown) => {
  document.body.prepend(el("pre", "", `playground failed: ${(e as Error)?.message ?? String(e)}`));
});
