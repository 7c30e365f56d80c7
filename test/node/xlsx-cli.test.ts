/**
 * Damaged workbooks through `crm analyze`: exit 1, one line naming the file by its name (not
 * "workbook"), no stack, nothing of exceljs's printed before it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../analysis/node/cli.js";

const dir = mkdtempSync(join(tmpdir(), "crm-xlsx-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; err: string }> {
  let err = "";
  const code = await main(args, { out: () => {}, err: (s) => void (err += s), env: {} });
  return { code, err };
}

describe("crm analyze on an unreadable .xlsx", () => {
  it("names the file by its name, exit 1, no stack", async () => {
    const file = join(dir, "客户订单.xlsx");
    writeFileSync(file, "this is not a workbook");
    const r = await run(["analyze", file, "--out", join(dir, "out"), "--lang", "en", "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "crm: “客户订单.xlsx” is not an Excel workbook (.xlsx): it is not the compressed package an .xlsx is. If it is a CSV or an old .xls file, save it as .xlsx or CSV and try again.\n",
    );
  });

  it("a --customers workbook is named by its name too", async () => {
    const orders = join(dir, "orders.csv");
    writeFileSync(orders, "order_id,customer_id,date,amount\nA1,C1,2024-01-05,10\n");
    const customers = join(dir, "名单.xlsx");
    writeFileSync(customers, "PK\u0003\u0004 broken");
    const r = await run([
      "analyze",
      orders,
      "--customers",
      customers,
      "--out",
      join(dir, "out2"),
      "--lang",
      "zh",
      "--quiet",
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("“名单.xlsx”");
    expect(r.err).not.toMatch(/workbook”|at \w+ \(/);
  });
});
