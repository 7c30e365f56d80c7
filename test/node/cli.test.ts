/**
 * `crm` end to end, in-process: the demo on the bundled sample workbook, a CSV input, the
 * exit codes, and the CDNOW reference data through the path a user's CSV takes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import { main, type Io } from "../../analysis/node/cli.js";
import { readCsv } from "../../analysis/node/csv.js";
import { readFileShared } from "../../analysis/node/csv-parallel.js";
import { CSV_COLUMNS } from "../../analysis/output/customers.js";

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const x: Io = { out: (s) => out.push(s), err: (s) => err.push(s), env };
  return { io: x, out, err, text: () => out.join(""), errText: () => err.join("") };
}

/** Parse a CSV we wrote (BOM, quotes) into header + rows of strings. */
function parseCsv(path: string): { header: string[]; rows: string[][] } {
  const src = readCsv(readFileSync(path), "x.csv");
  const rows: string[][] = [];
  for (let r = 0; r < src.rowCount; r++) rows.push(src.headers.map((_, c) => src.text(r, c)));
  return { header: [...src.headers], rows };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "crm-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("crm demo (the README's first command)", () => {
  let out: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, checked field by field
  let summary: Record<string, any>;
  beforeAll(async () => {
    out = join(dir, "demo");
    const h = io();
    const code = await main(["demo", "--out", out, "--lang", "zh", "--quiet"], h.io);
    expect(h.errText()).toBe("");
    expect(code).toBe(0);
    summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  }, 120_000);

  it("writes every output file and they parse", async () => {
    for (const f of [
      "customers.csv",
      "data-issues.csv",
      "summary.json",
      "analysis.xlsx",
      "report.html",
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(out, "analysis.xlsx")) as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    for (const s of [
      "分析",
      "帕累托",
      "RFM",
      "分级",
      "生命周期",
      "待联系",
      "阶段历史",
      "数据问题",
      "设置",
    ]) {
      expect(names).toContain(s);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain('lang="zh');
    expect(html).not.toMatch(/<script/i);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThan(8);
  });

  it("has the fixed customers.csv columns and one row per customer", () => {
    const csv = parseCsv(join(out, "customers.csv"));
    expect(csv.header).toEqual([...CSV_COLUMNS]);
    expect(csv.rows.length).toBe(summary.counts.customers);
    const ids = new Set(csv.rows.map((r) => r[0]));
    expect(ids.size).toBe(csv.rows.length);
    // prospects: no scores, no grade, stage potential
    const prospects = csv.rows.filter((r) => r[5] === "0");
    expect(prospects.length).toBeGreaterThan(0);
    for (const p of prospects) {
      expect(p[8]).toBe("");
      // a prospect is 潜在期 unless the user set a stage by hand (the sample has one such)
      if (!p[17].startsWith("手动")) expect(p[16]).toBe("potential");
    }
    expect(prospects.filter((p) => p[16] === "potential").length).toBeGreaterThan(
      prospects.length / 2,
    );
    // every scored customer has a 3-digit code made of its scores
    for (const r of csv.rows.filter((x) => x[8] !== ""))
      expect(r[11]).toBe(`${r[8]}${r[9]}${r[10]}`);
  });

  it("lists the sample's deliberately bad rows with sheet, row, column and reason", () => {
    const issues = parseCsv(join(out, "data-issues.csv"));
    expect(issues.header).toEqual(["source", "row", "column", "value", "reason"]);
    expect(issues.rows.length).toBeGreaterThanOrEqual(4);
    for (const r of issues.rows) {
      expect(r[0]).not.toBe("");
      expect(r[4]).not.toBe("");
    }
    expect(summary.counts.rows_skipped).toBeGreaterThanOrEqual(4);
  });

  it("summarises counts, Pareto figures, grades and stages consistently", () => {
    const g = summary.grades;
    expect(g.A + g.B + g.C + g.D).toBe(
      summary.counts.customers_with_purchases +
        (summary.counts.customers -
          summary.counts.customers_with_purchases -
          summary.counts.prospects),
    );
    expect(summary.pareto.top20_share).toBeGreaterThan(0.5);
    expect(summary.pareto.top20_share).toBeLessThanOrEqual(1);
    const stages = Object.values(summary.stages as Record<string, number>).reduce(
      (s, n) => s + n,
      0,
    );
    expect(stages).toBe(summary.counts.customers);
    expect(summary.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("crm analyze on a CSV", () => {
  it("neutralises formula injection and escapes names in the report", async () => {
    const csv = join(dir, "orders.csv");
    writeFileSync(
      csv,
      [
        "订单号,客户编号,日期,金额",
        'SO1,=HYPERLINK("x"),2024-01-05,100',
        'SO2,<script>alert(1)</script>,2024-02-05,"1,234.50"',
        "SO3,K3,2024/3/5,¥80",
        "SO4,,2024-03-06,10",
      ].join("\n"),
    );
    const out = join(dir, "inj");
    const h = io();
    expect(await main(["analyze", csv, "--out", out, "--lang", "en", "-q"], h.io)).toBe(0);
    const text = readFileSync(join(out, "customers.csv"), "utf8");
    expect(text).toContain("'=HYPERLINK");
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).not.toContain("<script>alert(1)</script>");
    const issues = parseCsv(join(out, "data-issues.csv"));
    expect(issues.rows).toHaveLength(1);
    expect(issues.rows[0].slice(0, 2)).toEqual(["orders.csv", "5"]);
  }, 60_000);

  it("writes only what --outputs asks for", async () => {
    const csv = join(dir, "o2.csv");
    writeFileSync(csv, "customer_id,date,amount\nA,2024-01-01,5\nB,2024-01-02,7\n");
    const out = join(dir, "only-json");
    expect(await main(["analyze", csv, "--out", out, "--outputs", "json", "-q"], io().io)).toBe(0);
    expect(existsSync(join(out, "summary.json"))).toBe(true);
    expect(existsSync(join(out, "customers.csv"))).toBe(false);
    expect(existsSync(join(out, "report.html"))).toBe(false);
  });
});

describe("stage history and the four-stage model through the CLI", () => {
  it("appends a snapshot per as-of date, replaces a re-run's, and reports movement", async () => {
    const csv = join(dir, "hist-orders.csv");
    const rows = ["customer_id,date,amount"];
    // G grows strongly in the last 180 days; D bought in both windows, then much less
    for (const d of ["2023-03-01", "2023-06-01", "2023-09-01", "2023-12-01"])
      rows.push(`D,${d},1000`);
    rows.push("D,2024-03-01,100");
    for (const d of ["2023-06-01", "2023-09-01", "2024-03-01", "2024-05-01"])
      rows.push(`G,${d},${d.startsWith("2024") ? 900 : 100}`);
    writeFileSync(csv, rows.join("\n"));
    const history = join(dir, "history.csv");
    const run = async (asOf: string, extra: string[] = []) => {
      const out = join(dir, `hist-${asOf}`);
      expect(
        await main(
          [
            "analyze",
            csv,
            "--as-of",
            asOf,
            "--out",
            out,
            "--outputs",
            "json,csv",
            "--history",
            history,
            "-q",
            ...extra,
          ],
          io().io,
        ),
      ).toBe(0);
      return { out, summary: JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) };
    };
    const first = await run("2023-12-31");
    expect(first.summary.history).toEqual({
      snapshots: 1,
      previous: null,
      stage_down: 0,
      grade_down: 0,
    });
    await run("2023-12-31"); // same date again: replaced, not duplicated
    const snap = parseCsv(history);
    expect(snap.header).toEqual(["as_of", "customer_id", "stage", "grade"]);
    expect(snap.rows).toHaveLength(2);
    const second = await run("2024-06-30");
    expect(second.summary.history.snapshots).toBe(2);
    expect(second.summary.history.previous).toBe("2023-12-31");
    expect(second.summary.history.stage_down).toBeGreaterThanOrEqual(1); // D fell into decline
    expect(parseCsv(history).rows).toHaveLength(4);
    const customers = parseCsv(join(second.out, "customers.csv")).rows;
    expect(customers.find((r) => r[0] === "D")![16]).toBe("decline");
    expect(customers.find((r) => r[0] === "G")![16]).toBe("growth");

    const four = await run("2024-06-30", ["--model", "four"]);
    const c4 = parseCsv(join(four.out, "customers.csv")).rows;
    expect(c4.find((r) => r[0] === "D")![16]).toBe("dissolution");
    expect(c4.find((r) => r[0] === "G")![16]).toBe("formation");
    expect(four.summary.lifecycle_model).toBe("four");
  }, 60_000);
});

describe("exit codes and messages", () => {
  it("returns 2 for bad arguments, with the reason", async () => {
    let h = io();
    expect(await main(["analyze"], h.io)).toBe(2);
    expect(h.errText()).toMatch(/exactly one input file/);
    h = io();
    expect(await main(["analyze", "x.csv", "--as-of", "2024-13-01"], h.io)).toBe(2);
    expect(h.errText()).toMatch(/--as-of/);
    h = io();
    expect(await main(["analyze", "x.csv", "--outputs", "pdf"], h.io)).toBe(2);
    h = io();
    expect(await main(["frobnicate"], h.io)).toBe(2);
    h = io();
    expect(await main(["analyze", "x.csv", "--bogus"], h.io)).toBe(2);
  });

  it("returns 1 for unusable input, naming what is missing and what was found (in Chinese too)", async () => {
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, "名称,备注\nA,x\n");
    const h = io();
    expect(
      await main(["analyze", csv, "--out", join(dir, "bad"), "--lang", "zh", "-q"], h.io),
    ).toBe(1);
    expect(h.errText()).toContain("名称");
    const h2 = io();
    expect(await main(["analyze", join(dir, "missing.csv"), "-q"], h2.io)).toBe(1);
  });

  it("returns 1 when no row is usable, and still lists the rows in data-issues.csv", async () => {
    const csv = join(dir, "no-rows.csv");
    writeFileSync(csv, "customer_id,date,amount\nA,not a date,5\n,2024-01-02,3\n");
    const out = join(dir, "no-rows");
    const h = io();
    expect(await main(["analyze", csv, "--out", out, "--lang", "en", "-q"], h.io)).toBe(1);
    const issues = readFileSync(join(out, "data-issues.csv"), "utf8").trim().split(/\r?\n/);
    expect(issues.slice(1).map((l) => l.split(",").slice(0, 3).join(","))).toEqual([
      "no-rows.csv,2,date",
      "no-rows.csv,3,customer_id",
    ]);
  });

  it("a folder as input, and crm sql's --columns that name no columns: each said plainly", async () => {
    const folder = join(dir, "orders.csv.d");
    mkdirSync(folder, { recursive: true });
    let h = io();
    expect(await main(["analyze", folder, "-q", "--lang", "en"], h.io)).toBe(1);
    expect(h.errText()).toBe(
      `crm: The folder ${folder} holds no .parquet or .csv file to read as a table in parts (names starting with _ or . are the writer’s own and are not read): give a file, or a folder of parts.\n`,
    );
    h = io();
    const sql = ["sql", "--dialect", "duckdb", "--table", "orders", "--as-of", "2024-01-01"];
    expect(await main([...sql, "--columns", "customer_id,order_date:blob,amount"], h.io)).toBe(2);
    expect(h.errText()).toContain("Column “order_date”: “blob” is not a kind of column");
    h = io();
    expect(await main([...sql, "--columns", "sku,qty"], h.io)).toBe(2);
    // a URL that is none is an argument too, its password not shown
    h = io();
    const bad = ["sql", "postgres://ann:pa55@db:99999/sales", "--table", "orders"];
    expect(await main([...bad, "--as-of", "2024-01-01"], h.io)).toBe(2);
    expect(h.errText()).toContain("postgres://ann:***@db:99999/sales");
    expect(h.errText()).not.toContain("pa55");
    // a --query ending in a comment: the printed SQL closes its parenthesis on the next line
    h = io();
    const query = ["sql", "--dialect", "duckdb", "--as-of", "2024-01-01", "--query"];
    expect(await main([...query, "SELECT * FROM orders -- last year;"], h.io)).toBe(0);
    expect(h.text()).toContain("(SELECT * FROM orders -- last year\n) AS crm_source");
    // (a --customers folder is read through readFileShared: its error names the path)
    let e: NodeJS.ErrnoException | null = null;
    try {
      readFileShared(folder);
    } catch (x) {
      e = x as NodeJS.ErrnoException;
    }
    expect([e?.code, e?.path]).toEqual(["EISDIR", folder]);
  });

  it("prints help with exit 0 and follows LANG", async () => {
    const h = io({ LANG: "zh_CN.UTF-8" });
    expect(await main(["--help"], h.io)).toBe(0);
    expect(h.text()).toContain("用法");
  });
});

const CDNOW = resolve(__dirname, "../../../shared/data/cdnow/CDNOW_sample.txt");
const here = existsSync(CDNOW);
if (!here)
  console.warn(
    `CDNOW reference data not found at ${CDNOW}: skipping the published-figures CLI test`,
  );

describe.skipIf(!here)("CDNOW through `crm analyze` (published figures, SPEC §8)", () => {
  it("reproduces BG/NBD and Gamma-Gamma within 0.5% with --as-of 1997-09-30", async () => {
    const lines = readFileSync(CDNOW, "utf8").trim().split("\n");
    const csv = ["customer_id,date,amount"];
    for (const l of lines) {
      const [id, , ymd, , amount] = l.trim().split(/\s+/);
      csv.push(`${id},${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)},${amount}`);
    }
    const path = join(dir, "cdnow.csv");
    writeFileSync(path, csv.join("\n"));
    const out = join(dir, "cdnow");
    const h = io();
    expect(
      await main(
        ["analyze", path, "--as-of", "1997-09-30", "--out", out, "--outputs", "json,csv", "-q"],
        h.io,
      ),
    ).toBe(0);
    const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    const close = (x: number, ref: number) => expect(Math.abs(x / ref - 1)).toBeLessThan(0.005);
    close(s.bgnbd.r, 0.2426);
    close(s.bgnbd.alpha, 4.4136);
    close(s.bgnbd.a, 0.7929);
    close(s.bgnbd.b, 2.4259);
    close(s.bgnbd.ll, -9582.43);
    close(s.gamma_gamma.p, 6.2496);
    close(s.gamma_gamma.q, 3.7442);
    close(s.gamma_gamma.v, 15.4435);
    expect(s.counts.customers).toBe(2357);
    expect(s.as_of).toBe("1997-09-30");
    expect(s.counts.rows_after_as_of).toBeGreaterThan(0);
    const rows = parseCsv(join(out, "customers.csv")).rows;
    const c1 = rows.find((r) => r[0] === "00004"); // "customer 1" of the published summary (panel ID 0001)
    expect(c1).toBeDefined();
    close(Number(c1![18]), 0.7266); // P(alive) of customer 1
  }, 120_000);
});
