/**
 * An .xlsx whose date column holds a serial past Excel's last day (2958466, "10000-01-01" to
 * exceljs) or a typo in the future: data issues, and the as-of date and analysis.xlsx stay
 * sane (issue 16, item 10: the as-of date was "10000-01-01" and <v>NaN</v> was written).
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { runNotebook } from "../../analysis/node/notebook.js";

const dir = mkdtempSync(join(tmpdir(), "crm-xlsx-dates-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("out-of-range dates in a workbook", () => {
  it("a serial past 9999-12-31 and a 2099 typo are data issues; as-of is the latest real date", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Orders");
    ws.addRow(["Customer ID", "Date", "Amount"]);
    for (let i = 0; i < 12; i++) ws.addRow([`K${i % 4}`, 45_000 + i * 7, 100 + i]);
    ws.addRow(["K9", 2_958_466, 50]);
    ws.addRow(["K8", "2099-06-01", 50]);
    ws.getColumn(2).numFmt = "yyyy-mm-dd";
    const path = join(dir, "orders.xlsx");
    await wb.xlsx.writeFile(path);
    const out = join(dir, "out");
    const { run } = await runNotebook({
      input: path,
      outDir: out,
      lang: "en",
      outputs: ["json", "xlsx", "csv"],
    });
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.as_of).toBe("2023-05-31");
    expect(run.issues.map((i) => [i.row, i.column, i.reason.key])).toEqual([
      [14, "Date", "reading.badDate"],
      [15, "Date", "reading.futureDate"],
    ]);
    expect(run.analysis.customers.map((c) => c.id)).toEqual(["K0", "K1", "K2", "K3"]);
    // analysis.xlsx: no NaN and no date past 9999 in the sheets the run wrote (the input's
    // Orders sheet is copied as the user wrote it, serial 2958466 included)
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(join(out, "analysis.xlsx"));
    const bad: string[] = [];
    const written = back.worksheets.filter((s) => s.name !== "Orders");
    expect(written.length).toBeGreaterThan(3);
    written.forEach((s) =>
      s.eachRow((row, r) =>
        row.eachCell((cell, c) => {
          const v = cell.value;
          if (typeof v === "number" && !Number.isFinite(v)) bad.push(`${s.name}!${r}:${c}`);
          if (v instanceof Date && !(v.getUTCFullYear() < 10000)) bad.push(`${s.name}!${r}:${c}`);
        }),
      ),
    );
    expect(bad).toEqual([]);
  }, 60_000);
});
