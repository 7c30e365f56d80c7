/**
 * Damaged and hostile .xlsx files: each is refused with a message that names the file (and
 * the sheet and cell where there is one), or read as what the file says.
 */
import ExcelJS from "exceljs";
import { deflateRawSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readWorkbook, pickInputTables } from "../../analysis/node/xlsx-read.js";
import {
  checkWorkbookSize,
  MAX_PART_BYTES,
  MAX_WORKBOOK_BYTES,
} from "../../analysis/node/xlsx-guard.js";
import { entryData, zipEntries, ZipWriter } from "../../analysis/node/zip.js";
import { UnusableInputError } from "../../analysis/errors.js";
import { t } from "../../analysis/messages/index.js";

async function orders(opts: { table?: boolean; sheetName?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheetName ?? "Orders");
  const rows = [
    ["SO1", "C1", new Date(Date.UTC(2024, 0, 5)), 100],
    ["SO2", "C2", new Date(Date.UTC(2024, 0, 6)), 200],
  ];
  if (opts.table) {
    ws.addTable({
      name: "Orders",
      ref: "A1",
      headerRow: true,
      columns: [
        { name: "Order ID" },
        { name: "Customer ID" },
        { name: "Date" },
        { name: "Amount" },
      ],
      rows,
    });
  } else {
    ws.addRow(["Order ID", "Customer ID", "Date", "Amount"]);
    for (const r of rows) ws.addRow(r);
    ws.getColumn(3).numFmt = "yyyy-mm-dd";
  }
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** The package with some parts' text changed. */
async function repack(
  buf: Buffer,
  edits: Record<string, (xml: string) => string>,
): Promise<Buffer> {
  const z = new ZipWriter();
  for (const e of zipEntries(buf)) {
    const edit = edits[e.name];
    if (edit) await z.add(e.name, edit(entryData(buf, e).toString("utf8")));
    else z.copy(buf, e);
  }
  return z.finish();
}

/** The message of the UnusableInputError a read fails with, in English. */
async function failure(p: Promise<unknown>): Promise<{ key: string; text: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UnusableInputError);
    const err = e as UnusableInputError;
    return { key: err.msg.key, text: t("en", err.msg) };
  }
  throw new Error("expected the read to fail");
}

const SHEET = "xl/worksheets/sheet1.xml";

describe("cells exceljs misread", () => {
  it('reads an ISO date cell (t="d") as that date, not as serial 2024', async () => {
    const buf = await repack(await orders(), {
      [SHEET]: (x) => x.replace(/<c r="C2"[^>]*>.*?<\/c>/, '<c r="C2" t="d"><v>2024-03-05</v></c>'),
    });
    const wb = await readWorkbook(buf, "orders.xlsx");
    const rows = pickInputTables(wb).orders!.rows;
    expect(rows[0][2]).toEqual(new Date(Date.UTC(2024, 2, 5)));
    expect(rows[1][2]).toEqual(new Date(Date.UTC(2024, 0, 6)));
  });

  it('keeps a t="d" cell that is not an ISO date as its text', async () => {
    const buf = await repack(await orders(), {
      [SHEET]: (x) => x.replace(/<c r="C2"[^>]*>.*?<\/c>/, '<c r="C2" t="d"><v>2024-02-30</v></c>'),
    });
    const rows = pickInputTables(await readWorkbook(buf, "orders.xlsx")).orders!.rows;
    expect(rows[0][2]).toBe("2024-02-30");
  });

  it("refuses a shared-text index past the table, naming file, sheet and cell", async () => {
    const good = await orders();
    const buf = await repack(good, {
      [SHEET]: (x) =>
        x.replace(/<c r="B2"([^>]*)t="s"([^>]*)><v>\d+<\/v>/, '<c r="B2"$1t="s"$2><v>99</v>'),
    });
    expect(
      entryData(
        buf,
        zipEntries(buf).find((e) => e.name === SHEET)!,
      ).toString(),
    ).toContain("<v>99</v>");
    const f = await failure(readWorkbook(buf, "orders.xlsx"));
    expect(f.key).toBe("reading.badSharedString");
    expect(f.text).toContain("“orders.xlsx”, sheet “Orders”, cell B2");
    expect(f.text).toContain("entry 99");
  });

  it("refuses shared-text cells when the workbook has no list of texts", async () => {
    const good = await orders();
    const z = new ZipWriter();
    for (const e of zipEntries(good)) if (e.name !== "xl/sharedStrings.xml") z.copy(good, e);
    const f = await failure(readWorkbook(z.finish(), "orders.xlsx"));
    expect(f.key).toBe("reading.badSharedString");
    expect(f.text).toContain("cell A1");
  });
});

describe("damaged workbooks", () => {
  it("a table whose range is broken: a message naming file, sheet and table, no stack", async () => {
    const buf = await repack(await orders({ table: true }), {
      "xl/tables/table1.xml": (x) => x.replace(/ref="[^"]*"/g, 'ref="ZZZZ0:A"'),
    });
    const f = await failure(readWorkbook(buf, "orders.xlsx"));
    expect(f.key).toBe("reading.badTableRef");
    expect(f.text).toBe(
      "“orders.xlsx”, sheet “Orders”: the table “Orders” covers “ZZZZ0:A”, which is not a range of cells. The file is damaged: open it in Excel and save it again.",
    );
  });

  it("a sheet part that is no worksheet ('sheetNo'): damaged, named by file", async () => {
    const buf = await repack(await orders(), { [SHEET]: () => "<nothing/>" });
    const f = await failure(readWorkbook(buf, "orders.xlsx"));
    expect(f.key).toBe("reading.damagedWorkbook");
    expect(f.text).not.toMatch(/sheetNo|undefined/);
    expect(f.text).toContain("“orders.xlsx”");
  });

  it("names the file by its name, not 'workbook'", async () => {
    const f = await failure(readWorkbook(Buffer.from("not a zip"), "客户名单.xlsx"));
    expect(f.key).toBe("reading.notAWorkbook");
    expect(f.text).toContain("“客户名单.xlsx”");
  });

  it("exceljs's warnings do not reach the terminal before our message", async () => {
    const warn = vi.spyOn(console, "warn");
    // Excel never writes a sheet name past 31 characters; exceljs warns twice, then fails
    const buf = await repack(await orders(), {
      "xl/workbook.xml": (x) => x.replace(/name="Orders"/, `name="${"O".repeat(40)}"`),
    });
    const f = await failure(readWorkbook(buf, "orders.xlsx"));
    expect(f.key).toBe("reading.damagedWorkbook");
    expect(warn).not.toHaveBeenCalled();
  });
  afterEach(() => vi.restoreAllMocks());
});

describe("zip bombs", () => {
  it("states the limits", () => {
    expect(MAX_WORKBOOK_BYTES).toBe(1_000_000_000);
    expect(MAX_PART_BYTES).toBe(500_000_000);
  });

  /** A package with one part of `size` zero bytes that declares `declared` bytes. */
  function bomb(size: number, declared: number): Buffer {
    const data = deflateRawSync(Buffer.alloc(size));
    const name = Buffer.from("xl/worksheets/sheet1.xml");
    // a hand-made stored entry: local header, data, central directory, end record
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + name.length, 12);
    end.writeUInt32LE(30 + name.length + data.length, 16);
    return Buffer.concat([local, name, data, central, name, end]);
  }

  it("refuses a part whose declared size passes the limit, before inflating", async () => {
    const f = await failure(
      checkWorkbookSize(bomb(1000, 5_000_000), "big.xlsx", { workbook: 8e6, part: 4e6 }),
    );
    expect(f.key).toBe("reading.workbookPartTooLarge");
    expect(f.text).toContain("larger than 4 MB once decompressed");
    expect(f.text).toContain("“big.xlsx”");
  });

  it("refuses a workbook that passes the limit in all", async () => {
    const f = await failure(
      checkWorkbookSize(bomb(1000, 3_500_000), "big.xlsx", { workbook: 3e6, part: 4e6 }),
    );
    expect(f.key).toBe("reading.workbookTooLarge");
    expect(f.text).toContain("“big.xlsx” is larger than 3 MB once decompressed");
  });

  it("readWorkbook refuses a part declared past 500 MB", async () => {
    const f = await failure(readWorkbook(bomb(1000, 600_000_000), "big.xlsx"));
    expect(f.key).toBe("reading.workbookPartTooLarge");
    expect(f.text).toContain("larger than 500 MB");
  });

  it("stops inflating a part that lies about its size (a bomb)", async () => {
    // 50 MB of zeros in ~50 kB that claim to be 100 bytes
    const f = await failure(readWorkbook(bomb(50_000_000, 100), "bomb.xlsx"));
    expect(f.key).toBe("reading.damagedWorkbookPart");
    expect(f.text).toContain("“bomb.xlsx” is damaged: its part “xl/worksheets/sheet1.xml”");
  });

  it("reads a normal workbook", async () => {
    await expect(checkWorkbookSize(await orders(), "ok.xlsx")).resolves.toBeUndefined();
  });
});
