/**
 * Worker threads start with the parent's Node options less inline code: under
 * `node --input-type=module -e "…"` the CSV scan's helper thread ran the parent's inline code
 * instead of its own script and never answered (the library in a one-liner took 43 s, not 4 s).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "esbuild";
import { workerExecArgv } from "../../analysis/node/worker-args.js";

const dir = mkdtempSync(join(tmpdir(), "crm-eval-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("worker threads' Node options", () => {
  it("drop inline code (-e, --eval, -p, --print) and --input-type, keep the rest", () => {
    expect(
      workerExecArgv(["--input-type=module", "-e", "import('x')", "--max-old-space-size=512"]),
    ).toEqual(["--max-old-space-size=512"]);
    expect(
      workerExecArgv(["--input-type", "module", "--eval=1", "-p", "2", "--expose-gc"]),
    ).toEqual(["--expose-gc"]);
  });

  it("inherit the parent's options (undefined) when it ran no inline code", () => {
    // an explicit --expose-gc is refused in a worker; inherited, it is tolerated (npm run bench)
    expect(workerExecArgv(["--expose-gc"])).toBeUndefined();
    expect(workerExecArgv(["--input-type=module"])).toBeUndefined();
    expect(workerExecArgv([])).toBeUndefined();
  });

  it("a scan run from `node -e` gets its helper thread's part", async () => {
    const root = new URL("../../analysis/node/", import.meta.url);
    const entry = join(dir, "entry.ts");
    writeFileSync(
      entry,
      [
        `export { configureParallel, workerPartsUsed } from ${JSON.stringify(new URL("csv-parallel.ts", root).pathname)};`,
        `export { readCsv } from ${JSON.stringify(new URL("csv.ts", root).pathname)};`,
        `export { scanColumns } from ${JSON.stringify(new URL("../source.ts", root).pathname)};`,
      ].join("\n"),
    );
    const common = { bundle: true, platform: "node", format: "esm", logLevel: "warning" } as const;
    await build({ ...common, entryPoints: [entry], outfile: join(dir, "scan.mjs") });
    await build({
      ...common,
      entryPoints: [new URL("csv-worker.ts", root).pathname],
      outfile: join(dir, "csv-worker.mjs"),
    });
    const rows = ["customer_id,date,amount"];
    for (let i = 0; i < 20_000; i++) rows.push(`K${i % 500},2024-01-${10 + (i % 19)},${i % 97}`);
    writeFileSync(join(dir, "orders.csv"), rows.join("\n"));
    const code = `
      const m = await import(${JSON.stringify(pathToFileURL(join(dir, "scan.mjs")).href)});
      const { readFileSync } = await import("node:fs");
      m.configureParallel({
        worker: new URL(${JSON.stringify(pathToFileURL(join(dir, "csv-worker.mjs")).href)}),
        minBytes: 0, patienceMs: 15000, share: 0.5,
      });
      const src = m.readCsv(readFileSync(${JSON.stringify(join(dir, "orders.csv"))}), "orders.csv");
      m.scanColumns(src, [{ kind: "numbers", col: 2, opts: { decimalComma: false, dateOrder: "dmy", dateSystem: "1900" } }]);
      console.log(JSON.stringify({ parts: m.workerPartsUsed(), rows: src.rowCount }));
      process.exit(0);
    `;
    // --expose-gc as npm run bench gives it: refused in a worker when passed explicitly
    const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", code], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({ parts: 1, rows: 20_000 });
  }, 90_000);
});
