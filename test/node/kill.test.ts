/**
 * Killed mid-write, every file is the old one or the new one, whole (safe-write.ts): the
 * built `crm` runs as a child process, stops at write step k (CRM_TEST_WRITE_PAUSE_AT) and is
 * killed with SIGKILL there, for every step of a run that rewrites all five outputs and a
 * history of over 1 MB (so its copy takes several chunks).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ExcelJS from "exceljs";
import { buildCli } from "../helpers/built-cli.js";

const OUTPUTS = ["customers.csv", "data-issues.csv", "summary.json", "report.html"];
const FILES = [...OUTPUTS.map((f) => join("out", f)), "history.csv"];

let crm: string;
let dir: string;

/** Orders of 40 customers; `shift` changes amounts and adds a month so that outputs differ. */
function orders(shift: number): string {
  const lines = ["customer_id,order_date,amount"];
  for (let c = 0; c < 40; c++) {
    for (let k = 0; k < 1 + (c % 4) + shift; k++) {
      const month = 1 + ((c + k) % (6 + shift));
      lines.push(`C${c},2024-${String(month).padStart(2, "0")}-1${c % 10},${10 * (c + 1) + shift}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** An existing history of 45,000 rows (over 1 MB): 1,500 customers × 30 monthly snapshots. */
function history(): string {
  const stages = ["development", "maturity", "decline", "termination"];
  const rows = ["\uFEFFas_of,customer_id,stage,grade"];
  for (let m = 0; m < 30; m++) {
    const d = new Date(Date.UTC(2021, m, 28)).toISOString().slice(0, 10);
    for (let c = 0; c < 1500; c++) rows.push(`${d},K${c},${stages[(c + m) % 4]},${"ABCD"[c % 4]}`);
  }
  return rows.join("\r\n") + "\r\n";
}

const run = (cwd: string, orderFile: string, asOf: string, env: Record<string, string> = {}) =>
  spawn(
    process.execPath,
    [crm, "analyze", orderFile, "--out", "out", "--history", "history.csv", "--as-of", asOf, "-q"],
    {
      cwd,
      env: { ...process.env, ...env, LANG: "en_US.UTF-8" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );

const sheetNames = async (bytes: Buffer) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets.map((w) => `${w.name}:${w.rowCount}`);
};

let oldState: string;
let newBytes: Map<string, Buffer>;
let oldBytes: Map<string, Buffer>;
let newSheets: string[];
/** The kill points: write step numbers, with the file each belongs to. */
let points: { k: number; file: string }[];
let stepCount: number;

const read = (base: string, files: string[]) =>
  new Map(files.map((f) => [f, readFileSync(join(base, f))]));

beforeAll(async () => {
  crm = await buildCli();
  dir = mkdtempSync(join(tmpdir(), "crm-kill-"));
  writeFileSync(join(dir, "old.csv"), orders(0));
  writeFileSync(join(dir, "new.csv"), orders(1));
  oldState = join(dir, "old-state");
  mkdirSync(oldState);
  writeFileSync(join(oldState, "history.csv"), history());
  const first = spawnSync(
    process.execPath,
    [
      crm,
      "analyze",
      "../old.csv",
      "--out",
      "out",
      "--history",
      "history.csv",
      "--as-of",
      "2024-06-30",
      "-q",
    ],
    { cwd: oldState, encoding: "utf8" },
  );
  expect(first.stderr).toBe("");
  oldBytes = read(oldState, [...FILES, "out/analysis.xlsx"]);
  // the new state, and the number of write steps it takes
  const ref = join(dir, "new-state");
  cpSync(oldState, ref, { recursive: true });
  const counted = spawnSync(
    process.execPath,
    [
      crm,
      "analyze",
      "../new.csv",
      "--out",
      "out",
      "--history",
      "history.csv",
      "--as-of",
      "2024-07-31",
      "-q",
    ],
    { cwd: ref, encoding: "utf8", env: { ...process.env, CRM_TEST_WRITE_PAUSE_AT: "0" } },
  );
  expect(counted.status).toBe(0);
  const steps = counted.stderr
    .split("\n")
    .filter((l) => l.startsWith("crm-write-step"))
    .map((l) => ({ k: Number(l.split(" ")[1]), file: l.split(" ")[2] }));
  stepCount = steps.length;
  // every step of the history's write; of each other file's: its first chunk (the temporary
  // file still empty) and just before its rename; just after the rename only for the last
  // file (for the others that state is the next file's first step)
  points = steps.filter((p, i) => {
    if (p.file === "history.csv") return true;
    const mine = steps.filter((q) => q.file === p.file);
    const j = mine.indexOf(p);
    return j === 1 || j === mine.length - 2 || i === steps.length - 1;
  });
  newBytes = read(ref, [...FILES, "out/analysis.xlsx"]);
  newSheets = await sheetNames(newBytes.get("out/analysis.xlsx")!);
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(crm), { recursive: true, force: true }); // the build of buildCli()
});

/** Run in a fresh copy of the old state, kill at step k; the files as found afterwards. */
async function killedAt(k: number): Promise<{ at: string; files: Map<string, Buffer> }> {
  const at = join(dir, `trial-${k}`);
  cpSync(oldState, at, { recursive: true });
  const child = run(at, "../new.csv", "2024-07-31", { CRM_TEST_WRITE_PAUSE_AT: String(k) });
  let err = "";
  await new Promise<void>((done, fail) => {
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
      if (err.includes(`crm-write-step ${k} `)) child.kill("SIGKILL");
    });
    child.on("exit", (code, signal) =>
      signal === "SIGKILL" ? done() : fail(new Error(`step ${k}: exit ${code}\n${err}`)),
    );
  });
  return { at, files: read(at, [...FILES, "out/analysis.xlsx"]) };
}

describe("SIGKILL during the writes", () => {
  it("counts the write steps of a run (six files)", () => {
    // each file: open (for the history: copy the old file), ≥ 1 chunk, flush, rename, after
    expect(stepCount).toBeGreaterThanOrEqual(6 * 5 + 1);
    expect(points.filter((p) => p.file === "history.csv").length).toBeGreaterThanOrEqual(5);
    expect(newBytes.get("history.csv")!.length).toBeGreaterThan(
      oldBytes.get("history.csv")!.length,
    );
  });

  it("leaves every file old or new, whole, wherever the run is killed", async () => {
    const seen = new Map<string, Set<string>>(FILES.map((f) => [f, new Set()]));
    const ks = points.map((p) => p.k);
    // four at a time: each trial is a process start and a small analysis
    for (let i = 0; i < ks.length; i += 4) {
      const trials = await Promise.all(ks.slice(i, i + 4).map(killedAt));
      for (const [j, { files }] of trials.entries()) {
        const k = ks[i + j];
        for (const f of FILES) {
          const got = files.get(f)!;
          const state = got.equals(oldBytes.get(f)!)
            ? "old"
            : got.equals(newBytes.get(f)!)
              ? "new"
              : "broken";
          expect(state, `${f} after a kill at step ${k}`).not.toBe("broken");
          seen.get(f)!.add(state);
        }
        const x = files.get("out/analysis.xlsx")!;
        if (!x.equals(oldBytes.get("out/analysis.xlsx")!))
          expect(await sheetNames(x), `analysis.xlsx at step ${k}`).toEqual(newSheets);
      }
    }
    // the kills fell both before and after each file's rename (where old and new differ)
    for (const f of FILES)
      if (!oldBytes.get(f)!.equals(newBytes.get(f)!))
        expect([...seen.get(f)!].sort(), f).toEqual(["new", "old"]);
    expect(
      FILES.filter((f) => !oldBytes.get(f)!.equals(newBytes.get(f)!)).length,
    ).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it("the next run removes the temporary files a killed run left", async () => {
    const { at } = await killedAt(3);
    const temps = () => readdirSync(join(at, "out")).filter((n) => n.includes(".tmp-"));
    expect(temps().length + readdirSync(at).filter((n) => n.includes(".tmp-")).length).toBe(1);
    const again = spawnSync(
      process.execPath,
      [
        crm,
        "analyze",
        "../new.csv",
        "--out",
        "out",
        "--history",
        "history.csv",
        "--as-of",
        "2024-07-31",
        "-q",
      ],
      { cwd: at, encoding: "utf8" },
    );
    expect(again.status).toBe(0);
    expect(temps()).toEqual([]);
    expect(readdirSync(at).filter((n) => n.includes(".tmp-") || n.endsWith(".lock"))).toEqual([]);
    expect(readFileSync(join(at, "history.csv")).equals(newBytes.get("history.csv")!)).toBe(true);
  }, 60_000);
});
