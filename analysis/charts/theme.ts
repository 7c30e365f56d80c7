/**
 * Shared look of every vega-lite spec: fonts with CJK glyphs, a calm palette and the
 * traffic-light colours of the health scale (green = healthy, yellow = watch, red = act).
 */
import type { Health } from "../stages.js";

export const FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, Helvetica, Arial, sans-serif";

export const HEALTH_COLOUR: Record<Health, string> = {
  green: "#3a9d5d",
  yellow: "#e0a526",
  red: "#d64545",
};

export const PRIMARY = "#2f6fb3";
export const ACCENT = "#e07b24";
export const MUTED = "#9aa5b1";

export type VlSpec = Record<string, unknown>;

/**
 * Wrap a spec with the common config, size and title. A subtitle (the rule behind the chart,
 * such as the ABC cut-offs) goes on a line of its own in a smaller size: run on after the
 * title it was wider than the chart and cut off.
 */
export function chart(
  title: string,
  spec: VlSpec,
  width = 560,
  height = 300,
  subtitle = "",
): VlSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      anchor: "start",
      fontSize: 14,
      ...(subtitle ? { subtitle, subtitleFontSize: 11, subtitleColor: "#52606d" } : {}),
    },
    width,
    height,
    config: {
      font: FONT,
      axis: {
        labelFont: FONT,
        titleFont: FONT,
        labelFontSize: 11,
        titleFontSize: 11,
        grid: true,
        gridColor: "#eef0f3",
      },
      legend: { labelFont: FONT, titleFont: FONT },
      title: { font: FONT },
      view: { stroke: null },
      background: "white",
    },
    ...spec,
  };
}
