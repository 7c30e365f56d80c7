/**
 * Nothing of the user's is lost (issue 16): no output replaces an input, --history is only
 * ever a stage history (bad rows kept as they are), formula text in it is guarded, and file
 * system errors are told without a stack. In-process through `main`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { main, type Io } from "../../analysis/node/cli.js";
import { runNotebook } from "../../analysis/node/notebook.js";
import { sampleXlsx } from "../../analysis/node/sample-xlsx.js";

function io(env: Record<string, string> = {}, stdin?: NodeJS.ReadableStream) {
  const out: string[] = [];
  const err: string[] = [];
  const x: Io = { out: (s) => out.push(s), err: (s) => err.push(s), env, stdin };
  return { io: x, text: () => out.join(""), errText: () => err.join("") };
}

const ORDERS = [
  "customer_id,order_date,amount",
  "A,2024-01-05,100",
  "A,2024-03-05,150",
  "B,2024-02-01,80",
  "X,2024-02-10,50",
  "C,2024-03-01,300",
].join("\n");

let dir: string;
let n = 0;
/** A fresh folder with orders.csv in it. */
function folder(): string {
  const d = join(dir, `case-${++n}`);
  mkdirSync(d);
  writeFileSync(join(d, "orders.csv"), ORDERS);
  return d;
}

/** Every file under `d` with its bytes, to show that nothing was written. */
function contents(d: string): Map<string, string> {
  const m = new Map<string, string>();
  const walk = (p: string) => {
    for (const name of readdirSync(p)) {
      const f = join(p, name);
      if (statSync(f).isDirectory()) walk(f);
      else m.set(f, readFileSync(f).toString("base64"));
    }
  };
  walk(d);
  return m;
}

async function crm(args: string[], lang: "en" | "zh" = "en", stdin?: NodeJS.ReadableStream) {
  const h = io({ LANG: lang === "zh" ? "zh_CN.UTF-8" : "en_US.UTF-8" }, stdin);
  const code = await main([...args, "-q"], h.io);
  return { code, out: h.text(), err: h.errText() };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "crm-safety-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(
  "no output replaces an input (exit 2, both paths named, nothing written)",
  { timeout: 60_000 },
  () => {
    const refused = async (d: string, args: string[], lang: "en" | "zh" = "en") => {
      const before = contents(d);
      const r = await crm(args, lang);
      expect(r.code, r.err).toBe(2);
      expect(contents(d)).toEqual(before);
      expect(r.err).not.toMatch(/\n\s+at /);
      return r.err;
    };

    it("the orders input inside --out under an output's name (customers.csv)", async () => {
      const d = folder();
      mkdirSync(join(d, "out"));
      writeFileSync(join(d, "out", "customers.csv"), ORDERS);
      const input = join(d, "out", "customers.csv");
      const err = await refused(d, ["analyze", input, "--out", join(d, "out")]);
      expect(err).toContain(`Refusing to write ${input}: it is the input ${input}`);
      const zh = await refused(d, ["analyze", input, "--out", join(d, "out")], "zh");
      expect(zh).toContain(`拒绝写入 ${input}：它就是输入文件 ${input}`);
    });

    it("an input workbook named analysis.xlsx in the output folder", async () => {
      const d = folder();
      writeFileSync(join(d, "analysis.xlsx"), await sampleXlsx({ lang: "en" }));
      const err = await refused(d, ["analyze", join(d, "analysis.xlsx"), "--out", d]);
      expect(err).toContain(join(d, "analysis.xlsx"));
      // --outputs without xlsx: nothing clashes, the run goes ahead
      const ok = await crm(["analyze", join(d, "analysis.xlsx"), "--out", d, "--outputs", "json"]);
      expect(ok.code, ok.err).toBe(0);
    });

    it("a --customers file named summary.json in the output folder", async () => {
      const d = folder();
      writeFileSync(join(d, "summary.json"), "customer_id,name\nA,Ann\n");
      const err = await refused(d, [
        "analyze",
        join(d, "orders.csv"),
        "--customers",
        join(d, "summary.json"),
        "--out",
        d,
      ]);
      expect(err).toContain(
        `${join(d, "summary.json")}: it is the input ${join(d, "summary.json")}`,
      );
    });

    it("--history given the input's own path, or an output's", async () => {
      const d = folder();
      const input = join(d, "orders.csv");
      const err = await refused(d, ["analyze", input, "--out", join(d, "o"), "--history", input]);
      expect(err).toContain(`Refusing to write ${input}: it is the input ${input}`);
      const out = join(d, "o");
      const e2 = await refused(d, [
        "analyze",
        input,
        "--out",
        out,
        "--history",
        join(out, "customers.csv"),
      ]);
      expect(e2).toContain(join(out, "customers.csv"));
      expect(existsSync(out)).toBe(false);
    });

    it("through a symbolic link, a hard link and `..` in the path", async () => {
      const d = folder();
      mkdirSync(join(d, "out"));
      writeFileSync(join(d, "real.csv"), ORDERS);
      symlinkSync(join(d, "real.csv"), join(d, "out", "customers.csv"));
      await refused(d, ["analyze", join(d, "real.csv"), "--out", join(d, "out")]);
      rmSync(join(d, "out", "customers.csv"));
      linkSync(join(d, "real.csv"), join(d, "out", "report.html"));
      await refused(d, ["analyze", join(d, "real.csv"), "--out", join(d, "out")]);
      await refused(d, [
        "analyze",
        join(d, "out", "..", "out", "report.html"),
        "--out",
        join(d, "out"),
      ]);
    });

    it("the demo's sample workbook as --history", async () => {
      const d = folder();
      const err = await refused(d, [
        "demo",
        "--out",
        join(d, "demo"),
        "--history",
        join(d, "demo", "sample-workbook.xlsx"),
      ]);
      expect(err).toContain("sample-workbook.xlsx");
      expect(existsSync(join(d, "demo"))).toBe(false);
    });

    it("the data-issues.csv of an unusable input is not written over an input either", async () => {
      const d = folder();
      writeFileSync(join(d, "data-issues.csv"), "customer_id,order_date,amount\nA,never,x\n");
      await refused(d, ["analyze", join(d, "data-issues.csv"), "--out", d]);
    });
  },
);

describe("--history takes only a stage history", { timeout: 60_000 }, () => {
  const notHistory = async (name: string, bytes: Buffer | string, found: RegExp) => {
    const d = folder();
    const h = join(d, name);
    writeFileSync(h, bytes);
    const before = readFileSync(h);
    const r = await crm(["analyze", join(d, "orders.csv"), "--out", join(d, "o"), "--history", h]);
    expect(r.code, r.err).toBe(1);
    expect(readFileSync(h).equals(before)).toBe(true);
    expect(r.err).toContain(`--history ${h} is not a stage history`);
    expect(r.err).toContain("as_of, customer_id, stage, grade (or 日期, 客户编号, 阶段, 等级)");
    expect(r.err).toMatch(found);
    expect(existsSync(join(d, "o"))).toBe(false);
    const zh = await crm(
      ["analyze", join(d, "orders.csv"), "--out", join(d, "o"), "--history", h],
      "zh",
    );
    expect(zh.code).toBe(1);
    expect(zh.err).toContain("不是阶段历史文件，已保持原样");
  };

  it("refuses a ledger CSV, naming the columns it found", () =>
    notHistory(
      "ledger.csv",
      "\uFEFFcustomer_id,order_date,amount\nA,2024-01-01,5\n",
      /found the columns customer_id, order_date, amount\./,
    ));

  it("refuses an .xlsx workbook", async () =>
    notHistory("h.xlsx", await sampleXlsx({ lang: "en" }), /found an Excel workbook/));

  it("refuses binary garbage and text that is not UTF-8", async () => {
    const garbage = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256));
    await notHistory("h.bin", garbage, /found binary data, or text that is not UTF-8/);
    await notHistory("gbk.csv", Buffer.from([0xc8, 0xd5, 0xc6, 0xda, 0x2c, 0x41, 0x0a]), /binary/);
  });

  it("keeps rows with a bad date or stage in the file as they are, and reports them", async () => {
    const d = folder();
    const h = join(d, "history.csv");
    const old = [
      "\uFEFFas_of,customer_id,stage,grade,note",
      "2024-01-31,A,development,A,kept",
      "2024-01-31,B,稳定,B,bad stage",
      "someday,C,maturity,C,bad date",
      "2024-01-31,,maturity,C,no customer",
      "2024-01-31,X,maturity,C,",
    ];
    writeFileSync(h, old.join("\r\n") + "\r\n");
    const r = await crm([
      "analyze",
      join(d, "orders.csv"),
      "--out",
      join(d, "o"),
      "--history",
      h,
      "--as-of",
      "2024-03-31",
    ]);
    expect(r.code, r.err).toBe(0);
    const lines = readFileSync(h, "utf8").split("\r\n");
    // the old file first, byte for byte; then this run's rows in the file's own columns
    expect(lines.slice(0, old.length)).toEqual(old);
    expect(lines.slice(old.length, -1).sort()).toEqual([
      "2024-03-31,A,development,A,",
      "2024-03-31,B,development,B,",
      "2024-03-31,C,development,A,",
      "2024-03-31,X,development,B,",
    ]);
    const issues = readFileSync(join(d, "o", "data-issues.csv"), "utf8");
    expect(issues).toContain("history.csv,3,stage,稳定");
    expect(issues).toContain("kept in the history file as it is");
    expect(issues).toContain("history.csv,4,as_of,someday");
    expect(issues).toContain("history.csv,5,customer_id");
    const summary = JSON.parse(readFileSync(join(d, "o", "summary.json"), "utf8"));
    expect(summary.history).toMatchObject({ snapshots: 2, previous: "2024-01-31" });
  });

  it("reads an older history in Chinese headers, semicolons and another column order", async () => {
    const d = folder();
    const h = join(d, "history.csv");
    const old = "等级;阶段;客户编号;日期\nA;成长期;A;2024-01-31\nB;衰退期;B;2024-01-31";
    writeFileSync(h, old);
    const r = await crm([
      "analyze",
      join(d, "orders.csv"),
      "--out",
      join(d, "o"),
      "--outputs",
      "json",
      "--history",
      h,
      "--as-of",
      "2024-03-31",
    ]);
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(h, "utf8");
    expect(text.startsWith(old + "\n")).toBe(true); // the missing last line break added
    expect(text.split("\n").slice(3)).toContain("A;development;A;2024-03-31");
    const summary = JSON.parse(readFileSync(join(d, "o", "summary.json"), "utf8"));
    expect(summary.history).toMatchObject({ snapshots: 2, previous: "2024-01-31" });
  });

  it("puts a snapshot in date order and a re-run's in place of the old one", async () => {
    const d = folder();
    const h = join(d, "history.csv");
    const at = (asOf: string) =>
      crm([
        "analyze",
        join(d, "orders.csv"),
        "--out",
        join(d, "o"),
        "--outputs",
        "json",
        "--history",
        h,
        "--as-of",
        asOf,
      ]);
    expect((await at("2024-05-31")).code).toBe(0);
    expect((await at("2024-03-31")).code).toBe(0);
    expect((await at("2024-05-31")).code).toBe(0);
    const dates = readFileSync(h, "utf8")
      .split("\r\n")
      .slice(1, -1)
      .map((l) => l.slice(0, 10));
    expect(dates).toEqual([...Array(4).fill("2024-03-31"), ...Array(4).fill("2024-05-31")]);
  });

  it("an empty file counts as a history with no snapshot", async () => {
    const d = folder();
    const h = join(d, "history.csv");
    writeFileSync(h, "");
    const r = await crm(["analyze", join(d, "orders.csv"), "--out", join(d, "o"), "--history", h]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(h, "utf8").split("\r\n")[0]).toBe("\uFEFFas_of,customer_id,stage,grade");
  });
});

describe("formula text in the history file", { timeout: 60_000 }, () => {
  it("is guarded on writing and read back without the guard", async () => {
    const d = folder();
    const ids = ['=HYPERLINK("http://evil.example","x")', "@SUM(1)", "+1", "-2", "'=kept"];
    writeFileSync(
      join(d, "f.csv"),
      [
        "customer_id,order_date,amount",
        ...ids.map((id, i) => `"${id.replace(/"/g, '""')}",2024-0${i + 1}-01,${10 + i}`),
      ].join("\n"),
    );
    const h = join(d, "history.csv");
    const opts = (asOf: string) => ({
      input: join(d, "f.csv"),
      outDir: join(d, "o"),
      lang: "en" as const,
      outputs: ["json" as const],
      history: h,
      overrides: { asOf: Date.UTC(2024, Number(asOf.slice(5, 7)) - 1, 28) / 86_400_000 },
    });
    await runNotebook(opts("2024-06"));
    const text = readFileSync(h, "utf8");
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(text).toContain(",'@SUM(1),");
    expect(text).toContain(",'+1,");
    expect(text).toContain(",'-2,");
    expect(text).toContain(",''=kept,");
    for (const line of text.split("\r\n").slice(1, -1))
      expect(line.split(",")[1], line).toMatch(/^[^=+\-@]/);
    const second = await runNotebook(opts("2024-07"));
    const mv = second.run.analysis.history.movement!;
    // every ID came back as it was: nobody entered or left between the two snapshots
    expect(mv.entered).toBe(0);
    expect(mv.left).toBe(0);
    expect(mv.stage.flat().reduce((a, b) => a + b, 0)).toBe(ids.length);
  });
});

describe("file system problems are told, not thrown", { timeout: 60_000 }, () => {
  it("--out naming a file: exit 2, the path, no stack", async () => {
    const d = folder();
    const r = await crm(["analyze", join(d, "orders.csv"), "--out", join(d, "orders.csv")]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `crm: --out ${join(d, "orders.csv")} is a file, not a folder. Nothing was written.\n`,
    );
    const zh = await crm(["demo", "--out", join(d, "orders.csv")], "zh");
    expect(zh.code).toBe(2);
    expect(zh.err).toContain("是一个文件，而不是目录");
  });

  it("a folder under a file (ENOTDIR): the path and the problem in the user's language", async () => {
    const d = folder();
    const out = join(d, "orders.csv", "sub");
    const r = await crm(["analyze", join(d, "orders.csv"), "--out", out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${out}: a part of the path is a file, not a folder.`);
    expect(r.err).not.toMatch(/\n\s+at |Error:/);
    const zh = await crm(["analyze", join(d, "orders.csv"), "--out", out], "zh");
    expect(zh.err).toContain("路径中的某一部分是文件，而不是目录");
  });

  it("--history naming a folder, or in a folder that is not there: its path, before any writing", async () => {
    const d = folder();
    const r = await crm(["analyze", join(d, "orders.csv"), "--out", join(d, "o"), "--history", d]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`crm: ${d}: it is a folder, not a file.\n`);
    const h = join(d, "missing", "h.csv");
    const r2 = await crm(["analyze", join(d, "orders.csv"), "--out", join(d, "o"), "--history", h]);
    expect(r2.err).toBe(`crm: ${h}: no such file or folder.\n`);
    expect(existsSync(join(d, "o"))).toBe(false);
  });

  it("a read-only or full disk is told by its code (EROFS, ENOSPC)", async () => {
    const { fileErrorMessage, isFileSystemError } =
      await import("../../analysis/node/fs-errors.js");
    const e = Object.assign(new Error("EROFS: read-only file system, open '/mnt/x'"), {
      code: "EROFS",
      syscall: "open",
      path: "/mnt/x",
    });
    expect(isFileSystemError(e)).toBe(true);
    expect(fileErrorMessage(e, "en")).toBe("/mnt/x: the file system is read-only.");
    const full = Object.assign(new Error("ENOSPC"), { code: "ENOSPC", syscall: "write" });
    expect(fileErrorMessage(full, "zh")).toBe("无法读取或写入文件：磁盘已满（未替换任何文件）。");
    expect(isFileSystemError(new TypeError("x"))).toBe(false);
  });
});

describe("standard input", { timeout: 60_000 }, () => {
  it("`crm analyze -` reads a CSV from standard input", async () => {
    const d = folder();
    const r = await crm(
      ["analyze", "-", "--out", join(d, "o"), "--outputs", "json"],
      "en",
      Readable.from([Buffer.from(ORDERS)]),
    );
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(readFileSync(join(d, "o", "summary.json"), "utf8"));
    expect(summary.counts.customers).toBe(4);
  });

  it("nothing on standard input is said plainly", async () => {
    const d = folder();
    const r = await crm(["analyze", "-", "--out", join(d, "o")], "en", Readable.from([]));
    expect(r.code).toBe(1);
    expect(r.err).toContain("Nothing came on standard input");
  });
});
