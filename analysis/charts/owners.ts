/** Account-manager chart spec: customers, overdue and due-within-7-days per owner, as bars. */
import type { Lang } from "../types.js";
import { t } from "../messages/index.js";
import { ACCENT, chart, HEALTH_COLOUR, PRIMARY, type VlSpec } from "./theme.js";

export interface OwnerBar {
  owner: string;
  customers: number;
  overdue: number;
  due7d: number;
}

/** Grouped horizontal bars, one group per owner in the given order. */
export function ownerBars(rows: OwnerBar[], lang: Lang): VlSpec {
  const series = [
    { key: "customers", label: t(lang, "owners.chart.customers"), colour: PRIMARY },
    { key: "overdue", label: t(lang, "owners.chart.overdue"), colour: HEALTH_COLOUR.red },
    { key: "due7d", label: t(lang, "owners.chart.due7d"), colour: ACCENT },
  ] as const;
  const values = rows.flatMap((r, i) =>
    series.map((s, k) => ({ owner: r.owner, order: i, series: s.label, k, count: r[s.key] })),
  );
  return chart(
    t(lang, "owners.chart.title"),
    {
      data: { values },
      mark: { type: "bar" },
      encoding: {
        y: { field: "owner", type: "nominal", sort: rows.map((r) => r.owner), title: null },
        yOffset: { field: "series", sort: series.map((s) => s.label) },
        x: { field: "count", type: "quantitative", title: t(lang, "owners.chart.count") },
        color: {
          field: "series",
          type: "nominal",
          title: null,
          scale: { domain: series.map((s) => s.label), range: series.map((s) => s.colour) },
          legend: { orient: "bottom" },
        },
      },
    },
    480,
    Math.max(120, rows.length * 48),
  );
}
