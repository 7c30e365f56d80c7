/** The RFM sheet and report section: score distribution, R×F heat map, segments. */
import type { Lang } from "../types.js";
import type { Analysis } from "../pipeline.js";
import { t } from "../messages/index.js";
import {
  rfHeatmap,
  scoreHistograms,
  segmentBars,
  type RfCell,
  type SegmentBar,
} from "../charts/rfm.js";
import { CUBE, CUBE_KEYS, OTHERS, segmentLabel } from "../segment.js";
import type { ReportSection } from "../report-model.js";
import type { ChartModel, OutColumn, OutValue, SheetBlock, SheetModel } from "../workbook.js";
import { OWNED_SHEETS } from "../workbook.js";
import { blockHeight } from "./layout.js";

export interface RfmTables {
  cells: RfCell[];
  cube: (SegmentBar & { key: string; action: string })[];
  named: SegmentBar[];
  histogram: { measure: string; score: number; customers: number }[];
}

/** Aggregates behind the RFM charts: every R×F cell, cube cells, named segments, score counts. */
export function rfmTables(a: Analysis, lang: Lang): RfmTables {
  const { scores, measures, segments, settings } = a;
  const count = measures.count;
  const n = new Float64Array(36);
  const sum = new Float64Array(36);
  const hist = { R: new Array(6).fill(0), F: new Array(6).fill(0), M: new Array(6).fill(0) };
  const cubeN: Record<string, number> = {};
  const cubeV: Record<string, number> = {};
  const namedN: Record<string, number> = {};
  const namedV: Record<string, number> = {};
  let total = 0;
  let revenue = 0;
  for (let c = 0; c < count; c++) {
    const r = scores.r[c];
    if (!r) continue;
    const f = scores.f[c];
    const v = measures.monetary[c];
    n[r * 6 + f]++;
    sum[r * 6 + f] += v;
    hist.R[r]++;
    hist.F[f]++;
    hist.M[scores.m[c]]++;
    const cube = segments.cube[c] as string;
    const named = segments.named[c] as string;
    cubeN[cube] = (cubeN[cube] ?? 0) + 1;
    cubeV[cube] = (cubeV[cube] ?? 0) + v;
    namedN[named] = (namedN[named] ?? 0) + 1;
    namedV[named] = (namedV[named] ?? 0) + v;
    total++;
    revenue += v;
  }
  const cells: RfCell[] = [];
  for (let r = 5; r >= 1; r--) {
    for (let f = 1; f <= 5; f++) {
      const k = r * 6 + f;
      cells.push({ r, f, customers: n[k], meanMonetary: n[k] ? sum[k] / n[k] : 0 });
    }
  }
  const share = (x: number, of: number) => (of ? x / of : 0);
  const cube = CUBE_KEYS.map((key) => ({
    key,
    segment: CUBE[key][lang],
    customers: cubeN[key] ?? 0,
    customerShare: share(cubeN[key] ?? 0, total),
    revenueShare: share(cubeV[key] ?? 0, revenue),
    action: t(lang, `cube.action.${key}`),
  }));
  const names = [...settings.segments.map((s) => s.name), OTHERS];
  const named = names.map((name) => ({
    segment: segmentLabel(name, settings.segments, lang),
    customers: namedN[name] ?? 0,
    customerShare: share(namedN[name] ?? 0, total),
    revenueShare: share(namedV[name] ?? 0, revenue),
  }));
  const histogram = (["R", "F", "M"] as const).flatMap((measure) =>
    [1, 2, 3, 4, 5].map((score) => ({ measure, score, customers: hist[measure][score] })),
  );
  return { cells, cube, named, histogram };
}

/** Segment, customers, their shares and (for the cube) what to do. */
function segmentColumns(lang: Lang): OutColumn[] {
  const h = (k: string) => t(lang, k);
  return [
    { header: h("rfm.col.segment"), format: "text" },
    { header: h("rfm.col.customers"), format: "int" },
    { header: h("rfm.share.customers"), format: "pct" },
    { header: h("rfm.share.revenue"), format: "pct" },
    { header: h("rfm.col.action"), format: "text" },
  ];
}

/** One row per cube cell, matching segmentColumns. */
function cubeRows(tables: RfmTables): OutValue[][] {
  return tables.cube.map((c) => [
    c.segment,
    c.customers,
    c.customerShare,
    c.revenueShare,
    c.action,
  ]);
}

export function rfmSheet(a: Analysis, lang: Lang, tables = rfmTables(a, lang)): SheetModel {
  const h = (k: string) => t(lang, k);
  const fCols = [1, 2, 3, 4, 5].map((f) => ({ header: `F${f}`, format: "int" as const }));
  const heatCount: SheetBlock = {
    id: "rf-count",
    title: h("rfm.heat.count"),
    anchor: { row: 0, col: 0 },
    columns: [{ header: "R \\ F", format: "text" }, ...fCols],
    rows: [5, 4, 3, 2, 1].map((r) => [
      `R${r}`,
      // an empty cell is blank, not a 0 that the colour scale paints as a value
      ...tables.cells.filter((c) => c.r === r).map((c) => (c.customers > 0 ? c.customers : null)),
    ]),
    colourScale: true,
  };
  const heatMoney: SheetBlock = {
    id: "rf-monetary",
    title: h("rfm.heat.monetary"),
    anchor: { row: 0, col: 7 },
    columns: [
      { header: "R \\ F", format: "text" },
      ...fCols.map((c) => ({ ...c, format: "money" as const })),
    ],
    rows: [5, 4, 3, 2, 1].map((r) => [
      `R${r}`,
      ...tables.cells
        .filter((c) => c.r === r)
        .map((c) => (c.customers > 0 ? Math.round(c.meanMonetary * 100) / 100 : null)),
    ]),
    colourScale: true,
  };
  const cube: SheetBlock = {
    id: "cube",
    title: h("rfm.cube.title"),
    anchor: { row: 8, col: 0 },
    columns: segmentColumns(lang),
    rows: cubeRows(tables),
  };
  const named: SheetBlock = {
    id: "segments",
    title: h("rfm.named.title"),
    anchor: { row: 19, col: 0 },
    columns: cube.columns.slice(0, 4),
    rows: tables.named.map(
      (s) => [s.segment, s.customers, s.customerShare, s.revenueShare] as OutValue[],
    ),
  };
  const charts: ChartModel[] = [
    {
      id: "cube-bars",
      kind: "bar",
      title: h("rfm.cube.title"),
      block: "cube",
      category: 0,
      values: [2, 3],
      anchor: { row: 8, col: 6 },
      size: { rows: 11, cols: 7 },
      vegaLite: segmentBars(tables.cube, lang, h("rfm.cube.title")),
    },
    {
      id: "segment-bars",
      kind: "bar",
      title: h("rfm.named.title"),
      block: "segments",
      category: 0,
      values: [2, 3],
      anchor: { row: 19, col: 6 },
      size: { rows: 14, cols: 7 },
      vegaLite: segmentBars(tables.named, lang, h("rfm.named.title")),
    },
  ];
  // the report's score histograms and heat maps (issue 18 §6), below the segments
  const histRow = Math.max(named.anchor.row + blockHeight(named), 19 + 14) + 2;
  const hist: SheetBlock = {
    id: "histogram",
    title: h("rfm.hist.title"),
    anchor: { row: histRow, col: 0 },
    columns: [
      { header: h("rfm.axis.score"), format: "int" },
      ...(["R", "F", "M"] as const).map((m) => ({ header: m, format: "int" as const })),
    ],
    rows: [1, 2, 3, 4, 5].map((score) => [
      score,
      ...(["R", "F", "M"] as const).map(
        (m) => tables.histogram.find((x) => x.measure === m && x.score === score)?.customers ?? 0,
      ),
    ]),
  };
  charts.push({
    id: "histogram",
    kind: "column",
    title: h("rfm.hist.title"),
    block: "histogram",
    category: 0,
    values: [1, 2, 3],
    anchor: { row: histRow, col: hist.columns.length + 1 },
    size: { rows: 12, cols: 9 },
    vegaLite: scoreHistograms(tables.histogram, lang),
  });
  // heat maps: pictures of the colour-scaled tables above (Excel has no heat-map chart)
  const heatRow = histRow + Math.max(blockHeight(hist), 12) + 2;
  (["customers", "meanMonetary"] as const).forEach((measure, i) =>
    charts.push({
      id: `heat-${measure}`,
      kind: "column",
      title: h(measure === "customers" ? "rfm.heat.count" : "rfm.heat.monetary"),
      block: measure === "customers" ? "rf-count" : "rf-monetary",
      category: 0,
      values: [1],
      anchor: { row: heatRow + i * 19, col: 0 },
      size: { rows: 18, cols: 7 },
      picture: true,
      vegaLite: rfHeatmap(tables.cells, lang, measure),
    }),
  );
  return {
    key: "rfm",
    name: OWNED_SHEETS.rfm[lang],
    blocks: [heatCount, heatMoney, cube, named, hist],
    charts,
    freezeRows: 0,
  };
}

export function rfmSection(a: Analysis, lang: Lang, tables = rfmTables(a, lang)): ReportSection {
  const h = (k: string) => t(lang, k);
  const { mean, scored } = a.scores;
  return {
    id: "rfm",
    title: h("rfm.section"),
    items: [
      {
        kind: "text",
        text: t(lang, {
          key: "rfm.intro",
          params: { n: scored, r: mean.r.toFixed(2), f: mean.f.toFixed(2), m: mean.m.toFixed(2) },
        }),
      },
      {
        kind: "figure",
        title: h("rfm.heat.count"),
        spec: rfHeatmap(tables.cells, lang, "customers"),
      },
      {
        kind: "figure",
        title: h("rfm.heat.monetary"),
        spec: rfHeatmap(tables.cells, lang, "meanMonetary"),
      },
      { kind: "figure", title: h("rfm.hist.title"), spec: scoreHistograms(tables.histogram, lang) },
      {
        kind: "figure",
        title: h("rfm.cube.title"),
        spec: segmentBars(tables.cube, lang, h("rfm.cube.title")),
      },
      {
        kind: "table",
        title: h("rfm.cube.title"),
        columns: segmentColumns(lang),
        rows: cubeRows(tables),
      },
      {
        kind: "figure",
        title: h("rfm.named.title"),
        spec: segmentBars(tables.named, lang, h("rfm.named.title")),
      },
    ],
  };
}
