/**
 * Lifecycle chart specs: customers per stage (in stage order, health colours), the stage
 * movement heat map (from × to) and stages stacked per grade.
 */
import type { Lang } from "../types.js";
import { t } from "../messages/index.js";
import type { Stage, Stage4 } from "../stages.js";
import { chart, FONT, HEALTH_COLOUR, type VlSpec } from "./theme.js";

/** One colour per stage: the health colour, lighter for the earlier stage of each pair. */
export const STAGE_COLOUR: Record<Stage | Stage4, string> = {
  potential: "#f2d58c",
  development: HEALTH_COLOUR.yellow,
  growth: "#8fcca3",
  maturity: HEALTH_COLOUR.green,
  decline: HEALTH_COLOUR.red,
  termination: "#8f2d2d",
  exploration: HEALTH_COLOUR.yellow,
  formation: "#8fcca3",
  stability: HEALTH_COLOUR.green,
  dissolution: HEALTH_COLOUR.red,
};

export interface StageCount {
  key: Stage | Stage4;
  label: string;
  count: number;
}

const colourScale = (rows: { key: Stage | Stage4; label: string }[]) => ({
  domain: rows.map((r) => r.label),
  range: rows.map((r) => STAGE_COLOUR[r.key]),
});

/** Customers per stage as horizontal bars in stage order (the funnel of the report). */
export function stageDistribution(rows: StageCount[], lang: Lang): VlSpec {
  const values = rows.map((r) => ({ ...r }));
  const y = { field: "label", type: "nominal", sort: rows.map((r) => r.label), title: null };
  return chart(
    t(lang, "lifecycle.chart.funnel"),
    {
      data: { values },
      encoding: { y },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            x: { field: "count", type: "quantitative", title: t(lang, "lifecycle.chart.count") },
            color: { field: "label", type: "nominal", scale: colourScale(rows), legend: null },
          },
        },
        {
          mark: { type: "text", align: "left", dx: 4, fontSize: 11, font: FONT },
          encoding: {
            x: { field: "count", type: "quantitative" },
            text: { field: "count", type: "quantitative" },
          },
        },
      ],
    },
    420,
    Math.max(120, rows.length * 30),
  );
}

const plainAxis = { grid: false, ticks: false, domain: false };

/** Heat map of the movement matrix: rows = from, columns = to, counts in the cells. */
export function movementHeatmap(labels: string[], matrix: number[][], lang: Lang): VlSpec {
  const values = matrix.flatMap((row, i) =>
    row.map((count, j) => ({ from: labels[i], to: labels[j], fromOrder: i, toOrder: j, count })),
  );
  const max = Math.max(1, ...values.map((v) => v.count));
  return chart(
    t(lang, "lifecycle.chart.movement"),
    {
      data: { values },
      encoding: {
        x: {
          field: "to",
          type: "nominal",
          sort: labels,
          title: t(lang, "lifecycle.chart.to"),
          axis: { ...plainAxis, labelAngle: 0, orient: "top" },
        },
        y: {
          field: "from",
          type: "nominal",
          sort: labels,
          title: t(lang, "lifecycle.chart.from"),
          axis: plainAxis,
        },
      },
      layer: [
        {
          mark: { type: "rect", stroke: "white" },
          encoding: {
            color: {
              field: "count",
              type: "quantitative",
              scale: { scheme: "blues", domain: [0, max] },
              title: t(lang, "lifecycle.chart.count"),
            },
          },
        },
        {
          mark: { type: "text", fontSize: 11, font: FONT },
          encoding: {
            text: { field: "count", type: "quantitative" },
            color: {
              condition: { test: `datum.count > ${max / 2}`, value: "white" },
              value: "#333",
            },
          },
        },
      ],
    },
    Math.max(240, labels.length * 64),
    Math.max(180, labels.length * 36),
  );
}

export interface StageGradeCount {
  grade: string;
  key: Stage | Stage4;
  label: string;
  count: number;
}

/** Customers per grade, stacked by stage in stage order. */
export function stageByGrade(
  rows: StageGradeCount[],
  stages: { key: Stage | Stage4; label: string }[],
  lang: Lang,
): VlSpec {
  const order = new Map(stages.map((s, i) => [s.label, i]));
  const values = rows.map((r) => ({ ...r, order: order.get(r.label) ?? 0 }));
  return chart(
    t(lang, "lifecycle.chart.byGrade"),
    {
      data: { values },
      mark: { type: "bar" },
      encoding: {
        x: { field: "grade", type: "nominal", title: null, axis: { labelAngle: 0 } },
        y: {
          field: "count",
          type: "quantitative",
          stack: "zero",
          title: t(lang, "lifecycle.chart.count"),
        },
        color: {
          field: "label",
          type: "nominal",
          scale: colourScale(stages),
          sort: stages.map((s) => s.label),
          title: null,
        },
        order: { field: "order", type: "quantitative" },
      },
    },
    360,
    260,
  );
}
