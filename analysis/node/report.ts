/**
 * report.html: the ReportModel as one self-contained page.
 *
 * Pipeline: model → figures rendered to SVG (render.ts, all at once) → sections to HTML
 * (contents, KPI cards, text, figures, tables) → page (inline CSS, no script).
 *
 * Decisions:
 * - Nothing is fetched: no script, no external CSS, fonts or images; charts are inline SVG
 *   drawn at write time. The only URLs in the page are the SVG namespaces vega writes.
 * - Every string from the model goes through `esc()`; chart text is escaped by vega's SVG
 *   writer (tests check both with a hostile name). Section ids are reduced to [A-Za-z0-9_-].
 * - Same model → same bytes: no timestamp in the page (the subtitle carries the as-of date),
 *   SVG ids renumbered per figure.
 * - lang="zh-CN" (not bare "zh") so that browsers pick Simplified Chinese glyphs.
 * - A spec that cannot be drawn at all shows a visible note in its place instead of failing
 *   the whole report; spec producers' tests keep that from happening.
 */
import { formatDay, formatMoney, formatNumber, formatPct, t } from "../messages/index.js";
import type { ReportItem, ReportModel, ReportSection } from "../report-model.js";
import type { Lang } from "../types.js";
import type { CellFormat, OutValue } from "../workbook.js";
import { compileSpec } from "./render.js";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape text for HTML content and double-quoted attributes. */
export function esc(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const NUMERIC: ReadonlySet<CellFormat> = new Set(["int", "number", "money", "pct"]);

/** One table cell as text, formatted for the language. Non-numbers in numeric columns stay text. */
export function formatCell(v: OutValue, format: CellFormat, lang: Lang, currency: string): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return "";
  switch (format) {
    case "int":
      return formatNumber(Math.round(v), lang, 0);
    case "number":
      return formatNumber(v, lang);
    case "money":
      return formatMoney(v, lang, currency);
    case "pct":
      // one decimal throughout a column, so that 6.2% and 11.0% line up (not "6.2%", "11%")
      return formatPct(v, lang, 1);
    case "date":
      return formatDay(v, lang);
    default:
      return String(v);
  }
}

/** Render the whole report; figures are drawn to inline SVG here. */
export async function renderReport(model: ReportModel): Promise<string> {
  const m = normalise(model);
  const figures = await drawFigures(m);
  return page(m, figures);
}

// ---------------------------------------------------------------------------------------------

interface Ctx {
  lang: Lang;
  currency: string;
  figures: Map<ReportItem, string>;
}

type Anchored = ReportSection & { anchor: string };
type CleanModel = Omit<ReportModel, "sections"> & { sections: Anchored[] };

function normalise(model: ReportModel): CleanModel {
  if (!model || !Array.isArray(model.sections))
    throw new TypeError("invalid report model: no sections");
  const lang: Lang = model.lang === "en" ? "en" : "zh";
  const used = new Set<string>();
  const sections = model.sections.map((s, i) => {
    let anchor = `s-${String(s.id ?? "").replace(/[^A-Za-z0-9_-]/g, "") || i}`;
    while (used.has(anchor)) anchor += `-${i}`;
    used.add(anchor);
    return { ...s, anchor, items: Array.isArray(s.items) ? s.items : [] };
  });
  return { ...model, lang, currency: model.currency ?? "", sections };
}

async function drawFigures(model: CleanModel): Promise<Map<ReportItem, string>> {
  const out = new Map<ReportItem, string>();
  const jobs: Promise<void>[] = [];
  let n = 0;
  for (const section of model.sections) {
    for (const item of section.items) {
      if (item.kind !== "figure") continue;
      const idPrefix = `f${n++}-`;
      jobs.push(
        (async () => {
          try {
            const chart = await compileSpec(item.spec, { idPrefix });
            out.set(item, chart.svg);
          } catch (e) {
            const reason = e instanceof Error ? e.message : String(e);
            out.set(
              item,
              `<p class="figure-error">${esc(t(model.lang, { key: "report.figureFailed", params: { reason } }))}</p>`,
            );
          }
        })(),
      );
    }
  }
  await Promise.all(jobs);
  return out;
}

function page(model: CleanModel, figures: Map<ReportItem, string>): string {
  const { lang } = model;
  const ctx: Ctx = { lang, currency: model.currency, figures };
  const toc = model.sections
    .map((s) => `<li><a href="#${s.anchor}">${esc(s.title)}</a></li>`)
    .join("");
  const body = model.sections.map((s) => section(s, ctx)).join("\n");
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="crm analyze">
<title>${esc(model.title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">${esc(t(lang, "report.skipToContent"))}</a>
<header class="masthead" id="top">
<h1>${esc(model.title)}</h1>
${model.subtitle ? `<p class="subtitle">${esc(model.subtitle)}</p>` : ""}
</header>
<div class="layout">
<nav class="toc" aria-labelledby="toc-h">
<h2 id="toc-h">${esc(t(lang, "report.contents"))}</h2>
<ol>${toc}</ol>
</nav>
<main id="main">
${body}
</main>
</div>
<footer class="footer"><p>${esc(t(lang, "report.footer"))}</p></footer>
</body>
</html>
`;
}

function section(s: Anchored, ctx: Ctx): string {
  const items = s.items.map((it) => item(it, ctx)).join("\n");
  return `<section id="${s.anchor}" aria-labelledby="${s.anchor}-h">
<h2 id="${s.anchor}-h">${esc(s.title)}</h2>
${items}
<p class="top"><a href="#top">${esc(t(ctx.lang, "report.backToTop"))} ↑</a></p>
</section>`;
}

function item(it: ReportItem, ctx: Ctx): string {
  switch (it.kind) {
    case "kpis":
      return kpis(it.items);
    case "text":
      return text(it.text);
    case "figure":
      return figure(it, ctx);
    case "table":
      return table(it, ctx);
    default:
      return "";
  }
}

/**
 * The width of a text in columns, a Chinese character counting two: a KPI value wider than 9
 * would break mid-number at the large size ("¥13,528,67" / "4", "2026年11月15" / "日").
 */
function columns(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return w;
}

/**
 * A KPI value's size: a figure in large type; one wider than nine columns (a Chinese character
 * counting two) smaller, so it is not broken mid-number; text wider than 24 columns (the fitted
 * model's parameters) as small plain text, not six lines of large bold type.
 */
function kpiSize(value: string): string {
  const w = columns(value);
  return w > 24 ? " long text-value" : w > 9 ? " long" : "";
}

function kpis(items: { label: string; value: string; note?: string }[]): string {
  const cards = items
    .map(
      (k) =>
        `<div class="kpi"><dt>${esc(k.label)}</dt><dd class="kpi-value${kpiSize(k.value)}">${esc(k.value)}</dd>${
          k.note ? `<dd class="kpi-note">${esc(k.note)}</dd>` : ""
        }</div>`,
    )
    .join("");
  return `<dl class="kpis">${cards}</dl>`;
}

function text(s: string): string {
  return String(s ?? "")
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== "")
    .map((p) => `<p class="text">${esc(p.trim()).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

function figure(it: Extract<ReportItem, { kind: "figure" }>, ctx: Ctx): string {
  const svg = ctx.figures.get(it) ?? "";
  const label = esc(t(ctx.lang, { key: "report.figureAlt", params: { title: it.title } }));
  return `<figure class="figure">
<h3>${esc(it.title)}</h3>
<div class="chart" role="img" aria-label="${label}">${svg}</div>
${it.caption ? `<figcaption>${esc(it.caption)}</figcaption>` : ""}
</figure>`;
}

function table(it: Extract<ReportItem, { kind: "table" }>, ctx: Ctx): string {
  const cols = it.columns ?? [];
  const rows = it.rows ?? [];
  const total = Math.max(it.total ?? rows.length, rows.length);
  const limit = it.limit !== undefined && it.limit >= 0 ? Math.floor(it.limit) : rows.length;
  const shown = rows.slice(0, limit);
  // A text column whose longest cell is short stays on one line; a long one (names, reasons) may
  // wrap, so that a row takes one or two lines instead of a narrow column of ten.
  const long = cols.map(
    (c, j) =>
      c.format === "text" &&
      shown.some((r) => typeof r[j] === "string" && columns(r[j] as string) >= LONG_TEXT),
  );
  const cls = (f: CellFormat, j: number) =>
    NUMERIC.has(f)
      ? ' class="num"'
      : f === "date"
        ? ' class="date"'
        : long[j]
          ? ' class="text long"'
          : ' class="text"';
  // The wrapping columns share what the one-line columns leave in proportion to their average
  // length (a reason gets more room than a name): a width hint in %, which the browser may
  // shrink down to the longest word, so the table never has to scroll on a laptop screen.
  const chars = cols.map((_, j) => {
    if (!long[j] || shown.length === 0) return 0;
    let sum = 0;
    for (const r of shown) sum += typeof r[j] === "string" ? columns(r[j] as string) : 0;
    return sum / shown.length;
  });
  const allLong = chars.reduce((a, b) => a + b, 0);
  // One-line columns take just their content (width 1%) when any column wraps.
  const width = (j: number) =>
    allLong === 0
      ? ""
      : ` style="width:${chars[j] > 0 ? Math.max(1, Math.round((90 * chars[j]) / allLong)) : 1}%"`;
  const head = cols
    .map((c, j) => `<th scope="col"${cls(c.format, j)}${width(j)}>${esc(c.header)}</th>`)
    .join("");
  const body = shown
    .map(
      (r) =>
        `<tr>${cols
          .map(
            (c, j) =>
              `<td${cls(c.format, j)}>${cellHtml(formatCell(r[j] ?? null, c.format, ctx.lang, ctx.currency), long[j])}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("\n");
  const note =
    total === 0
      ? t(ctx.lang, "report.noRows")
      : shown.length < total
        ? t(ctx.lang, {
            key: "report.rowsShown",
            params: { shown: shown.length, total },
          })
        : t(ctx.lang, { key: "report.rowsAll", params: { total } });
  return `<div class="table-block">
<h3>${esc(it.title)}</h3>
<div class="table-scroll"><table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>
<p class="table-note${shown.length < total ? " cut" : ""}">${esc(note)}</p>
</div>`;
}

/**
 * A cell's text; in a wrapping column an ISO date and a time window are kept on one line (not
 * "2026-08-" / "23", "10:30–" / "11:30").
 */
const cellHtml = (text: string, wraps: boolean): string =>
  wraps
    ? esc(text).replace(
        /\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}–\d{1,2}:\d{2}/g,
        (d) => `<span class="nw">${d}</span>`,
      )
    : esc(text);

/**
 * Display columns (a Chinese character counts two) above which a text column may wrap (a name,
 * a reason); below, it stays on one line.
 */
const LONG_TEXT = 20;

// ---------------------------------------------------------------------------------------------

const CSS = `
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --paper: #ffffff; --wash: #f5f7fa;
  --accent: #2f6fb0; --accent-soft: #e8f0fa;
  /* the page's width: a laptop's whole screen, and more of a wide one for the long tables */
  --page: 1280px;
  --font: -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
    "Helvetica Neue", Arial, sans-serif;
}
/* English: Latin fonts before the Chinese ones, whose quotes and dashes are full-width */
html[lang="en"] {
  --font: -apple-system, BlinkMacSystemFont, "Segoe UI", "Helvetica Neue", Arial, "Noto Sans",
    "Liberation Sans", "DejaVu Sans", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
    "Noto Sans SC", "Source Han Sans SC", sans-serif;
}
@media (min-width: 1500px) { :root { --page: 1760px; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--wash); color: var(--ink); font: 15px/1.6 var(--font); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .5rem 1rem; z-index: 1; }
.masthead { background: var(--paper); border-bottom: 1px solid var(--line); padding: 2rem 1.5rem 1.5rem; }
.masthead h1 { margin: 0 auto; max-width: var(--page); font-size: 1.75rem; line-height: 1.3; font-weight: 650; letter-spacing: -.01em; }
.subtitle { margin: .35rem auto 0; max-width: var(--page); color: var(--muted); }
.layout { max-width: var(--page); margin: 0 auto; padding: 1.5rem; display: grid; gap: 1.5rem; grid-template-columns: 1fr; }
@media (min-width: 1000px) { .layout { grid-template-columns: 200px minmax(0, 1fr); } .toc { position: sticky; top: 1rem; align-self: start; } }
.toc { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.1rem; }
.toc h2 { margin: 0 0 .5rem; font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.toc ol { margin: 0; padding-left: 1.2rem; }
.toc li { margin: .2rem 0; }
main { min-width: 0; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem 1.5rem 1rem; margin-bottom: 1.5rem; }
section > h2 { margin: 0 0 1rem; font-size: 1.3rem; line-height: 1.35; font-weight: 650; }
h3 { margin: 1.25rem 0 .5rem; font-size: 1rem; font-weight: 600; }
.text { margin: .5rem 0 1rem; max-width: 48em; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: .75rem; margin: 0 0 1rem; }
.kpi { background: var(--accent-soft); border-radius: 8px; padding: .8rem 1rem; margin: 0; break-inside: avoid; }
.kpi dt { font-size: .82rem; color: var(--muted); }
.kpi dd { margin: 0; }
.kpi-value { font-size: 1.45rem; font-weight: 650; line-height: 1.3; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
/* Long values (model parameters, large sums) in a smaller size rather than broken mid-number. */
.kpi-value.long { font-size: 1rem; font-weight: 600; overflow-wrap: normal; }
.kpi-value.text-value { font-size: .85rem; font-weight: 400; line-height: 1.45; }
.kpi-note { font-size: .78rem; color: var(--muted); }
.figure { margin: 0 0 1.25rem; break-inside: avoid; }
.chart { overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .35rem; }
.figure-error { color: #9b1c1c; background: #fdecea; padding: .5rem .75rem; border-radius: 6px; }
.table-scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { padding: .4rem .55rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--wash); font-weight: 600; white-space: nowrap; }
th.num { white-space: normal; word-break: keep-all; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
/* Short text stays on one line; long text (names, reasons) wraps within a readable width. */
td.text { white-space: nowrap; }
td.text.long { white-space: normal; max-width: 30em; }
.nw { white-space: nowrap; }
.table-note { font-size: .82rem; color: var(--muted); margin: .35rem 0 1rem; }
.table-note.cut { color: #8a5a00; }
.top { text-align: right; font-size: .8rem; margin: .25rem 0 0; }
.footer { max-width: var(--page); margin: 0 auto; padding: 0 1.5rem 2rem; font-size: .8rem; color: var(--muted); }
@media (max-width: 600px) {
  body { font-size: 14px; }
  .masthead { padding: 1.25rem 1rem 1rem; }
  .layout { padding: 1rem .75rem; }
  section { padding: 1rem; }
}
@media print {
  @page { margin: 15mm; }
  body { background: #fff; font-size: 10.5pt; }
  .masthead { border: 0; padding: 0 0 .5rem; }
  .layout { display: block; padding: 0; max-width: none; }
  .toc { border: 0; padding: 0; margin-bottom: 1rem; }
  section { border: 0; border-top: 1px solid var(--line); border-radius: 0; padding: .75rem 0; break-before: auto; }
  .top, .skip { display: none; }
  .table-scroll { overflow: visible; border: 0; }
  thead { display: table-header-group; }
  tr, .kpi, .figure { break-inside: avoid; }
  a { color: inherit; }
  .chart svg { max-width: 100%; }
}
`;
