/** Pareto (二八法则) chart specs: top-N bars, cumulative share line, 80% reference; whale curve. */
import type { Lang } from "../types.js";
import { t } from "../messages/index.js";
import type { ParetoResult, RankedCurve } from "../pareto.js";
import { ACCENT, chart, MUTED, PRIMARY, type VlSpec } from "./theme.js";

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
  return chart(
    t(lang, "pareto.chart.title"),
    {
      data: { values },
      layer: [
        {
          mark: { type: "bar", color: PRIMARY },
          encoding: {
            x,
            y: { field: "value", type: "quantitative", title: t(lang, "pareto.axis.value") },
            color: {
              condition: { test: "datum.others", value: MUTED },
              value: PRIMARY,
            },
          },
        },
        {
          layer: [
            {
              mark: { type: "line", color: ACCENT, point: { color: ACCENT, size: 24 } },
              encoding: {
                x,
                y: {
                  field: "cumShare",
                  type: "quantitative",
                  title: t(lang, "pareto.axis.cumShare"),
                  scale: { domain: [0, 1] },
                  axis: { format: ".0%", orient: "right" },
                },
              },
            },
            {
              data: { values: [{ ref: reference }] },
              mark: { type: "rule", ...dashed },
              encoding: {
                y: { field: "ref", type: "quantitative", scale: { domain: [0, 1] }, axis: null },
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

const dashed = { strokeDash: [4, 4], color: "#555" };

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
