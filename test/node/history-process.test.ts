/**
 * The --history file between processes, with the built `crm`: concurrent runs keep every
 * snapshot (file-lock.ts), a held lock is waited for and then told, a dead run's lock is
 * broken, a 1,000,000-row history runs under a small heap (history-file.ts), and standard
 * input is read when the input is `-` or /dev/stdin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildCli } from "../helpers/built-cli.js";

let crm: string;
let dir: string;
let n = 0;

/** 60 customers with orders through 2024. */
const ORDERS = [
  "customer_id,order_date,amount",
  ...Array.from({ length: 60 }, (_, c) =>
    [1, 4, 7, 10]
      .slice(0, 1 + (c % 4))
      .map((m) => `C${c},2024-${String(m).padStart(2, "0")}-15,${10 + c}`)
      .join("\n"),
  ),
].join("\n");

function folder(): string {
  const d = join(dir, `p-${++n}`);
  mkdirSync(d);
  writeFileSync(join(d, "orders.csv"), ORDERS);
  return d;
}

/** Run crm in `cwd`; resolves with the exit code and both outputs. */
function crmRun(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string; node?: string[] } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...(opts.node ?? []), crm, ...args], {
      cwd,
      env: { ...process.env, LANG: "en_US.UTF-8", ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.on("close", (code) => done({ code, out, err }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

const datesIn = (text: string) => {
  const count = new Map<string, number>();
  for (const line of text.split("\r\n").slice(1, -1))
    count.set(line.slice(0, 10), (count.get(line.slice(0, 10)) ?? 0) + 1);
  return Object.fromEntries(count);
};

beforeAll(async () => {
  crm = await buildCli();
  dir = mkdtempSync(join(tmpdir(), "crm-hist-proc-"));
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(crm), { recursive: true, force: true }); // the build of buildCli()
});

describe("concurrent runs on one --history", () => {
  it("keep every snapshot (three runs with different as-of dates, twice over)", async () => {
    for (let trial = 0; trial < 2; trial++) {
      const d = folder();
      const asOfs = ["2024-08-31", "2024-09-30", "2024-10-31"];
      const runs = await Promise.all(
        asOfs.map((asOf, i) =>
          crmRun(d, [
            "analyze",
            "orders.csv",
            "--out",
            `out-${i}`,
            "--outputs",
            "json",
            "--history",
            "history.csv",
            "--as-of",
            asOf,
            "-q",
          ]),
        ),
      );
      for (const r of runs) expect(r.code, r.err).toBe(0);
      expect(datesIn(readFileSync(join(d, "history.csv"), "utf8"))).toEqual({
        "2024-08-31": 60,
        "2024-09-30": 60,
        "2024-10-31": 60,
      });
      expect(existsSync(join(d, ".history.csv.lock"))).toBe(false);
    }
  }, 120_000);

  it("a held lock is waited for, then told with its holder; nothing is written", async () => {
    const d = folder();
    writeFileSync(join(d, "history.csv"), "as_of,customer_id,stage,grade\r\n");
    const lock = {
      pid: process.pid,
      host: hostname(),
      since: "2026-01-01T00:00:00.000Z",
    };
    writeFileSync(join(d, ".history.csv.lock"), JSON.stringify(lock));
    const r = await crmRun(
      d,
      ["analyze", "orders.csv", "--out", "out", "--history", "history.csv"],
      { env: { CRM_LOCK_WAIT_MS: "300" } },
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain(`waiting for another run (process ${process.pid}) to finish`);
    expect(r.err).toContain(
      `crm: history.csv is being updated by another run (process ${process.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z). Nothing was written`,
    );
    expect(r.err).toContain(join(d, ".history.csv.lock"));
    expect(readFileSync(join(d, "history.csv"), "utf8")).toBe("as_of,customer_id,stage,grade\r\n");
    expect(existsSync(join(d, "out", "summary.json"))).toBe(false);
  }, 60_000);

  it("the lock of a run that died is broken", async () => {
    const d = folder();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    const lock = { pid: Number(dead.stdout), host: hostname(), since: "2026-01-01T00:00:00Z" };
    writeFileSync(join(d, ".history.csv.lock"), JSON.stringify(lock));
    const r = await crmRun(d, [
      "analyze",
      "orders.csv",
      "--out",
      "out",
      "--outputs",
      "json",
      "--history",
      "history.csv",
      "-q",
    ]);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(d, ".history.csv.lock"))).toBe(false);
    expect(Object.values(datesIn(readFileSync(join(d, "history.csv"), "utf8")))).toEqual([60]);
  }, 60_000);
});

describe("a history of 1,000,000 rows", () => {
  it("runs under a 40 MB heap: only the previous snapshot is read into memory", async () => {
    const d = folder();
    const h = join(d, "history.csv");
    const file = createWriteStream(h);
    file.write("\uFEFFas_of,customer_id,stage,grade\r\n");
    const stages = ["development", "maturity", "decline", "termination"];
    for (let m = 0; m < 30; m++) {
      const day = new Date(Date.UTC(2021, m, 28)).toISOString().slice(0, 10);
      const rows: string[] = [];
      for (let c = 0; c < 33_334; c++)
        rows.push(`${day},C${c},${stages[(c + m) % 4]},${"ABCD"[c % 4]}\r\n`);
      if (!file.write(rows.join(""))) await new Promise<void>((r) => file.once("drain", () => r()));
    }
    await new Promise<void>((r) => file.end(() => r()));
    const before = readFileSync(h);
    const r = await crmRun(
      d,
      [
        "analyze",
        "orders.csv",
        "--out",
        "out",
        "--outputs",
        "json",
        "--history",
        "history.csv",
        "--as-of",
        "2024-12-31",
        "-q",
      ],
      { node: ["--max-old-space-size=40"] },
    );
    expect(r.code, r.err.slice(-2000)).toBe(0);
    const after = readFileSync(h);
    // the old file kept byte for byte, this run's 60 rows after it
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(after.subarray(before.length).toString().split("\r\n").length - 1).toBe(60);
    const summary = JSON.parse(readFileSync(join(d, "out", "summary.json"), "utf8"));
    expect(summary.history).toMatchObject({ snapshots: 31, previous: "2023-06-28" });
    expect(summary.counts.data_issues).toBe(0);
    // the next run finds the scan record instead of reading the 1,000,000 rows again
    expect(existsSync(join(d, ".history.csv.scan.json"))).toBe(true);
    const again = await crmRun(
      d,
      [
        "analyze",
        "orders.csv",
        "--out",
        "out",
        "--outputs",
        "json",
        "--history",
        "history.csv",
        "--as-of",
        "2025-01-31",
        "-q",
      ],
      { node: ["--max-old-space-size=40"] },
    );
    expect(again.code, again.err.slice(-2000)).toBe(0);
    const next = JSON.parse(readFileSync(join(d, "out", "summary.json"), "utf8"));
    expect(next.history).toMatchObject({ snapshots: 32, previous: "2024-12-31" });
  }, 120_000);
});

describe("standard input", () => {
  for (const input of ["-", "/dev/stdin"]) {
    it(`\`crm analyze ${input}\` reads a piped CSV`, async () => {
      const d = folder();
      const r = await crmRun(d, ["analyze", input, "--out", "out", "--outputs", "json,csv", "-q"], {
        input: ORDERS,
      });
      expect(r.code, r.err).toBe(0);
      const summary = JSON.parse(readFileSync(join(d, "out", "summary.json"), "utf8"));
      expect(summary.counts.customers).toBe(60);
      expect(summary.counts.rows_used).toBe(150);
    }, 60_000);
  }
});
