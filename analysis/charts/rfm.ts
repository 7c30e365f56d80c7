/** RFM chart specs: R×F heat map, segment bars (customers and revenue share), score histograms. */
import type { Lang } from "../types.js";
import { t } from "../messages/index.js";
import { chart, PRIMARY, ACCENT, type VlSpec } from "./theme.js";

export interface RfCell {
  r: number;
  f: number;
  customers: number;
  meanMonetary: number;
}

/**
 * R × F heat map of customers or of mean value. Decisions (issue 18 §5):
 * - One hue from light to dark (a neutral scale): darker is more, never "good" or "bad"; a
 *   green-for-many scale made 30 lapsed customers in R1 look healthy.
 * - Empty cells (no customer) are left blank: no rectangle, no 0.
 * - Labels are dark on light cells and white on dark ones (above 55% of the largest value), and
 *   no gridline runs through them (the grid is off; cells are separated by a white stroke).
 */
export function rfHeatmap(
  cells: RfCell[],
  lang: Lang,
  measure: "customers" | "meanMonetary",
): VlSpec {
  const title = t(lang, measure === "customers" ? "rfm.heat.count" : "rfm.heat.monetary");
  const filled = cells.filter((c) => c.customers > 0);
  const max = filled.reduce((m, c) => Math.max(m, c[measure]), 0);
  const axis = { labelAngle: 0, grid: false, domain: false, ticks: false };
  return chart(
    title,
    {
      data: { values: filled },
      encoding: {
        x: {
          field: "f",
          type: "ordinal",
          title: t(lang, "rfm.axis.f"),
          axis,
          scale: { domain: SCORES },
        },
        y: {
          field: "r",
          type: "ordinal",
          title: t(lang, "rfm.axis.r"),
          axis,
          scale: { domain: [...SCORES].reverse() },
        },
      },
      layer: [
        {
          mark: { type: "rect", stroke: "white", strokeWidth: 2 },
          encoding: {
            color: {
              field: measure,
              type: "quantitative",
              title: null,
              scale: { scheme: measure === "customers" ? "blues" : "purples", domainMin: 0 },
            },
          },
        },
        {
          mark: { type: "text", fontSize: 11 },
          encoding: {
            text: {
              field: measure,
              type: "quantitative",
              format: measure === "customers" ? ",d" : ",.0f",
            },
            color: {
              condition: { test: `datum['${measure}'] > ${0.55 * max}`, value: "white" },
              value: "#1f2933",
            },
          },
        },
      ],
    },
    300,
    240,
  );
}

const SCORES = [1, 2, 3, 4, 5];

export interface SegmentBar {
  segment: string;
  customers: number;
  customerShare: number;
  revenueShare: number;
}

export function segmentBars(rows: SegmentBar[], lang: Lang, title: string): VlSpec {
  const values = rows.flatMap((r) => [
    { segment: r.segment, measure: t(lang, "rfm.share.customers"), share: r.customerShare },
    { segment: r.segment, measure: t(lang, "rfm.share.revenue"), share: r.revenueShare },
  ]);
  return chart(
    title,
    {
      data: { values },
      mark: "bar",
      encoding: {
        y: { field: "segment", type: "nominal", title: null, sort: rows.map((r) => r.segment) },
        x: { field: "share", type: "quantitative", title: null, axis: { format: ".0%" } },
        yOffset: { field: "measure" },
        color: {
          field: "measure",
          type: "nominal",
          title: null,
          scale: { range: [PRIMARY, ACCENT] },
          legend: { orient: "bottom" },
        },
      },
    },
    460,
    Math.max(160, rows.length * 30),
  );
}

export function scoreHistograms(
  counts: { measure: string; score: number; customers: number }[],
  lang: Lang,
): VlSpec {
  return {
    ...chart(t(lang, "rfm.hist.title"), {}, 160, 140),
    data: { values: counts },
    mark: { type: "bar", color: PRIMARY },
    encoding: {
      column: { field: "measure", type: "nominal", title: null, sort: ["R", "F", "M"] },
      x: {
        field: "score",
        type: "ordinal",
        title: t(lang, "rfm.axis.score"),
        axis: { labelAngle: 0 },
      },
      y: { field: "customers", type: "quantitative", title: t(lang, "rfm.axis.customers") },
    },
  };
}
