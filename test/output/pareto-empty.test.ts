/**
 * A run where no customer has a positive value (every order cancelled or of zero amount): the
 * report and the workbook still draw every chart they list. The Pareto chart used to get no
 * bars and vega threw "Cannot read properties of undefined (reading 'push')" into the report.
 */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../analysis/index.js";
import { compileSpec } from "../../analysis/node/render.js";
import { textTable } from "../helpers/table.js";

function zeroRun(lang: "zh" | "en") {
  const orders = textTable(
    "orders.csv",
    ["Customer ID", "Date", "Amount"],
    [
      ["A", "2024-01-01", 0],
      ["B", "2024-02-01", 0],
      ["A", "2024-03-01", -5],
    ],
  );
  return runAnalysis({ orders }, { lang, today: 20_000 });
}

describe.each(["en", "zh"] as const)("no customer of positive value (%s)", (lang) => {
  it("every chart of the report and the workbook compiles", async () => {
    const run = zeroRun(lang);
    expect(run.analysis.pareto.customers).toBe(0);
    const specs: [string, Record<string, unknown>][] = [];
    for (const s of run.report.sections)
      for (const it of s.items)
        if (it.kind === "figure") specs.push([`${s.id} ${it.title}`, it.spec]);
    for (const sheet of run.output.sheets)
      for (const c of sheet.charts) specs.push([`${sheet.name} ${c.id}`, c.vegaLite]);
    expect(specs.length).toBeGreaterThan(5);
    for (const [name, spec] of specs) {
      const drawn = await compileSpec(spec).then(
        (c) => (c.svg.startsWith("<svg") ? "ok" : c.svg.slice(0, 80)),
        (e: Error) => e.message,
      );
      expect(drawn, name).toBe("ok");
    }
  });

  it("the Pareto section says why there is no Pareto chart", () => {
    const pareto = zeroRun(lang).report.sections.find((s) => s.id === "pareto");
    const texts = pareto?.items.flatMap((i) => (i.kind === "text" ? [i.text] : [])) ?? [];
    expect(texts.join("\n")).toMatch(
      lang === "en" ? /No customer has a positive value/ : /没有客户的价值为正/,
    );
    expect(pareto?.items.some((i) => i.kind === "figure" && /Pareto|帕累托/.test(i.title))).toBe(
      false,
    );
  });
});
