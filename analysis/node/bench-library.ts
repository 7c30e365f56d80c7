/**
 * `npm run bench`: the library against the CLI on the same 1,000,000-row file, for the same
 * outputs (issue 20: analyzeFile at most 1.2× the CLI's time). Each run is a new process:
 * `crm analyze FILE --outputs csv,json` (customers.csv, data-issues.csv, summary.json) against
 * a script that calls `analyzeFile(FILE)` from dist/library.mjs (the customers, orders and
 * issues tables and the summary). Rounds alternate; medians compared; peak RSS of each.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { PEAK_HOOK } from "./bench-scale.js";

// PEAK_HOOK: loaded into each child first, it writes the peak resident memory at exit.

const ROUNDS = 3;

interface Run {
  ms: number;
  rss: number;
}

function timed(args: string[]): Run | string {
  const t0 = performance.now();
  const run = spawnSync(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(PEAK_HOOK)}`, ...args],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  const ms = performance.now() - t0;
  if (run.status !== 0) return run.stderr.trim().split("\n").slice(-3).join(" ");
  return { ms, rss: Number(/crm-bench-peak-rss (\d+)/.exec(run.stderr)?.[1] ?? NaN) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (b: number) => (Number.isFinite(b) ? `${(b / 2 ** 20).toFixed(0)} MB` : "not measured");

/** The figure's lines: both medians, the ratio against the 1.2× target, peak RSS. */
export function benchLibrary(cli: string, path: string): string[] {
  const library = join(dirname(cli), "library.mjs");
  if (!existsSync(library)) return ["\nLibrary: dist/library.mjs not built (npm run build:lib)"];
  const script =
    `const { analyzeFile } = await import(${JSON.stringify(pathToFileURL(library).href)});\n` +
    `const r = await analyzeFile(${JSON.stringify(path)});\n` +
    `if (r.customers.numRows() !== r.summary.counts.customers) throw new Error("customers");`;
  // a file rather than `node -e`: a worker thread inherits -e's flags (the CSV scan's helper)
  const scriptDir = mkdtempSync(join(tmpdir(), "crm-bench-lib-script-"));
  const scriptFile = join(scriptDir, "analyze-file.mjs");
  writeFileSync(scriptFile, script);
  try {
    return compare(cli, path, scriptFile);
  } finally {
    rmSync(scriptDir, { recursive: true, force: true });
  }
}

function compare(cli: string, path: string, scriptFile: string): string[] {
  const runs = { cli: [] as Run[], lib: [] as Run[] };
  for (let i = 0; i < ROUNDS; i++) {
    const out = mkdtempSync(join(tmpdir(), "crm-bench-lib-"));
    const steps = [
      () =>
        timed([
          cli,
          "analyze",
          path,
          "--out",
          out,
          "--outputs",
          "csv,json",
          "--lang",
          "en",
          "--quiet",
        ]),
      () => timed([scriptFile]),
    ];
    // the order turns from round to round
    for (const k of i % 2 ? [1, 0] : [0, 1]) {
      const r = steps[k]();
      if (typeof r === "string") {
        rmSync(out, { recursive: true, force: true });
        return [`\nLibrary vs CLI: FAILED (${k ? "analyzeFile" : "crm analyze"}: ${r})`];
      }
      (k ? runs.lib : runs.cli).push(r);
    }
    rmSync(out, { recursive: true, force: true });
  }
  const cliMs = median(runs.cli.map((r) => r.ms));
  const libMs = median(runs.lib.map((r) => r.ms));
  const ratio = libMs / cliMs;
  return [
    `\nLibrary, analyzeFile on the same file (customers, orders and issues as arquero tables + summary; a new process, median of ${ROUNDS}):`,
    `  analyzeFile ${secs(libMs)} (peak RSS ${mb(Math.max(...runs.lib.map((r) => r.rss)))})` +
      ` vs crm analyze --outputs csv,json ${secs(cliMs)} (peak RSS ${mb(Math.max(...runs.cli.map((r) => r.rss)))})` +
      ` → ${ratio.toFixed(2)}× the CLI's time (target ≤ 1.2×: ${ratio <= 1.2 ? "met" : "NOT met"})`,
  ];
}
