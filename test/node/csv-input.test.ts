/**
 * Hostile CSV input (issue 16, items 7, 11 and 13): encodings that must be guessed (and said to
 * be), bytes that are not valid in the file's encoding inside IDs, quotes that swallow lines,
 * a field of megabytes. Each gives a data issue naming the file, row and column.
 */
import { describe, expect, it } from "vitest";
import type { Issue } from "../../analysis/types.js";
import { decodeText, readCsv } from "../../analysis/node/csv.js";
import { decodeBytes } from "../../analysis/node/encoding.js";
import { MAX_ISSUE_VALUE, MAX_TEXT_LENGTH, readDataset } from "../../analysis/clean.js";
import { makeSettings } from "../../analysis/settings.js";
import { dayFromYmd } from "../../analysis/dates.js";
import { t } from "../../analysis/messages/index.js";
import { UnusableInputError } from "../../analysis/errors.js";
import { runAnalysis } from "../../analysis/index.js";

const TODAY = dayFromYmd(2026, 12, 6);
const settings = makeSettings();
const brief = (issues: Issue[]): [string, number, string, string, string][] =>
  issues.map((i) => [i.source, i.row, i.column, i.reason.key, i.severity]);
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const read = (bytes: Uint8Array, name = "orders.csv") =>
  readDataset({ orders: readCsv(bytes, name), today: TODAY }, settings);

describe("encodings", () => {
  const text = "Customer ID,Name,Date,Amount\nK1,Müller,2024-01-05,10\nK2,Gauß,2024-01-06,20\n";

  it("Latin-1 is read as Windows-1252, not GBK, with a warning naming the guess", () => {
    const bytes = latin1(text);
    expect(decodeText(bytes)).toBe(text);
    expect(decodeBytes(bytes)).toMatchObject({ encoding: "windows-1252", guessed: true });
    const src = readCsv(bytes, "kunden.csv");
    expect(src.text(0, 1)).toBe("Müller");
    const ds = readDataset({ orders: src, today: TODAY }, settings);
    expect(brief(ds.issues)).toEqual([
      ["kunden.csv", 0, "", "reading.encodingGuessed.windows-1252", "warning"],
    ]);
    expect(t("en", ds.issues[0].reason)).toContain("read as Windows-1252");
    const run = runAnalysis({ orders: readCsv(bytes, "kunden.csv") }, { lang: "en", today: TODAY });
    expect(run.summary.counts.warnings_by_reason).toEqual({
      "reading.encodingGuessed.windows-1252": 1,
    });
  });

  it("GBK stays GB18030, now with a warning", () => {
    const gbk = Buffer.from([
      ...Buffer.from("Customer ID,Date,Amount\n"),
      ...[0xd5, 0xc5, 0xc8, 0xfd], // 张三
      ...Buffer.from(",2024-01-05,10\n"),
    ]);
    expect(decodeText(gbk)).toBe("Customer ID,Date,Amount\n张三,2024-01-05,10\n");
    const ds = read(gbk);
    expect(ds.customerIds).toEqual(["张三"]);
    expect(brief(ds.issues)).toEqual([
      ["orders.csv", 0, "", "reading.encodingGuessed.gb18030", "warning"],
    ]);
  });

  it("UTF-16 without a BOM is found from its zero bytes, both byte orders", () => {
    const zh = "客户编号,日期,金额\n张三,2024-01-05,10\nK2,2024-01-06,20\n";
    const le = Buffer.from(zh, "utf16le");
    const be = Buffer.from(le).swap16();
    for (const [bytes, enc] of [
      [le, "utf-16le"],
      [be, "utf-16be"],
    ] as const) {
      expect(decodeText(bytes)).toBe(zh);
      const ds = read(bytes);
      expect(ds.customerIds).toEqual(["张三", "K2"]);
      expect(brief(ds.issues)).toEqual([
        ["orders.csv", 0, "", `reading.encodingGuessed.${enc}`, "warning"],
      ]);
    }
  });

  it("UTF-8 with a BOM or valid without one: no warning", () => {
    expect(read(Buffer.from(`\ufeff${text}`)).issues).toEqual([]);
    expect(read(Buffer.from(text)).issues).toEqual([]);
  });

  it("an invalid byte inside an ID of a UTF-8 file is reported, not a new customer", () => {
    const lines = ["客户编号,客户名称,日期,金额"];
    for (let i = 0; i < 40; i++)
      lines.push(`K${i % 4},北京贸易有限公司,2024-01-0${1 + (i % 9)},10`);
    const good = Buffer.from(lines.join("\n") + "\n");
    const bad = Buffer.concat([
      good,
      Buffer.from("K"),
      Buffer.from([0xff]),
      Buffer.from("1,某,2024-02-01,5\n"),
    ]);
    const ds = read(bad);
    expect(ds.customerIds).toEqual(["K0", "K1", "K2", "K3"]);
    expect(brief(ds.issues)).toEqual([
      ["orders.csv", 0, "", "reading.invalidUtf8", "warning"],
      ["orders.csv", 42, "客户编号", "reading.badEncodingId", "skipped"],
    ]);
    expect(ds.issues[1].value).toBe("K\ufffd1");
    expect(t("zh", ds.issues[0].reason)).toContain("有 1 处无效字节");
  });

  it("headers with terminal escape codes are not echoed raw in the message", () => {
    const bytes = Buffer.from("\x1b[2J\x1b[31mKunde\x1b[0m,Datum\nK1,2024-01-05\n");
    let msg = "";
    try {
      read(bytes);
    } catch (e) {
      msg = t("en", (e as UnusableInputError).msg);
    }
    expect(msg).toContain("Headers found: Kunde, Datum.");
    expect(msg).not.toMatch(/\x1b/);
  });
});

describe("quotes that swallow lines", () => {
  const head = "Customer ID,Date,Amount\nK1,2024-01-05,10\n";
  it("a quote never closed: a warning at the row and column where it opened", () => {
    const tail = ['K2,2024-01-06,"20', "K3,2024-01-07,30", "K4,2024-01-08,40", ""].join("\n");
    const ds = read(Buffer.from(head + tail));
    expect(brief(ds.issues)).toEqual([
      ["orders.csv", 3, "Amount", "reading.unclosedQuote", "warning"],
      ["orders.csv", 3, "Amount", "reading.badAmount", "skipped"],
    ]);
    expect(t("en", ds.issues[0].reason)).toContain(
      "A quote opened in this cell (line 3 of the file) is never closed: the 2 lines after it",
    );
    expect(ds.customerIds).toEqual(["K1"]);
  });

  it("a quote closed only by a stray quote 30 lines below", () => {
    const rows = ['K2,2024-01-06,"20'];
    for (let i = 0; i < 30; i++) rows.push(`K${3 + i},2024-01-07,30`);
    rows.push('K99,2024-01-08,4"0', "K100,2024-01-09,50", "");
    const ds = read(Buffer.from(head + rows.join("\n")));
    expect(brief(ds.issues)[0]).toEqual([
      "orders.csv",
      3,
      "Amount",
      "reading.longQuote",
      "warning",
    ]);
    expect(ds.issues[0].reason.params).toMatchObject({ lines: 31, line: 3 });
    expect(ds.customerIds).toEqual(["K1", "K100"]);
  });

  it("a quote never closed in the header: the error's issues say so", () => {
    let err: UnusableInputError | null = null;
    try {
      read(Buffer.from('Customer ID,Date,"Amount\nK1,2024-01-05,10\nK2,2024-01-06,20\n'));
    } catch (e) {
      err = e as UnusableInputError;
    }
    expect(err?.msg.key).toBe("reading.missing.orders.amount");
    expect(brief(err?.issues ?? [])).toEqual([
      [
        "orders.csv",
        0,
        "Amount\nK1,2024-01-05,10\nK2,2024-01-06,20",
        "reading.unclosedQuote",
        "warning",
      ],
    ]);
    expect(err?.issues[0].reason.params).toMatchObject({ line: 1, lines: 2 });
  });

  it("a quoted note over a few lines is no issue", () => {
    const ds = read(Buffer.from('Customer ID,Date,Amount,Note\nK1,2024-01-05,10,"a\nb\nc"\n'));
    expect(ds.issues).toEqual([]);
  });
});

describe("a field of megabytes (item 7)", () => {
  it("a 5 MB ID is skipped with a clear issue, its value cut short", () => {
    const huge = "X".repeat(5_000_000);
    const ds = read(
      Buffer.from(`Customer ID,Date,Amount\nK1,2024-01-05,10\n${huge},2024-01-06,7\n`),
    );
    expect(brief(ds.issues)).toEqual([
      ["orders.csv", 3, "Customer ID", "reading.idTooLong", "skipped"],
    ]);
    expect(ds.issues[0].value).toBe(`${"X".repeat(MAX_ISSUE_VALUE)}…`);
    expect(ds.customerIds).toEqual(["K1"]);
  });
});

describe("decimal commas (item 13)", () => {
  it("a semicolon CSV with decimal commas is read with them, and says so", () => {
    const lines = [
      "Customer ID;Date;Amount;Cost",
      "K1;2024-01-05;1.234,56;100,5",
      "K2;2024-01-06;12,5;3",
      "K3;2024-01-07;7;",
    ];
    for (let i = 4; i < 12; i++) lines.push(`K${i};2024-01-08;${i},25;1`);
    lines.push("K99;2024-01-09;abc;1", "");
    const ds = read(Buffer.from(lines.join("\n")));
    expect([...ds.orders.amount].slice(0, 4)).toEqual([1234.56, 12.5, 7, 4.25]);
    expect([...(ds.orders.cost ?? [])].slice(0, 3)).toEqual([100.5, 3, 0]);
    expect(brief(ds.issues)).toEqual([
      ["orders.csv", 0, "Amount", "reading.decimalCommaAssumed", "warning"],
      ["orders.csv", 4, "Cost", "reading.badCost", "warning"],
      ["orders.csv", 13, "Amount", "reading.badAmount", "skipped"],
    ]);
    expect(t("en", ds.issues[0].reason)).toBe(
      "Column “Amount”: numbers like 1.234,56 or 12,5 are written with a decimal comma; the order table's numbers were read that way",
    );
  });

  it("decimal points with thousands commas are not taken for decimal commas", () => {
    const csv =
      'Customer ID,Date,Amount\nK1,2024-01-05,"1,234.50"\nK2,2024-01-06,"1,234"\nK3,2024-01-07,12\n';
    const ds = read(Buffer.from(csv));
    expect([...ds.orders.amount]).toEqual([1234.5, 1234, 12]);
    expect(ds.issues).toEqual([]);
  });

  it("quantity and unit price with decimal commas", () => {
    const csv = "Customer ID;Date;Quantity;Unit price\nK1;2024-01-05;2;1,5\nK2;2024-01-06;3;2,25\n";
    const ds = read(Buffer.from(csv));
    expect([...ds.orders.amount]).toEqual([3, 6.75]);
    expect(brief(ds.issues)[0][3]).toBe("reading.decimalCommaAssumed");
  });
});

describe("long text cells (item 7)", () => {
  it("a 1 MB customer name is cut to 32,767 characters with a warning naming the cell", () => {
    const name = "N".repeat(1_000_000);
    const customers = readCsv(
      Buffer.from(`Customer ID,Name\nK1,${name}\nK2,Short\n`),
      "customers.csv",
    );
    const orders = readCsv(
      Buffer.from("Customer ID,Date,Amount\nK1,2024-01-05,10\n"),
      "orders.csv",
    );
    const ds = readDataset({ orders, customers, today: TODAY }, settings);
    expect(ds.records.map((c) => c?.name.length)).toEqual([MAX_TEXT_LENGTH, 5]);
    expect(brief(ds.issues)).toEqual([
      ["customers.csv", 2, "Name", "reading.textTooLong", "warning"],
    ]);
    expect(t("en", ds.issues[0].reason)).toBe(
      "Text longer than 32,767 characters (Excel's limit for a cell); only the first 32,767 were kept",
    );
  });
});
