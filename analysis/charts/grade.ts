/** Grading chart specs: ABC bars (customers and value share), customer pyramid. */
import type { Lang } from "../types.js";
import { t } from "../messages/index.js";
import { chart, PRIMARY, ACCENT, type VlSpec } from "./theme.js";

export function gradeBars(
  rows: { grade: string; customers: number; valueShare: number }[],
  lang: Lang,
  subtitle: string,
): VlSpec {
  return chart(
    t(lang, "grade.chart.title"),
    {
      data: { values: rows },
      encoding: { x: { field: "grade", type: "nominal", title: null, axis: { labelAngle: 0 } } },
      layer: [
        {
          mark: { type: "bar", color: PRIMARY },
          encoding: {
            y: { field: "customers", type: "quantitative", title: t(lang, "grade.axis.customers") },
          },
        },
        {
          mark: { type: "line", color: ACCENT, point: { color: ACCENT } },
          encoding: {
            y: {
              field: "valueShare",
              type: "quantitative",
              title: t(lang, "grade.axis.valueShare"),
              axis: { format: ".0%", orient: "right" },
              scale: { domain: [0, 1] },
            },
          },
        },
      ],
      resolve: { scale: { y: "independent" } },
    },
    360,
    260,
    subtitle,
  );
}

/** The pyramid drawn as centred horizontal bars, widest at the bottom. */
export function pyramidChart(
  rows: { tier: string; customers: number; valueShare: number }[],
  lang: Lang,
): VlSpec {
  const n = rows.length;
  const values = rows.map((r, i) => ({ ...r, width: (i + 1) / n, order: i }));
  return chart(
    t(lang, "pyramid.chart.title"),
    {
      data: { values },
      transform: [
        { calculate: "-datum.width / 2", as: "x0" },
        { calculate: "datum.width / 2", as: "x1" },
      ],
      encoding: { y: { field: "tier", type: "nominal", sort: { field: "order" }, title: null } },
      layer: [
        {
          mark: { type: "bar", color: PRIMARY, opacity: 0.85 },
          encoding: {
            x: { field: "x0", type: "quantitative", axis: null, scale: { domain: [-0.5, 0.5] } },
            x2: { field: "x1" },
          },
        },
        {
          mark: { type: "text", color: "white", fontSize: 11 },
          transform: [
            {
              calculate: `datum.customers + ' · ' + format(datum.valueShare, '.0%')`,
              as: "label",
            },
          ],
          encoding: { text: { field: "label" }, x: { datum: 0 } },
        },
      ],
    },
    360,
    200,
  );
}
