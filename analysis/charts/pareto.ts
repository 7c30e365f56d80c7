/** Pareto (二八法则) chart specs: top-N bars, cumulative share line, 80% reference; whale curve. */
import type { Lang } from "../types.js";
import { t } from "../messages/index.js";
import type { ParetoResult } from "../pareto.js";
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
  const bars: ParetoBar[] = p.curve.slice(0, top).map((pt) => ({
    label: label(pt.index),
    value: pt.value,
    cumShare: pt.cumShare,
    others: false,
  }));
  if (p.curve.length > top) {
    const rest = p.curve.slice(top).reduce((s, pt) => s + pt.value, 0);
    bars.push({
      label: t(lang, { key: "pareto.others", params: { n: p.curve.length - top } }),
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
    t(lang, "pareto.chart.title") + (subtitle ? ` — ${subtitle}` : ""),
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
  );
}

/** A cumulative curve thinned to at most ~200 points, from (0, 0) to share of customers 1. */
function thinCurve(
  points: readonly { customerShare: number; cumShare: number }[],
): { x: number; y: number }[] {
  const step = Math.max(1, Math.floor(points.length / 200));
  const values = [{ x: 0, y: 0 }];
  for (let i = step - 1; i < points.length; i += step) {
    values.push({ x: points[i].customerShare, y: points[i].cumShare });
  }
  const last = points[points.length - 1];
  if (last && values[values.length - 1].x !== 1) values.push({ x: 1, y: last.cumShare });
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
  if (!p.whale || p.whale.length === 0) return null;
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
