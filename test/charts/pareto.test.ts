/**
 * The Pareto chart says what it means (issue 18 §4): the cumulative line on a 0–100% axis of
 * its own, a legend for bars, line and reference, and the reference line labelled. Checked on
 * the compiled vega spec (what the report and the workbook picture draw).
 */
import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import { paretoChart, type ParetoBar } from "../../analysis/charts/pareto.js";

const bars: ParetoBar[] = [
  { label: "A", value: 500, cumShare: 0.5, others: false },
  { label: "B", value: 300, cumShare: 0.8, others: false },
  { label: "Others (3)", value: 200, cumShare: 1, others: true },
];

type Node = Record<string, unknown>;
/** Every object in the compiled spec (marks are nested in groups). */
function walk(x: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(x)) x.forEach((v) => walk(v, out));
  else if (x && typeof x === "object") {
    out.push(x as Node);
    Object.values(x).forEach((v) => walk(v, out));
  }
  return out;
}

describe("Pareto chart", () => {
  for (const lang of ["en", "zh"] as const) {
    it(`${lang}: a right-hand 0–100% axis, a legend and a labelled 80% line`, () => {
      const vg = compile(paretoChart(bars, lang, 0.8) as never).spec;
      const axes = walk(vg.axes ?? []).filter((a) => "orient" in a && "scale" in a);
      const right = axes.find((a) => a.orient === "right");
      expect(right).toBeDefined();
      expect(JSON.stringify(right)).toContain("%");
      const scales = vg.scales ?? [];
      const rightScale = scales.find((s) => s.name === right!.scale) as unknown as Node;
      expect(rightScale.domain).toEqual([0, 1]);
      expect(axes.some((a) => a.orient === "left")).toBe(true);
      // one legend with the three entries
      const legends = vg.legends ?? [];
      expect(legends.length).toBe(1);
      const colour = scales.find(
        (s) => s.name === legends[0].fill || s.name === legends[0].stroke,
      ) as unknown as Node | undefined;
      const domain = JSON.stringify(colour?.domain);
      expect(domain).toContain(lang === "en" ? "Cumulative share" : "累计占比");
      expect(domain).toContain(lang === "en" ? "80% line" : "80% 线");
      // the reference line is labelled with its value
      const texts = walk(vg.data ?? []).filter((d) => Array.isArray(d.values));
      expect(JSON.stringify(texts)).toContain('"label":"80%"');
    });
  }
});
