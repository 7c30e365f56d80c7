/**
 * Charts are drawn from aggregates: however many customers, a chart's data (every inline
 * `values` list of its vega-lite spec, in analysis.xlsx and in report.html) stays bounded, so
 * drawing it costs the same for 2,000 customers as for 20,000 — and for a million.
 */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../analysis/index.js";
import { readCsv } from "../../analysis/node/csv.js";

function orders(customers: number): Buffer {
  let s = "order_id,customer_id,date,amount\n";
  let order = 0;
  for (let c = 0; c < customers; c++) {
    const n = 1 + (c % 4);
    for (let k = 0; k < n; k++) {
      const day = 1 + ((c * 7 + k * 31) % 700);
      const d = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
      s += `SO${++order},K${c},${d},${(10 + ((c * 13 + k) % 997) * (1 + (c % 7))).toFixed(2)}\n`;
    }
  }
  return Buffer.from(s);
}

/** The longest inline data list anywhere in a spec. */
function longestValues(spec: unknown): number {
  let most = 0;
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") {
      for (const [k, v] of Object.entries(x)) {
        if (k === "values" && Array.isArray(v)) most = Math.max(most, v.length);
        walk(v);
      }
    }
  };
  walk(spec);
  return most;
}

function chartSizes(customers: number): number[] {
  const run = runAnalysis(
    { orders: readCsv(orders(customers), "orders.csv") },
    { lang: "en", today: Date.UTC(2026, 0, 1) / 86_400_000 },
  );
  const specs: unknown[] = run.output.sheets.flatMap((s) => s.charts.map((c) => c.vegaLite));
  for (const section of run.report.sections)
    for (const item of section.items) if (item.kind === "figure") specs.push(item.spec);
  expect(specs.length).toBeGreaterThan(5);
  return specs.map(longestValues);
}

describe("charts from aggregates", () => {
  it("no chart's data grows with the number of customers", () => {
    const small = chartSizes(2_000);
    const large = chartSizes(20_000);
    expect(Math.max(...large)).toBeLessThanOrEqual(250);
    expect(large.length).toBe(small.length);
    // the same charts, data no longer than a handful of points more (curves thinned to ~200)
    large.forEach((n, i) => expect(n).toBeLessThanOrEqual(small[i] + 5));
  }, 120_000);
});
