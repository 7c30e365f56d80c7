/**
 * CLV chart specs (SPEC §8): P(alive) histogram, frequency × recency heat maps (expected
 * purchases, P(alive)), the current × predicted value matrix (客户价值矩阵), the holdout
 * check by calibration frequency and the cumulative tracking curve. Pure: result in, spec out.
 */
import type { Lang } from "../types.js";
import { t } from "../messages/index.js";
import type { FrMatrix, Holdout, PAliveBin, ValueCell } from "../clv.js";
import { ACCENT, chart, MUTED, PRIMARY, type VlSpec } from "./theme.js";

const fixed = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : "");

/** "0.0–0.1" labels of the P(alive) bins. */
export function binLabel(b: PAliveBin): string {
  return `${b.from.toFixed(1)}–${b.to.toFixed(1)}`;
}

export function pAliveChart(bins: PAliveBin[], lang: Lang): VlSpec {
  const values = bins.map((b, i) => ({ bin: binLabel(b), order: i, customers: b.customers }));
  return chart(t(lang, "clv.chart.pAlive.title"), {
    data: { values },
    mark: { type: "bar", color: PRIMARY },
    encoding: {
      x: {
        field: "bin",
        type: "nominal",
        sort: { field: "order" },
        title: t(lang, "clv.chart.pAlive.axis"),
        axis: { labelAngle: 0 },
      },
      y: { field: "customers", type: "quantitative", title: t(lang, "clv.chart.customers") },
      tooltip: [
        { field: "bin", type: "nominal", title: t(lang, "clv.chart.pAlive.axis") },
        {
          field: "customers",
          type: "quantitative",
          title: t(lang, "clv.chart.customers"),
          format: ",d",
        },
      ],
    },
  });
}

/** Heat map of the model on the x × t_x grid: expected purchases or P(alive). */
export function frMatrixChart(m: FrMatrix, lang: Lang, measure: "expected" | "pAlive"): VlSpec {
  const title =
    measure === "expected"
      ? t(lang, { key: "clv.chart.frExpected.title", params: { weeks: m.horizonWeeks } })
      : t(lang, "clv.chart.frAlive.title");
  const subtitle = t(lang, { key: "clv.chart.fr.subtitle", params: { T: fixed(m.T, 1) } });
  const legend =
    measure === "expected" ? t(lang, "clv.chart.fr.expected") : t(lang, "clv.chart.pAlive.axis");
  const values = m.cells.map((c) => ({
    x: c.x,
    tx: Math.round(c.tx * 10) / 10,
    value: measure === "expected" ? c.expected : c.pAlive,
  }));
  return chart(
    title,
    {
      data: { values },
      mark: { type: "rect" },
      encoding: {
        x: {
          field: "tx",
          type: "ordinal",
          title: t(lang, "clv.chart.fr.recency"),
          axis: { labelAngle: 0 },
        },
        y: {
          field: "x",
          type: "ordinal",
          title: t(lang, "clv.chart.fr.frequency"),
          sort: "descending",
        },
        color: {
          field: "value",
          type: "quantitative",
          title: legend,
          scale:
            measure === "pAlive"
              ? { scheme: "redyellowgreen", domain: [0, 1] }
              : { scheme: "blues" },
        },
        tooltip: [
          { field: "x", type: "ordinal", title: t(lang, "clv.chart.fr.frequency") },
          { field: "tx", type: "ordinal", title: t(lang, "clv.chart.fr.recency") },
          {
            field: "value",
            type: "quantitative",
            title: legend,
            format: measure === "pAlive" ? ".0%" : ".2f",
          },
        ],
      },
    },
    560,
    360,
    subtitle,
  );
}

/** Quadrant label ("Most valuable: keep"). */
export function quadrantLabel(c: ValueCell, lang: Lang): string {
  return t(lang, `clv.quadrant.${c.quadrant}`);
}

/** The 2×2 value matrix: customers per cell, with the quadrant's name and predicted value. */
export function valueMatrixChart(cells: ValueCell[], lang: Lang, currency: string): VlSpec {
  const level = (l: "low" | "high") => t(lang, `clv.chart.value.${l}`);
  const values = cells.map((c) => ({
    current: level(c.current),
    future: level(c.future),
    customers: c.customers,
    label: quadrantLabel(c, lang),
    predicted: c.predictedValue,
    line2: `${c.customers} · ${currency}${Math.round(c.predictedValue).toLocaleString(lang === "zh" ? "zh-CN" : "en-US")}`,
  }));
  const order = [level("low"), level("high")];
  const x = {
    field: "current",
    type: "ordinal",
    sort: order,
    title: t(lang, "clv.chart.value.current"),
    axis: { labelAngle: 0, grid: false },
  };
  const y = {
    field: "future",
    type: "ordinal",
    sort: [...order].reverse(),
    title: t(lang, "clv.chart.value.future"),
    axis: { grid: false },
  };
  return chart(
    `${t(lang, "clv.chart.value.title")} (${t(lang, "clv.chart.value.split")})`,
    {
      data: { values },
      encoding: { x, y },
      layer: [
        {
          mark: { type: "rect" },
          encoding: {
            color: {
              field: "customers",
              type: "quantitative",
              title: t(lang, "clv.chart.customers"),
              // light greens only, so the dark labels stay readable on every cell
              scale: { range: ["#f1f8f2", "#8fcf9c"] },
            },
            tooltip: [
              { field: "label", type: "nominal", title: t(lang, "clv.col.quadrant") },
              {
                field: "customers",
                type: "quantitative",
                title: t(lang, "clv.chart.customers"),
                format: ",d",
              },
              {
                field: "predicted",
                type: "quantitative",
                title: t(lang, "clv.chart.value.future"),
                format: ",.0f",
              },
            ],
          },
        },
        {
          mark: { type: "text", dy: -8, fontSize: 12, fontWeight: "bold" },
          encoding: { text: { field: "label" }, color: { value: "#1f2933" } },
        },
        {
          mark: { type: "text", dy: 10, fontSize: 11 },
          encoding: { text: { field: "line2" }, color: { value: "#1f2933" } },
        },
      ],
    },
    420,
    300,
  );
}

/** Grouped bars: mean holdout purchases per customer, actual vs model, by calibration x (0..7+). */
export function holdoutChart(h: Holdout, lang: Lang): VlSpec {
  const actual = t(lang, "clv.series.actual");
  const model = t(lang, "clv.series.model");
  const values = h.byFrequency
    .filter((g) => g.customers > 0)
    .flatMap((g) => [
      { x: g.label, order: g.x, series: actual, value: g.actual, customers: g.customers },
      { x: g.label, order: g.x, series: model, value: g.predicted, customers: g.customers },
    ]);
  return chart(t(lang, "clv.chart.holdout.title"), {
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: {
        field: "x",
        type: "nominal",
        sort: { field: "order" },
        title: t(lang, "clv.chart.holdout.x"),
        axis: { labelAngle: 0 },
      },
      xOffset: { field: "series", sort: [actual, model] },
      y: { field: "value", type: "quantitative", title: t(lang, "clv.chart.holdout.y") },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        sort: [actual, model],
        scale: { range: [MUTED, PRIMARY] },
      },
      tooltip: [
        { field: "x", type: "nominal", title: t(lang, "clv.chart.holdout.x") },
        { field: "series", type: "nominal", title: null },
        {
          field: "value",
          type: "quantitative",
          title: t(lang, "clv.chart.holdout.y"),
          format: ".2f",
        },
        {
          field: "customers",
          type: "quantitative",
          title: t(lang, "clv.chart.customers"),
          format: ",d",
        },
      ],
    },
  });
}

/** Cumulative repeat purchases by week, actual vs model, with a rule at the as-of week. */
export function trackingChart(h: Holdout, lang: Lang): VlSpec {
  const actual = t(lang, "clv.series.actual");
  const model = t(lang, "clv.series.model");
  const values = h.tracking.flatMap((p) => [
    { week: p.week, series: actual, value: p.actual },
    { week: p.week, series: model, value: p.predicted },
  ]);
  return chart(t(lang, "clv.chart.tracking.title"), {
    layer: [
      {
        data: { values },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: { field: "week", type: "quantitative", title: t(lang, "clv.chart.tracking.x") },
          y: { field: "value", type: "quantitative", title: t(lang, "clv.chart.tracking.y") },
          color: {
            field: "series",
            type: "nominal",
            title: null,
            sort: [actual, model],
            scale: { range: [MUTED, ACCENT] },
          },
          strokeDash: {
            field: "series",
            type: "nominal",
            sort: [actual, model],
            scale: {
              range: [
                [1, 0],
                [6, 3],
              ],
            },
            legend: null,
          },
        },
      },
      {
        data: { values: [{ week: h.asOfWeek, label: t(lang, "clv.chart.tracking.asOf") }] },
        layer: [
          {
            mark: { type: "rule", strokeDash: [4, 4], color: "#555" },
            encoding: { x: { field: "week", type: "quantitative" } },
          },
          {
            mark: { type: "text", align: "left", dx: 4, dy: 8, color: "#555", fontSize: 11 },
            encoding: {
              x: { field: "week", type: "quantitative" },
              y: { value: 0 },
              text: { field: "label" },
            },
          },
        ],
      },
    ],
  });
}
