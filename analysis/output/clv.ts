/**
 * The 终身价值 CLV sheet and report section: status and parameters, summary figures, the formula
 * in words, top customers by CLV, P(alive) distribution, frequency × recency matrix, value matrix,
 * and — when the data run past the as-of date — the holdout check and tracking curve.
 *
 * Decisions: native Excel charts exist only for column and line charts, so the heat maps live on
 * the sheet as colour-scaled tables and as vega-lite figures in the report. When the model did not
 * run or converge, the sheet and section say why and show no numbers from it.
 */
import type { Dataset, Lang } from "../types.js";
import type { ClvResult } from "../clv.js";
import { CLV_STATUS } from "../clv.js";
import { t, formatDay, formatMoney, formatNumber, formatPct } from "../messages/index.js";
import type { Kpi, ReportSection } from "../report-model.js";
import type { ChartModel, OutValue, SheetBlock, SheetModel } from "../workbook.js";
import { OWNED_SHEETS } from "../workbook.js";
import { WIDE_BLOCK } from "./layout.js";
import {
  binLabel,
  frMatrixChart,
  holdoutChart,
  pAliveChart,
  quadrantLabel,
  trackingChart,
  valueMatrixChart,
} from "../charts/clv.js";

/** Customers listed on the sheet and in the report. */
const SHEET_TOP = 50;
const REPORT_TOP = 20;

/** Four significant digits, no trailing zeros: 0.2426, 4.414, 15.44. */
const sig = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : "");

/** Customer indices with a CLV, highest first (ties by index, so the order is stable). */
export function topByClv(r: ClvResult, n: number): number[] {
  const idx: number[] = [];
  for (let c = 0; c < r.clv.length; c++) if (Number.isFinite(r.clv[c])) idx.push(c);
  idx.sort((a, b) => r.clv[b] - r.clv[a] || a - b);
  return idx.slice(0, n);
}

function statusText(r: ClvResult, lang: Lang): string {
  const label = CLV_STATUS[r.status][lang];
  return r.message ? `${label}: ${t(lang, r.message)}` : label;
}

function bgnbdText(r: ClvResult, lang: Lang): string {
  const p = r.parameters.bgnbd;
  if (!p) return "";
  return t(lang, {
    key: "clv.params.bgnbd",
    params: { r: sig(p.r), alpha: sig(p.alpha), a: sig(p.a), b: sig(p.b), ll: p.ll.toFixed(2) },
  });
}

function ggText(r: ClvResult, lang: Lang): string {
  const p = r.parameters.gamma_gamma;
  return p
    ? t(lang, { key: "clv.params.gg", params: { p: sig(p.p), q: sig(p.q), v: sig(p.v) } })
    : "";
}

function marginText(r: ClvResult, lang: Lang): string {
  return r.margin.source === "cost"
    ? t(lang, { key: "clv.margin.cost", params: { overall: r.margin.overall } })
    : t(lang, { key: "clv.margin.setting", params: { margin: r.margin.overall } });
}

function formulaText(r: ClvResult, lang: Lang): string {
  return t(lang, {
    key: "clv.formula",
    params: { months: r.horizonMonths, rate: r.monthlyDiscount },
  });
}

/** Label / value rows shared by the sheet's summary block. */
function summaryRows(r: ClvResult, lang: Lang, currency: string): OutValue[][] {
  const h = (k: string) => t(lang, k);
  const rows: OutValue[][] = [
    [h("clv.row.status"), statusText(r, lang)],
    [h("clv.row.asOf"), formatDay(r.asOf, lang)],
    [
      h("clv.row.horizon"),
      t(lang, { key: "clv.row.horizon.value", params: { months: r.horizonMonths } }),
    ],
    [h("clv.row.discount"), formatPct(r.monthlyDiscount, lang)],
    [
      h("clv.row.margin"),
      r.margin.source === "cost"
        ? t(lang, { key: "clv.row.margin.cost", params: { overall: r.margin.overall } })
        : t(lang, { key: "clv.row.margin.setting", params: { margin: r.margin.overall } }),
    ],
  ];
  if (r.fit.bgnbd) {
    rows.push([
      h("clv.row.fitted"),
      `${r.fit.bgnbd.customers} / ${r.fit.gammaGamma?.customers ?? "—"}`,
    ]);
  }
  if (r.status === "ok") {
    rows.push(
      [h("clv.kpi.customers"), formatNumber(r.totals.customers, lang, 0)],
      [h("clv.kpi.meanPAlive"), formatPct(r.totals.meanPAlive, lang)],
      [
        t(lang, { key: "clv.kpi.totalClv", params: { months: r.horizonMonths } }),
        formatMoney(r.totals.totalClv, lang, currency),
      ],
      [h("clv.kpi.expected52w"), formatNumber(r.totals.expected52w, lang, 0)],
    );
  }
  return rows;
}

interface Cursor {
  row: number;
}

function place(cursor: Cursor, block: Omit<SheetBlock, "anchor">): SheetBlock {
  const b: SheetBlock = { ...block, anchor: { row: cursor.row, col: 0 } };
  cursor.row += (b.title ? 1 : 0) + 1 + b.rows.length + 2;
  return b;
}

/** The 终身价值 CLV sheet. */
export function clvSheet(r: ClvResult, ds: Dataset, lang: Lang, currency = "¥"): SheetModel {
  const h = (k: string) => t(lang, k);
  const cursor: Cursor = { row: 0 };
  const blocks: SheetBlock[] = [];
  const charts: ChartModel[] = [];
  // each chart right beside the block placed last (not in one column right of the widest
  // table: the charts began beyond 2,000 px, issue 18 §8); the next block goes below it
  let beside = { block: "", row: 0 };
  const addChart = (c: Omit<ChartModel, "anchor" | "size">) => {
    const b = blocks[blocks.length - 1];
    // beside a narrow block; below a wide one (the frequency × recency matrix)
    const below = b.columns.length > WIDE_BLOCK;
    if (beside.block !== b.id) beside = { block: b.id, row: below ? cursor.row : b.anchor.row };
    const size = { rows: 18, cols: 9 };
    const col = below ? 0 : b.columns.length + 1;
    charts.push({ ...c, anchor: { row: beside.row, col }, size });
    beside.row += size.rows + 1;
    cursor.row = Math.max(cursor.row, beside.row + 1);
  };

  blocks.push(
    place(cursor, {
      id: "summary",
      title: h("clv.block.summary"),
      columns: [
        { header: h("clv.col.item"), format: "text" },
        { header: h("clv.col.value"), format: "text" },
      ],
      rows: summaryRows(r, lang, currency),
    }),
  );
  const paramRows: OutValue[][] = [];
  const b = r.parameters.bgnbd;
  if (b)
    paramRows.push(
      ["BG/NBD r", b.r],
      ["BG/NBD α", b.alpha],
      ["BG/NBD a", b.a],
      ["BG/NBD b", b.b],
      ["BG/NBD LL", b.ll],
    );
  const g = r.parameters.gamma_gamma;
  if (g) paramRows.push(["Gamma-Gamma p", g.p], ["Gamma-Gamma q", g.q], ["Gamma-Gamma γ", g.v]);
  if (paramRows.length) {
    blocks.push(
      place(cursor, {
        id: "parameters",
        title: h("clv.block.parameters"),
        columns: [
          { header: h("clv.col.parameter"), format: "text" },
          { header: h("clv.col.value"), format: "number" },
        ],
        rows: paramRows.map(([k, v]) => [k, typeof v === "number" ? Number(v.toPrecision(6)) : v]),
      }),
    );
  }
  if (r.status !== "ok") {
    return { key: "clv", name: OWNED_SHEETS.clv[lang], blocks, charts, freezeRows: 0 };
  }

  const top = topByClv(r, SHEET_TOP);
  blocks.push(
    place(cursor, {
      id: "top",
      title: h("clv.block.top"),
      columns: [
        { header: "#", format: "int" },
        { header: h("clv.col.customer"), format: "text" },
        { header: h("clv.col.name"), format: "text" },
        { header: h("clv.col.x"), format: "int" },
        { header: h("clv.col.tx"), format: "number" },
        { header: h("clv.col.T"), format: "number" },
        { header: h("clv.col.pAlive"), format: "pct" },
        { header: h("clv.col.expected52w"), format: "number" },
        { header: h("clv.col.expectedSpend"), format: "money" },
        { header: h("clv.col.clv"), format: "money" },
        { header: h("clv.col.revenue"), format: "money" },
      ],
      rows: top.map((c, i) => [
        i + 1,
        ds.customerIds[c],
        ds.records[c]?.name ?? "",
        r.summary.x[c],
        round(r.summary.tx[c], 2),
        round(r.summary.T[c], 2),
        round(r.pAlive[c], 4),
        round(r.expected52w[c], 3),
        round(r.expectedSpend[c], 2),
        round(r.clv[c], 2),
        round(r.summary.revenue[c], 2),
      ]),
    }),
  );

  const pAliveBlock = place(cursor, {
    id: "pAlive",
    title: h("clv.block.pAlive"),
    columns: [
      { header: h("clv.col.bin"), format: "text" },
      { header: h("clv.col.customers"), format: "int" },
    ],
    rows: r.pAliveBins.map((bin) => [binLabel(bin), bin.customers]),
  });
  blocks.push(pAliveBlock);
  addChart({
    id: "pAlive",
    kind: "column",
    title: h("clv.chart.pAlive.title"),
    block: "pAlive",
    category: 0,
    values: [1],
    vegaLite: pAliveChart(r.pAliveBins, lang),
  });

  if (r.valueMatrix) {
    blocks.push(
      place(cursor, {
        id: "value",
        title: `${h("clv.block.value")} (${h("clv.chart.value.split")})`,
        columns: [
          { header: h("clv.col.quadrant"), format: "text" },
          { header: h("clv.col.current"), format: "text" },
          { header: h("clv.col.future"), format: "text" },
          { header: h("clv.col.customers"), format: "int" },
          { header: h("clv.col.revenue"), format: "money" },
          { header: h("clv.col.clv"), format: "money" },
        ],
        rows: r.valueMatrix.map((c) => [
          quadrantLabel(c, lang),
          h(`clv.chart.value.${c.current}`),
          h(`clv.chart.value.${c.future}`),
          c.customers,
          round(c.currentValue, 2),
          round(c.predictedValue, 2),
        ]),
      }),
    );
  }

  if (r.valueMatrix)
    addChart({
      id: "value",
      kind: "bar",
      title: h("clv.chart.value.title"),
      block: "value",
      category: 0,
      values: [3],
      vegaLite: valueMatrixChart(r.valueMatrix, lang, currency),
    });

  if (r.matrix) {
    blocks.push(place(cursor, frBlock(r, lang)));
    // heat maps: pictures beside the colour-scaled table (Excel has no heat-map chart)
    addChart({
      id: "fr-expected",
      kind: "column",
      title: t(lang, {
        key: "clv.chart.frExpected.title",
        params: { weeks: r.matrix.horizonWeeks },
      }),
      block: "fr",
      category: 0,
      values: [1],
      picture: true,
      vegaLite: frMatrixChart(r.matrix, lang, "expected"),
    });
    addChart({
      id: "fr-alive",
      kind: "column",
      title: h("clv.chart.frAlive.title"),
      block: "fr",
      category: 0,
      values: [1],
      picture: true,
      vegaLite: frMatrixChart(r.matrix, lang, "pAlive"),
    });
  }

  if (r.holdout) {
    const ho = r.holdout;
    blocks.push(
      place(cursor, {
        id: "holdout",
        title: t(lang, { key: "clv.block.holdout", params: { from: ho.from, to: ho.to } }),
        columns: [
          { header: h("clv.col.x"), format: "text" },
          { header: h("clv.col.customers"), format: "int" },
          { header: h("clv.col.actual"), format: "number" },
          { header: h("clv.col.predicted"), format: "number" },
        ],
        rows: ho.byFrequency.map((gr) => [
          gr.label,
          gr.customers,
          round(gr.actual, 3),
          round(gr.predicted, 3),
        ]),
      }),
    );
    addChart({
      id: "holdout",
      kind: "column",
      title: h("clv.chart.holdout.title"),
      block: "holdout",
      category: 0,
      values: [2, 3],
      vegaLite: holdoutChart(ho, lang),
    });
    blocks.push(
      place(cursor, {
        id: "tracking",
        title: h("clv.block.tracking"),
        columns: [
          { header: h("clv.col.week"), format: "int" },
          { header: h("clv.col.weekEnd"), format: "date" },
          { header: h("clv.col.actualCum"), format: "int" },
          { header: h("clv.col.modelCum"), format: "number" },
        ],
        rows: ho.tracking.map((p) => [p.week, p.day, p.actual, round(p.predicted, 1)]),
      }),
    );
    addChart({
      id: "tracking",
      kind: "line",
      title: h("clv.chart.tracking.title"),
      block: "tracking",
      category: 0,
      values: [2, 3],
      vegaLite: trackingChart(ho, lang),
    });
  }
  return { key: "clv", name: OWNED_SHEETS.clv[lang], blocks, charts, freezeRows: 0 };
}

/** The frequency × recency matrix of expected purchases as a colour-scaled table. */
function frBlock(r: ClvResult, lang: Lang): Omit<SheetBlock, "anchor"> {
  const m = r.matrix!;
  const txs = [...new Set(m.cells.filter((c) => c.x > 0).map((c) => c.tx))].sort((a, b) => a - b);
  const xs = [...new Set(m.cells.map((c) => c.x))].sort((a, b) => b - a);
  const value = new Map(m.cells.map((c) => [`${c.x}:${c.tx}`, c.expected]));
  return {
    id: "fr",
    title: t(lang, "clv.block.fr"),
    columns: [
      { header: "x \\ t_x", format: "int" },
      ...txs.map((tx) => ({ header: String(Math.round(tx * 10) / 10), format: "number" as const })),
    ],
    rows: xs.map((x) => [
      x,
      ...txs.map((tx, k) => {
        const v = x === 0 ? (k === 0 ? value.get("0:0") : undefined) : value.get(`${x}:${tx}`);
        return v === undefined ? null : round(v, 2);
      }),
    ]),
    colourScale: true,
  };
}

const round = (x: number, digits: number): number | null => {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** The report section: KPIs, the formula in words, figures and the top-20 table. */
export function clvSection(
  r: ClvResult,
  lang: Lang,
  currency = "¥",
  names: (c: number) => string = () => "",
): ReportSection {
  const h = (k: string) => t(lang, k);
  const items: ReportSection["items"] = [{ kind: "kpis", items: clvKpis(r, lang, currency) }];
  if (r.status !== "ok") {
    if (r.message) items.push({ kind: "text", text: t(lang, r.message) });
    return { id: "clv", title: h("clv.section"), items };
  }
  items.push(
    { kind: "text", text: formulaText(r, lang) },
    { kind: "text", text: marginText(r, lang) },
    { kind: "text", text: h("clv.pAlive.explain") },
    { kind: "figure", title: h("clv.chart.pAlive.title"), spec: pAliveChart(r.pAliveBins, lang) },
  );
  if (r.matrix) {
    items.push(
      {
        kind: "figure",
        title: t(lang, {
          key: "clv.chart.frExpected.title",
          params: { weeks: r.matrix.horizonWeeks },
        }),
        spec: frMatrixChart(r.matrix, lang, "expected"),
      },
      {
        kind: "figure",
        title: h("clv.chart.frAlive.title"),
        spec: frMatrixChart(r.matrix, lang, "pAlive"),
      },
    );
  }
  if (r.valueMatrix) {
    items.push({
      kind: "figure",
      title: h("clv.chart.value.title"),
      spec: valueMatrixChart(r.valueMatrix, lang, currency),
    });
  }
  if (r.holdout) {
    const ho = r.holdout;
    items.push(
      {
        kind: "text",
        text: t(lang, {
          key: "clv.holdout.explain",
          params: { asOf: r.asOf, to: ho.to, weeks: sig(ho.weeks) },
        }),
      },
      { kind: "figure", title: h("clv.chart.holdout.title"), spec: holdoutChart(ho, lang) },
      { kind: "figure", title: h("clv.chart.tracking.title"), spec: trackingChart(ho, lang) },
    );
  }
  items.push({
    kind: "table",
    title: h("clv.block.top"),
    columns: [
      { header: "#", format: "int" },
      { header: h("clv.col.customer"), format: "text" },
      { header: h("clv.col.name"), format: "text" },
      { header: h("clv.col.x"), format: "int" },
      { header: h("clv.col.pAlive"), format: "pct" },
      { header: h("clv.col.expected52w"), format: "number" },
      { header: h("clv.col.expectedSpend"), format: "money" },
      { header: h("clv.col.clv"), format: "money" },
    ],
    rows: topByClv(r, REPORT_TOP).map((c, i) => [
      i + 1,
      r.customerIds[c],
      names(c),
      r.summary.x[c],
      round(r.pAlive[c], 4),
      round(r.expected52w[c], 3),
      round(r.expectedSpend[c], 2),
      round(r.clv[c], 2),
    ]),
  });
  return { id: "clv", title: h("clv.section"), items };
}

export function clvKpis(r: ClvResult, lang: Lang, currency = "¥"): Kpi[] {
  const h = (k: string) => t(lang, k);
  const kpis: Kpi[] = [{ label: h("clv.kpi.status"), value: CLV_STATUS[r.status][lang] }];
  if (r.fit.bgnbd) {
    kpis.push({
      label: h("clv.kpi.bgnbd"),
      value: bgnbdText(r, lang),
      note: t(lang, {
        key: "clv.fit.note",
        params: { customers: r.fit.bgnbd.customers, iterations: r.fit.bgnbd.iterations },
      }),
    });
  }
  if (r.fit.gammaGamma) {
    kpis.push({
      label: h("clv.kpi.gg"),
      value: ggText(r, lang),
      note: t(lang, {
        key: "clv.fit.note",
        params: { customers: r.fit.gammaGamma.customers, iterations: r.fit.gammaGamma.iterations },
      }),
    });
  }
  if (r.status !== "ok") return kpis;
  kpis.push(
    { label: h("clv.kpi.meanPAlive"), value: formatPct(r.totals.meanPAlive, lang) },
    {
      label: t(lang, { key: "clv.kpi.totalClv", params: { months: r.horizonMonths } }),
      value: formatMoney(r.totals.totalClv, lang, currency),
    },
    { label: h("clv.kpi.expected52w"), value: formatNumber(r.totals.expected52w, lang, 0) },
  );
  if (r.holdout) {
    const ho = r.holdout;
    kpis.push({
      label: h("clv.kpi.holdout"),
      value: t(lang, {
        key: "clv.kpi.holdout.value",
        params: { predicted: ho.predictedTotal, actual: ho.actualTotal },
      }),
      note: t(lang, { key: "clv.kpi.holdout.note", params: { from: ho.from, to: ho.to } }),
    });
  }
  return kpis;
}
