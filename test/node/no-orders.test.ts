/** A workbook without an orders table: the message lists the headers the run did find. */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { NotebookError, runNotebook } from "../../analysis/node/notebook.js";
import { t } from "../../analysis/messages/index.js";

const dir = mkdtempSync(join(tmpdir(), "crm-no-orders-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("no orders table", () => {
  it("names the file and lists each table's headers, in both languages", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Kunden");
    ws.addRow(["Name", "Stadt", "Telefon"]);
    ws.addRow(["Müller", "Berlin", "030"]);
    const path = join(dir, "kunden.xlsx");
    await wb.xlsx.writeFile(path);
    const err = await runNotebook({
      input: path,
      outDir: join(dir, "out"),
      lang: "en",
      outputs: ["json"],
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotebookError);
    const msg = (err as NotebookError).msg;
    expect(t("en", msg)).toBe(
      "No orders table found in kunden.xlsx: name a table or sheet “Orders” / “订单”, or give it a header row with customer ID, date and amount. Headers found: Kunden: Name, Stadt, Telefon.",
    );
    expect(t("zh", msg)).toContain("现有表头：Kunden: Name, Stadt, Telefon。");
  });
});
