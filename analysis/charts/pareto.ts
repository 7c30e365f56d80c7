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
  const values = bars.map((b, i) => ({ ...b, order: i }));
  const x = {
    field: "label",
    type: "nominal",
    sort: { field: "order" },
    title: null,
    axis: { labelAngle: -45, labelLimit: 120 },
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
              mark: { type: "rule", strokeDash: [4, 4], color: "#555" },
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

/** Lorenz-style curve: share of customers vs cumulative share of value, at most ~200 points. */
export function concentrationCurve(p: ParetoResult, lang: Lang): VlSpec {
  const step = Math.max(1, Math.floor(p.curve.length / 200));
  const values: { x: number; y: number }[] = [{ x: 0, y: 0 }];
  for (let i = step - 1; i < p.curve.length; i += step) {
    values.push({ x: p.curve[i].customerShare, y: p.curve[i].cumShare });
  }
  const last = p.curve[p.curve.length - 1];
  if (last && values[values.length - 1].x !== 1) values.push({ x: 1, y: last.cumShare });
  return chart(
    t(lang, "pareto.curve.title"),
    {
      data: { values },
      layer: [
        {
          mark: { type: "area", line: { color: PRIMARY }, color: PRIMARY, opacity: 0.15 },
          encoding: {
            x: {
              field: "x",
              type: "quantitative",
              title: t(lang, "pareto.axis.customerShare"),
              axis: { format: ".0%" },
            },
            y: {
              field: "y",
              type: "quantitative",
              title: t(lang, "pareto.axis.cumShare"),
              axis: { format: ".0%" },
            },
          },
        },
        {
          data: {
            values: [
              { x: 0, y: 0.8 },
              { x: 1, y: 0.8 },
            ],
          },
          mark: { type: "line", strokeDash: [4, 4], color: "#555" },
          encoding: {
            x: { field: "x", type: "quantitative" },
            y: { field: "y", type: "quantitative" },
          },
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
  const step = Math.max(1, Math.floor(p.whale.length / 200));
  const values: { x: number; y: number }[] = [{ x: 0, y: 0 }];
  for (let i = step - 1; i < p.whale.length; i += step)
    values.push({ x: p.whale[i].customerShare, y: p.whale[i].cumShare });
  const last = p.whale[p.whale.length - 1];
  if (values[values.length - 1].x !== 1) values.push({ x: 1, y: last.cumShare });
  return chart(
    t(lang, "pareto.whale.title"),
    {
      data: { values },
      layer: [
        {
          mark: { type: "line", color: ACCENT, strokeWidth: 2 },
          encoding: {
            x: {
              field: "x",
              type: "quantitative",
              title: t(lang, "pareto.axis.customerShare"),
              axis: { format: ".0%" },
            },
            y: {
              field: "y",
              type: "quantitative",
              title: t(lang, "pareto.axis.cumProfit"),
              axis: { format: ".0%" },
            },
          },
        },
        {
          data: { values: [{ y: 1 }] },
          mark: { type: "rule", strokeDash: [4, 4], color: "#555" },
          encoding: { y: { field: "y", type: "quantitative" } },
        },
      ],
    },
    420,
    300,
  );
}
