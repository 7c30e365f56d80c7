/** Pareto (二八法则) chart specs: top-N bars, cumulative share line, 80% reference; whale curve. */
import type { Lang } from "../types.js";
import { formatPct, t } from "../messages/index.js";
import type { ParetoResult, RankedCurve } from "../pareto.js";
import { ACCENT, chart, PRIMARY, type VlSpec } from "./theme.js";

export interface ParetoBar {
  label: string;
  value: number;
  cumShare: number;
  others: boolean;
}

/** The first `top` customers as bars, the rest grouped as "others". */
export function paretoBars(
  p: ParetoResult,
  label: (index: number) => string,
  lang: Lang,
  top = 20,
): ParetoBar[] {
  const { index, value, cumShare } = p.curve;
  const bars: ParetoBar[] = Array.from({ length: Math.min(top, index.length) }, (_, i) => ({
    label: label(index[i]),
    value: value[i],
    cumShare: cumShare[i],
    others: false,
  }));
  if (index.length > top) {
    const rest = value.subarray(top).reduce((s, v) => s + v, 0);
    bars.push({
      label: t(lang, { key: "pareto.others", params: { n: index.length - top } }),
      value: rest,
      cumShare: 1,
      others: true,
    });
  }
  return bars;
}

/**
 * Bars of value on the left axis; the cumulative share on a 0–100% axis of its own on the right,
 * with the reference line (the A cut-off, 80% by default) dashed and labelled on that axis; a
 * legend names the bars, the line and the reference. The bars and the line are two y scales
 * (resolve independent); the line, its points and the reference share the right one.
 */
export function paretoChart(bars: ParetoBar[], lang: Lang, reference = 0.8, subtitle = ""): VlSpec {
  // Ranked labels ("3. 名称") keep two customers of the same name apart and give every layer
  // the same explicit order.
  const values = bars.map((b, i) => ({ ...b, key: b.others ? b.label : `${i + 1}. ${b.label}` }));
  const x = {
    field: "key",
    type: "nominal",
    sort: values.map((v) => v.key),
    title: null,
    axis: { labelAngle: -45, labelLimit: 140 },
  };
  const names = {
    value: t(lang, "pareto.axis.value"),
    share: t(lang, "pareto.axis.cumShare"),
    reference: t(lang, { key: "pareto.legend.reference", params: { pct: reference } }),
  };
  // Each layer names its series in a field of its own, and one colour scale over the three
  // names makes the legend (a datum cannot carry a scale or a legend in vega-lite's schema).
  const color = {
    field: "series",
    type: "nominal",
    scale: {
      domain: [names.value, names.share, names.reference],
      range: [PRIMARY, ACCENT, REFERENCE],
    },
    legend: { orient: "top", title: null, symbolStrokeWidth: 2 },
  };
  const series = (name: string) => [{ calculate: JSON.stringify(name), as: "series" }];
  const share = { type: "quantitative", scale: { domain: [0, 1] } } as const;
  return chart(
    t(lang, "pareto.chart.title"),
    {
      data: { values },
      layer: [
        {
          transform: series(names.value),
          mark: { type: "bar" },
          encoding: {
            x,
            y: { field: "value", type: "quantitative", title: names.value },
            color,
            // "others" in grey; the legend keeps the value colour
            opacity: { condition: { test: "datum.others", value: 0.45 }, value: 1 },
          },
        },
        {
          layer: [
            {
              transform: series(names.share),
              mark: { type: "line", point: { size: 24 } },
              encoding: {
                x,
                y: {
                  ...share,
                  field: "cumShare",
                  title: names.share,
                  axis: { format: ".0%", orient: "right", grid: false, values: PCT_TICKS },
                },
                color,
              },
            },
            {
              data: { values: [{ ref: reference, series: names.reference }] },
              mark: { type: "rule", strokeDash: [4, 4], strokeWidth: 1.5 },
              encoding: { y: { ...share, field: "ref" }, color },
            },
            {
              // the reference's value at the left end of its line, above it (the top customers'
              // bars are low there; the "others" bar on the right is not)
              data: { values: [{ ref: reference, label: formatPct(reference, lang) }] },
              mark: {
                type: "text",
                align: "left",
                baseline: "bottom",
                dx: 4,
                dy: -3,
                fontSize: 11,
                fontWeight: "bold",
                color: REFERENCE,
              },
              encoding: {
                x: { value: 0 },
                y: { ...share, field: "ref" },
                text: { field: "label" },
              },
            },
          ],
        },
      ],
      resolve: { scale: { y: "independent" } },
    },
    640,
    320,
    subtitle,
  );
}

/** 0, 20, … 100% on the share axis. */
const PCT_TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const REFERENCE = "#555";

/** A cumulative curve thinned to at most ~200 points, from (0, 0) to share of customers 1. */
function thinCurve({ cumShare }: RankedCurve): { x: number; y: number }[] {
  const n = cumShare.length;
  const step = Math.max(1, Math.floor(n / 200));
  const values = [{ x: 0, y: 0 }];
  for (let i = step - 1; i < n; i += step) values.push({ x: (i + 1) / n, y: cumShare[i] });
  if (n && values[values.length - 1].x !== 1) values.push({ x: 1, y: cumShare[n - 1] });
  return values;
}

/** Share of customers (x) against a cumulative share (y), both as percentages. */
function shareAxes(lang: Lang, yTitle: string) {
  const axis = (field: string, title: string) => ({
    field,
    type: "quantitative",
    title,
    axis: { format: ".0%" },
  });
  return { x: axis("x", t(lang, "pareto.axis.customerShare")), y: axis("y", t(lang, yTitle)) };
}

const dashed = { strokeDash: [4, 4], color: REFERENCE };

/** Lorenz-style curve: share of customers vs cumulative share of value, with the 80% line. */
export function concentrationCurve(p: ParetoResult, lang: Lang): VlSpec {
  return chart(
    t(lang, "pareto.curve.title"),
    {
      data: { values: thinCurve(p.curve) },
      layer: [
        {
          mark: { type: "area", line: { color: PRIMARY }, color: PRIMARY, opacity: 0.15 },
          encoding: shareAxes(lang, "pareto.axis.cumShare"),
        },
        {
          data: { values: [{ y: 0.8 }] },
          mark: { type: "rule", ...dashed },
          encoding: { y: { field: "y", type: "quantitative" } },
        },
      ],
    },
    420,
    300,
  );
}

/** Whale curve: cumulative profit share (may exceed 100%) against share of customers. */
export function whaleChart(p: ParetoResult, lang: Lang): VlSpec | null {
  if (!p.whale || p.whale.index.length === 0) return null;
  return chart(
    t(lang, "pareto.whale.title"),
    {
      data: { values: thinCurve(p.whale) },
      layer: [
        {
          mark: { type: "line", color: ACCENT, strokeWidth: 2 },
          encoding: shareAxes(lang, "pareto.axis.cumProfit"),
        },
        {
          data: { values: [{ y: 1 }] },
          mark: { type: "rule", ...dashed },
          encoding: { y: { field: "y", type: "quantitative" } },
        },
      ],
    },
    420,
    300,
  );
}
