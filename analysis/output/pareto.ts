/** The 帕累托 Pareto sheet and report section: figures, top customers, chart, whale curve. */
import type { Lang } from "../types.js";
import type { Analysis } from "../pipeline.js";
import { t } from "../messages/index.js";
import { formatNumber, formatPct } from "../messages/index.js";
import { concentrationCurve, paretoBars, paretoChart, whaleChart } from "../charts/pareto.js";
import type { ReportSection, Kpi } from "../report-model.js";
import type { CellFormat, OutColumn, OutValue, SheetModel } from "../workbook.js";
import { OWNED_SHEETS } from "../workbook.js";
import { SheetLayout, curvePoints } from "./layout.js";

function customerLabel(a: Analysis, index: number): string {
  const name = a.customers[index].name;
  return name ? name : a.customers[index].id;
}

/** "ABC 80% / 95% · value: profit" — the cut-offs in force, said on every chart. */
export function cutoffNote(a: Analysis, lang: Lang): string {
  const { basis, a: ca, b: cb } = a.settings.abc;
  return t(lang, {
    key: basis === "value" ? "grade.cutoffs.value" : "grade.cutoffs.count",
    params: { a: formatPct(ca, lang), b: formatPct(cb, lang), basis: t(lang, `value.${a.basis}`) },
  });
}

export function paretoKpis(a: Analysis, lang: Lang): Kpi[] {
  const p = a.pareto;
  const ctx = { currency: a.settings.currency };
  const kpis: Kpi[] = [
    { label: t(lang, "pareto.kpi.top20"), value: formatPct(p.top20Share, lang) },
    {
      label: t(lang, "pareto.kpi.for80"),
      value: formatPct(p.customersFor80, lang),
      note: t(lang, { key: "pareto.kpi.for80.note", params: { n: p.countFor80, of: p.customers } }),
    },
    { label: t(lang, "pareto.kpi.gini"), value: p.gini.toFixed(3) },
    {
      label: t(lang, "pareto.kpi.total"),
      value: t(lang, { key: "money", params: { x: p.total } }, ctx),
    },
  ];
  if (p.whalePeak && p.lossMakers.length === 0) {
    // A peak of 100% reached by 100% of customers says nothing: say what it means.
    kpis.push({
      label: t(lang, "pareto.kpi.lossMakers"),
      value: formatNumber(0, lang, 0),
      note: t(lang, "pareto.kpi.noLoss.note"),
    });
  } else if (p.whalePeak) {
    kpis.push({
      label: t(lang, "pareto.kpi.whale"),
      value: formatPct(p.whalePeak.share, lang),
      note: t(lang, {
        key: "pareto.kpi.whale.note",
        params: { share: formatPct(p.whalePeak.customerShare, lang) },
      }),
    });
  }
  return kpis;
}

/**
 * The figures of paretoKpis as values for the sheet: numbers with their own number format (so
 * formulas can use them, issue 18 §9), the note beside them.
 */
function paretoFigures(
  a: Analysis,
  lang: Lang,
): { label: string; value: OutValue; format: CellFormat; note: string | null }[] {
  const p = a.pareto;
  const rows: { label: string; value: OutValue; format: CellFormat; note: string | null }[] = [
    { label: t(lang, "pareto.kpi.top20"), value: p.top20Share, format: "pct", note: null },
    {
      label: t(lang, "pareto.kpi.for80"),
      value: p.customersFor80,
      format: "pct",
      note: t(lang, { key: "pareto.kpi.for80.note", params: { n: p.countFor80, of: p.customers } }),
    },
    { label: t(lang, "pareto.kpi.gini"), value: p.gini, format: "ratio", note: null },
    { label: t(lang, "pareto.kpi.total"), value: p.total, format: "money", note: null },
  ];
  if (p.whalePeak && p.lossMakers.length === 0) {
    rows.push({
      label: t(lang, "pareto.kpi.lossMakers"),
      value: 0,
      format: "int",
      note: t(lang, "pareto.kpi.noLoss.note"),
    });
  } else if (p.whalePeak) {
    rows.push({
      label: t(lang, "pareto.kpi.whale"),
      value: p.whalePeak.share,
      format: "pct",
      note: t(lang, {
        key: "pareto.kpi.whale.note",
        params: { share: formatPct(p.whalePeak.customerShare, lang) },
      }),
    });
  }
  rows.push(
    // text: in the note column, so the value column stays narrow and numeric
    {
      label: t(lang, "pareto.kpi.cutoffs"),
      value: null,
      format: "text",
      note: cutoffNote(a, lang),
    },
    { label: t(lang, "pareto.kpi.excluded"), value: p.nonPositive, format: "int", note: null },
  );
  return rows;
}

function topColumns(lang: Lang): OutColumn[] {
  const h = (k: string) => t(lang, k);
  return [
    { header: "#", format: "int" },
    { header: h("col.customer_id"), format: "text" },
    { header: h("col.name"), format: "text" },
    { header: h("pareto.axis.value"), format: "money" },
    { header: h("pareto.axis.cumShare"), format: "pct" },
    { header: h("col.grade"), format: "text" },
  ];
}

function topRows(a: Analysis, n: number): OutValue[][] {
  const { index, value, cumShare } = a.pareto.curve;
  return Array.from({ length: Math.min(n, index.length) }, (_, i) => {
    const c = a.customers[index[i]];
    return [i + 1, c.id, c.name, value[i], cumShare[i], c.grade];
  });
}

export function paretoSheet(a: Analysis, lang: Lang): SheetModel {
  const h = (k: string) => t(lang, k);
  const p = a.pareto;
  const bars = paretoBars(p, (i) => customerLabel(a, i), lang);
  const figures0 = paretoFigures(a, lang);
  const layout = new SheetLayout();
  // each section's chart beside its block (layout.ts); the Pareto chart beside the figures
  layout.section(
    {
      id: "figures",
      title: h("pareto.section"),
      columns: [
        { header: h("pareto.col.figure"), format: "text" },
        {
          header: h("pareto.col.value"),
          format: "number",
          rowFormats: figures0.map((f) => f.format),
        },
        { header: h("pareto.col.note"), format: "text" },
      ],
      rows: figures0.map((f) => [f.label, f.value, f.note]),
    },
    bars.length === 0
      ? []
      : [
          {
            id: "pareto",
            kind: "pareto",
            title: `${h("pareto.chart.title")} (${cutoffNote(a, lang)})`,
            block: "bars",
            category: 0,
            values: [1],
            line: 2,
            reference: a.settings.abc.a,
            size: { rows: 20, cols: 10 },
            vegaLite: paretoChart(bars, lang, a.settings.abc.a, cutoffNote(a, lang)),
          },
        ],
  );
  layout.section({
    id: "top",
    title: h("pareto.top.title"),
    columns: topColumns(lang),
    rows: topRows(a, 10),
  });
  layout.section({
    id: "bars",
    title: h("pareto.chart.title"),
    columns: [
      { header: h("pareto.col.customer"), format: "text" },
      { header: h("pareto.axis.value"), format: "money" },
      { header: h("pareto.axis.cumShare"), format: "pct" },
      { header: h("pareto.col.reference"), format: "pct" },
    ],
    rows: bars.map((b) => [b.label, b.value, b.cumShare, a.settings.abc.a]),
  });
  if (bars.length) {
    // the report's concentration and whale curves, with their points (issue 18 §6)
    const curve = concentrationCurve(p, lang);
    layout.section(
      {
        id: "curve",
        title: h("pareto.curve.title"),
        columns: [
          { header: h("pareto.axis.customerShare"), format: "pct" },
          { header: h("pareto.axis.cumShare"), format: "pct" },
        ],
        rows: curvePoints(curve).map((q) => [q.x, q.y]),
      },
      [
        {
          id: "curve",
          kind: "line",
          title: h("pareto.curve.title"),
          block: "curve",
          category: 0,
          values: [1],
          size: { rows: 16, cols: 7 },
          vegaLite: curve,
        },
      ],
    );
  }
  const whale = whaleChart(p, lang);
  if (whale) {
    layout.section(
      {
        id: "whale",
        title: h("pareto.whale.title"),
        columns: [
          { header: h("pareto.axis.customerShare"), format: "pct" },
          { header: h("pareto.axis.cumProfit"), format: "pct" },
        ],
        rows: curvePoints(whale).map((q) => [q.x, q.y]),
      },
      [
        {
          id: "whale",
          kind: "line",
          title: h("pareto.whale.title"),
          block: "whale",
          category: 0,
          values: [1],
          size: { rows: 16, cols: 7 },
          vegaLite: whale,
        },
      ],
    );
  }
  if (p.lossMakers.length) {
    layout.section({
      id: "loss",
      title: h("pareto.loss.title"),
      columns: [
        { header: h("col.customer_id"), format: "text" },
        { header: h("col.name"), format: "text" },
        { header: h("col.profit"), format: "money" },
        { header: h("col.monetary"), format: "money" },
      ],
      rows: p.lossMakers.map((i) => {
        const c = a.customers[i];
        return [c.id, c.name, c.profit, c.monetary];
      }),
    });
  }
  return {
    key: "pareto",
    name: OWNED_SHEETS.pareto[lang],
    blocks: layout.blocks,
    charts: layout.charts,
    freezeRows: 0,
  };
}

export function paretoSection(a: Analysis, lang: Lang): ReportSection {
  const h = (k: string) => t(lang, k);
  const p = a.pareto;
  const bars = paretoBars(p, (i) => customerLabel(a, i), lang);
  const items: ReportSection["items"] = [
    { kind: "kpis", items: paretoKpis(a, lang) },
    {
      kind: "text",
      text: t(lang, {
        key: "pareto.intro",
        params: {
          top: p.top20Share,
          for80: p.customersFor80,
          gini: p.gini.toFixed(3),
          n: p.nonPositive,
        },
      }),
    },
    // no customer of positive value: nothing to rank (and vega cannot draw an empty ranking)
    ...(bars.length === 0
      ? [{ kind: "text" as const, text: h("pareto.noPositive") }]
      : [
          {
            kind: "figure" as const,
            title: h("pareto.chart.title"),
            spec: paretoChart(bars, lang, a.settings.abc.a, cutoffNote(a, lang)),
            caption: cutoffNote(a, lang),
          },
          {
            kind: "figure" as const,
            title: h("pareto.curve.title"),
            spec: concentrationCurve(p, lang),
          },
        ]),
    {
      kind: "table",
      title: h("pareto.top.title"),
      columns: topColumns(lang),
      rows: topRows(a, 10),
    },
  ];
  const whale = whaleChart(p, lang);
  if (whale) {
    items.push({ kind: "figure", title: h("pareto.whale.title"), spec: whale });
    items.push({
      kind: "table",
      title: h("pareto.loss.title"),
      columns: [
        { header: h("col.customer_id"), format: "text" },
        { header: h("col.name"), format: "text" },
        { header: h("col.profit"), format: "money" },
        { header: h("col.monetary"), format: "money" },
      ],
      rows: p.lossMakers.map((i) => [
        a.customers[i].id,
        a.customers[i].name,
        a.customers[i].profit,
        a.customers[i].monetary,
      ]),
      limit: 30,
    });
  }
  return { id: "pareto", title: h("pareto.section"), items };
}
