/**
 * `crm analyze --summary FILE` (summary-file.ts): a per-customer summary made elsewhere is read
 * back only when each row could have come from the SQL — values in range, days and counts that
 * fit each other and the as-of date — and otherwise stops naming the file, row and customer.
 * Parquet files are read through DuckDB: their 64-bit IDs keep every digit, their rows are
 * named as the CSV form's, and a name with glob characters is read as that one file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { readSummaryDataset, SUMMARY_COLUMNS } from "../../analysis/node/summary-file.js";
import { main } from "../../analysis/node/cli.js";
import { openDuckDb, closeDuckDb, pathLiteral } from "../../analysis/node/engine-duckdb.js";
import { quoteText } from "../../analysis/sql/aggregate.js";
import { makeSettings } from "../../analysis/settings.js";
import { dayFromIso } from "../../analysis/dates.js";
import { isUnusableInputError } from "../../analysis/errors.js";
import { t } from "../../analysis/messages/index.js";
import type { Lang } from "../../analysis/types.js";

const AS_OF = "2024-06-30";

/** Customer A: three purchase days up to the as-of date; B: a first purchase after it only. */
const A: Record<string, string> = {
  customer_id: "A",
  first_row: "1",
  rows: "3",
  first_purchase: "2024-01-05",
  last_purchase: "2024-03-01",
  orders: "3",
  amount: "120",
  cost: "",
  rev_recent: "120",
  rev_previous: "0",
  rev_90d: "0",
  rev_prev_90d: "80",
  median_gap: "28",
  tx_first_day: "2024-01-05",
  tx_days: "3",
  tx_last_day: "2024-03-01",
  tx_total: "120",
  tx_first_spend: "40",
  holdout_days: "0",
};
const B: Record<string, string> = {
  ...A,
  customer_id: "B",
  first_row: "4",
  rows: "0",
  first_purchase: "",
  last_purchase: "",
  orders: "0",
  amount: "0",
  rev_recent: "0",
  rev_prev_90d: "0",
  median_gap: "",
  tx_first_day: "2024-07-10",
  tx_days: "0",
  tx_last_day: "",
  tx_total: "0",
  tx_first_spend: "25",
  holdout_days: "1",
};

/** Customer C: as A, another ID. */
const C: Record<string, string> = { ...A, customer_id: "C", first_row: "5" };

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "crm-summary-file-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csvOf(name: string, rows: Record<string, string>[]): string {
  const path = join(dir, name);
  const lines = rows.map((r) => SUMMARY_COLUMNS.map((c) => r[c] ?? "").join(","));
  writeFileSync(path, [SUMMARY_COLUMNS.join(","), ...lines].join("\n") + "\n");
  return path;
}

const read = (path: string, lang: Lang = "en", asOf = AS_OF) =>
  readSummaryDataset(
    { path, lang, today: dayFromIso("2026-12-06") },
    {
      ...makeSettings(),
      asOf: dayFromIso(asOf),
    },
  );

/** The message a read stops with (in lang), or null when it reads. */
async function refusal(path: string, lang: Lang = "en", asOf = AS_OF): Promise<string | null> {
  try {
    await read(path, lang, asOf);
    return null;
  } catch (e) {
    if (!isUnusableInputError(e)) throw e;
    return t(lang, e.msg);
  }
}

describe("--summary: rows the SQL could have made, and no others", () => {
  it("reads a consistent summary, a holdout-only customer included", async () => {
    const ds = await read(csvOf("ok.csv", [A, B]));
    expect(ds.customerIds).toEqual(["A", "B"]);
    const s = ds.summary!;
    expect(Array.from(s.txDays)).toEqual([3, 0]);
    expect(s.txFirstDay[1]).toBe(dayFromIso("2024-07-10"));
    expect(Array.from(s.txFirstSpend)).toEqual([40, 25]);
  });

  // each edit of A, the message naming what is wrong (row 2: the CSV's first data line)
  const cases: [string, Record<string, string>, string][] = [
    [
      "a purchase after the as-of date (the SQL was run at another date)",
      { last_purchase: "2024-07-01", tx_last_day: "2024-07-01" },
      "last_purchase 2024-07-01 is after the as-of date 2024-06-30",
    ],
    [
      "the first purchase after the last",
      { first_purchase: "2024-03-02" },
      "first_purchase 2024-03-02 is after last_purchase 2024-03-01",
    ],
    [
      "a last purchase without a first",
      { first_purchase: "" },
      "last_purchase is given but first_purchase is empty",
    ],
    [
      "more purchase days than days between the first and the last",
      { tx_days: "2", tx_last_day: "2024-01-05", last_purchase: "2024-01-05" },
      "tx_days is 2, which does not fit the days from tx_first_day 2024-01-05 to tx_last_day 2024-01-05",
    ],
    [
      "tx_first_day apart from first_purchase",
      { tx_first_day: "2024-01-04" },
      "tx_first_day 2024-01-04 differs from first_purchase 2024-01-05",
    ],
    [
      "no purchase days, yet a purchase by the as-of date",
      { tx_days: "0" },
      "tx_days is 0, yet there is a purchase on or before the as-of date 2024-06-30",
    ],
    [
      "a negative sum of purchases",
      { tx_total: "-5", tx_first_spend: "0" },
      "tx_total is -5, below zero",
    ],
    [
      "the first day's spend above the total",
      { tx_first_spend: "130" },
      "tx_first_spend 130 is more than tx_total 120, which includes it",
    ],
  ];
  for (const [what, edit, says] of cases)
    it(`refuses ${what}`, async () => {
      const m = await refusal(csvOf("bad.csv", [B, { ...A, ...edit }]));
      expect(m).toContain("“bad.csv”, row 3 (customer “A”): ");
      expect(m).toContain(says);
      expect(m).toContain("computed at another --as-of date, or edited?");
    });

  it("the SQL's summary read at an earlier as-of date says so, not a failed fit", async () => {
    const m = await refusal(csvOf("early.csv", [A, B]), "zh", "2024-02-01");
    expect(m).toBe(
      "“early.csv”第 2 行（客户“A”）：last_purchase 为 2024-03-01，晚于截止日期 2024-02-01。crm sql 生成的汇总不会这样：是否用了另一个 --as-of 日期计算，或被改动过？",
    );
  });

  it("values out of range are named with the range", async () => {
    expect(await refusal(csvOf("far.csv", [{ ...A, first_purchase: "99999999" }]))).toBe(
      "“far.csv”, row 2, column “first_purchase”: “99999999” is not a date from 1900-01-01 to 9999-12-31 (YYYY-MM-DD, or its day number counted from 1970-01-01).",
    );
    expect(await refusal(csvOf("huge.csv", [{ ...A, amount: "1e308" }]))).toBe(
      "“huge.csv”, row 2, column “amount”: “1e308” is not a number within ±10^18.",
    );
    expect(await refusal(csvOf("neg.csv", [A, { ...B, orders: "-3" }]), "zh")).toBe(
      "“neg.csv”第 3 行“orders”列：“-3”不是非负整数。",
    );
  });
});

describe("--summary FOLDER: one summary in parts, as Spark and warehouse exports write it", () => {
  /** A folder holding the given files (name → text). */
  function folderOf(name: string, files: Record<string, string>): string {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(folder, f), text);
    return folder;
  }
  const csvText = (rows: Record<string, string>[], columns: readonly string[] = SUMMARY_COLUMNS) =>
    [columns.join(","), ...rows.map((r) => columns.map((c) => r[c] ?? "").join(","))].join("\n") +
    "\n";

  it("reads every part in name order, leaving out the writer's own _ and . files", async () => {
    const folder = folderOf("parts.csv", {
      "part-00001-x-c000.csv": csvText([C]),
      "part-00000-x-c000.csv": csvText([B, A]),
      "part-00002-x-c000.csv": "", // an empty partition
      "part-00003-x-c000.csv": csvText([]), // a header only
      _SUCCESS: "",
      ".part-00000-x-c000.csv.crc": "binary",
    });
    const ds = await read(folder);
    expect(ds.customerIds).toEqual(["B", "A", "C"]);
    expect(Array.from(ds.summary!.txDays)).toEqual([0, 3, 3]);
  });

  it("a customer unknown to the Customers table is named by its part and row", async () => {
    const folder = folderOf("known.csv", {
      "part-0.csv": csvText([A]),
      "part-1.csv": csvText([B, C]),
    });
    const ds = await readSummaryDataset(
      {
        path: folder,
        lang: "en",
        today: dayFromIso("2026-12-06"),
        customers: {
          source: "Customers",
          headerRow: 1,
          firstColumn: 1,
          headers: ["Customer ID"],
          rows: [["A"], ["B"]],
        },
      },
      { ...makeSettings(), asOf: dayFromIso(AS_OF) },
    );
    const unknown = ds.issues.filter((i) => i.reason.key === "reading.unknownCustomer");
    expect(unknown.map((i) => [i.source, i.row, i.value])).toEqual([
      ["known.csv/part-1.csv", 3, "C"],
    ]);
  });

  it("a bad row is named by its part and the row within it", async () => {
    const folder = folderOf("late-part.csv", {
      "part-0.csv": csvText([B]),
      "part-1.csv": csvText([C, { ...A, last_purchase: "2024-07-01" }]),
    });
    expect(await refusal(folder)).toContain("“late-part.csv/part-1.csv”, row 3 (customer “A”)");
    const dup = folderOf("dup.csv", { "part-0.csv": csvText([B, A]), "part-1.csv": csvText([A]) });
    expect(await refusal(dup)).toBe(
      "Customer “A” is listed twice, in “dup.csv/part-0.csv” row 3 and in “dup.csv/part-1.csv” row 2; a summary has one row per customer.",
    );
    expect(await refusal(dup, "zh")).toBe(
      "客户“A”出现了两次：“dup.csv/part-0.csv”第 3 行和“dup.csv/part-1.csv”第 2 行；汇总中每位客户只能有一行。",
    );
  });

  it("parts in another column order are read by name; other columns are refused", async () => {
    const reordered = [...SUMMARY_COLUMNS].reverse();
    const folder = folderOf("order.csv", {
      "part-0.csv": csvText([A]),
      "part-1.csv": csvText([B], reordered),
    });
    expect((await read(folder)).customerIds).toEqual(["A", "B"]);
    const other = folderOf("other-cols.csv", {
      "part-0.csv": csvText([A]),
      "part-1.csv": csvText([B], SUMMARY_COLUMNS.slice(0, -1)),
    });
    expect(await refusal(other)).toBe(
      `“other-cols.csv/part-1.csv” has the columns ${SUMMARY_COLUMNS.slice(0, -1).join(", ")}, unlike “other-cols.csv/part-0.csv” (${SUMMARY_COLUMNS.join(", ")}): the parts of one table have the same columns.`,
    );
  });

  it("no part is ever left out: another file, a folder inside, or a mix of kinds stops the run", async () => {
    const gz = folderOf("gz", { "part-0.csv": csvText([A]), "part-1.csv.gz": "x" });
    expect(await refusal(gz)).toBe(
      `The folder ${gz} holds “part-1.csv.gz”, which is neither a .parquet nor a .csv file. A folder is read as one table in parts, each of its files a part (names starting with _ or . excepted), and a table missing a part would be wrong: move “part-1.csv.gz” out, or unpack it.`,
    );
    const sub = folderOf("sub", { "part-0.csv": csvText([A]) });
    mkdirSync(join(sub, "day=2024-01-01"));
    expect(await refusal(sub)).toBe(
      `The folder ${sub} holds a folder, “day=2024-01-01”. A folder is read as one table of part files; a table split into folders (such as day=2024-01-01) is not read, lest a folder be left out. Write the table out as plain Parquet parts, or give one of its folders.`,
    );
    const mixed = folderOf("mixed", { "a.csv": csvText([A]), "b.parquet": "PAR1" });
    expect(await refusal(mixed, "zh")).toBe(
      `文件夹 ${mixed} 中既有 Parquet 文件也有 CSV 文件（“b.parquet”、“a.csv”）：同一张表的各部分应为同一种格式。`,
    );
    const empty = folderOf("empty", { _SUCCESS: "" });
    expect(await refusal(empty)).toBe(
      `The folder ${empty} holds no .parquet or .csv file to read as a table in parts (names starting with _ or . are the writer’s own and are not read): give a file, or a folder of parts.`,
    );
    const blank = folderOf("blank", { "part-0.csv": "", "part-1.csv": csvText([]) });
    expect(await refusal(blank)).toBe("“blank” holds no customers.");
  });

  it("crm analyze --summary FOLDER writes nothing into the folder, whose every file is a part", async () => {
    const folder = folderOf("cli-parts", {
      "part-0.csv": csvText([A]),
      "part-1.csv": csvText([B]),
    });
    const before = readdirSync(folder).sort();
    const crm = async (...argv: string[]) => {
      let out = "";
      let err = "";
      const code = await main(argv, { out: (x) => (out += x), err: (x) => (err += x), env: {} });
      return { code, out, err };
    };
    const args = ["analyze", "--summary", folder, "--as-of", AS_OF, "--lang", "en", "-q"];
    for (const out of [folder, join(folder, "results")]) {
      const r = await crm(...args, "--out", out);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        `--out ${out} is inside the input folder ${folder}, whose every file is read as a part: choose an output folder outside it.`,
      );
    }
    expect(readdirSync(folder).sort()).toEqual(before);
    const outside = join(dir, "cli-parts-out");
    const ok = await crm(...args, "--out", outside, "--outputs", "csv");
    expect(ok.err).toBe("");
    expect(ok.code).toBe(0);
    const ids = readFileSync(join(outside, "customers.csv"), "utf8")
      .split("\n")
      .slice(1, 3)
      .map((l) => l.split(",")[0]);
    expect(ids).toEqual(["A", "B"]);
  });

  it.skipIf(process.platform === "win32")("neither a file nor a folder is named so", async () => {
    const fifo = join(dir, "pipe.csv");
    execFileSync("mkfifo", [fifo]);
    expect(await refusal(fifo)).toBe(
      `${fifo} is neither a file nor a folder: give the summary's .parquet or .csv file, or the folder of its parts.`,
    );
  });
});

describe("--summary from Parquet", () => {
  /** A Parquet copy of a CSV summary, with the customer IDs in the given SQL expression (COPY's
   * target is a plain path, its source a pattern). */
  async function parquetOf(name: string, csv: string, id = "customer_id"): Promise<string> {
    const path = join(dir, name);
    const con = await openDuckDb("test", "parquet");
    try {
      await con.run(
        `COPY (SELECT * REPLACE (${id} AS customer_id) FROM read_csv(${pathLiteral(csv)}, header = true, all_varchar = true)) TO ${quoteText(path)} (FORMAT parquet)`,
      );
    } finally {
      closeDuckDb(con);
    }
    return path;
  }

  it("64-bit customer IDs keep every digit", async () => {
    const csv = csvOf("ids.csv", [A, B]);
    const pq = await parquetOf(
      "ids.parquet",
      csv,
      "CASE customer_id WHEN 'A' THEN 1234567890123456789 ELSE 1234567890123456790 END",
    );
    const ds = await read(pq);
    expect(ds.customerIds).toEqual(["1234567890123456789", "1234567890123456790"]);
  });

  it("rows are named as in the CSV form of the same summary (and as the orders' Parquet rows)", async () => {
    const csv = csvOf("late.csv", [B, { ...A, last_purchase: "2024-07-01" }]);
    expect(await refusal(csv)).toContain("“late.csv”, row 3 (customer “A”)");
    const m = await refusal(await parquetOf("late.parquet", csv));
    expect(m).toContain("“late.parquet”, row 3 (customer “A”)");
  });

  it("a folder of Parquet parts is read whole, a damaged part named", async () => {
    const folder = join(dir, "pq-parts.parquet");
    mkdirSync(folder);
    const one = csvOf("p0.csv", [B]);
    const two = csvOf("p1.csv", [C, { ...A, first_row: "9" }]);
    await parquetOf(join("pq-parts.parquet", "part-00000.snappy.parquet"), one);
    await parquetOf(join("pq-parts.parquet", "part-00001.snappy.parquet"), two);
    writeFileSync(join(folder, "_SUCCESS"), "");
    const ds = await read(folder);
    expect(ds.customerIds).toEqual(["B", "C", "A"]);
    expect(Array.from(ds.summary!.txDays)).toEqual([0, 3, 3]);
    writeFileSync(join(folder, "part-00002.snappy.parquet"), "PAR1 cut short");
    expect(await refusal(folder)).toMatch(
      /^“pq-parts\.parquet\/part-00002\.snappy\.parquet” cannot be read: /,
    );
  });

  it("a name with glob characters reads that file, not the files it would match", async () => {
    const one = csvOf("one.csv", [A]);
    const two = csvOf("two.csv", [A, B]);
    await parquetOf("s1.parquet", one); // what "s[1].parquet" matches as a pattern
    const exact = await parquetOf("s[1].parquet", two);
    expect((await read(exact)).customerIds).toEqual(["A", "B"]);
    await parquetOf("sXt.parquet", one); // "s*t.parquet" as a pattern: both files
    const star = await parquetOf("s*t.parquet", two);
    expect((await read(star)).customerIds).toEqual(["A", "B"]);
  });
});
