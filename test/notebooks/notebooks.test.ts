/**
 * Every notebook under analysis/notebooks/ executed headless in its Deno kernel
 * (test/notebooks/run.py, nbclient), failing on any error output; then what it printed is
 * checked against `crm analyze` on the same workbook. Needs Debian's python3-nbclient and
 * python3-ipykernel, and deno from npm (node_modules/.bin/deno); without them the test is
 * skipped and says what is missing.
 *
 * The kernel is this checkout's deno, given to Jupyter in a folder of the test's own
 * (JUPYTER_PATH, searched first), not the "deno" kernel registered for the user: that one is
 * whichever clone ran `npm run notebook:install` last (here, a CI clone since deleted), and
 * registering it from a test would change the user's Jupyter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main, type Io } from "../../analysis/node/cli.js";
import { writeSampleWorkbook } from "../../analysis/node/library.js";
import { buildLibrary } from "../helpers/built-library.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const NOTEBOOKS = join(root, "analysis/notebooks");
const RUNNER = join(root, "test/notebooks/run.py");

/** A Python with nbclient and ipykernel (Debian's, also when another python3 comes first). */
function findPython(): string | null {
  for (const py of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(py, ["-c", "import nbclient, nbformat, ipykernel"], { stdio: "ignore" });
    if (r.status === 0) return py;
  }
  return null;
}

/** This checkout's deno, as `deno jupyter --install` registers it (its kernel.json). */
const DENO = join(root, "node_modules/.bin/deno");
const kernelSpec = (deno: string) => ({
  argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
  display_name: "Deno",
  language: "typescript",
});

const python = findPython();
const missing = !python
  ? "python3-nbclient and python3-ipykernel are not installed (apt-get install python3-nbclient python3-ipykernel)"
  : !existsSync(DENO)
    ? "deno is not installed in node_modules (npm install)"
    : null;
if (missing) console.warn(`notebooks not executed: ${missing}`);

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  metadata: { tags?: string[] };
  outputs?: Output[];
}
const text = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : (t ?? ""));

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "crm-notebooks-"));
  mkdirSync(join(dir, "jupyter/kernels/deno"), { recursive: true });
  writeFileSync(join(dir, "jupyter/kernels/deno/kernel.json"), JSON.stringify(kernelSpec(DENO)));
  if (!missing) await buildLibrary();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notebooks = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb"));

describe.skipIf(missing !== null)(`notebooks${missing ? ` (skipped: ${missing})` : ""}`, () => {
  it("there is at least the customer lifecycle notebook", () => {
    expect(notebooks).toContain("customer-lifecycle.ipynb");
  });

  for (const name of notebooks) {
    it(`${name} runs without an error and every code cell shows something`, () => {
      const executed = join(dir, name);
      const r = spawnSync(python!, [RUNNER, join(NOTEBOOKS, name), executed], {
        encoding: "utf8",
        cwd: NOTEBOOKS,
        timeout: 600_000,
        env: { ...process.env, JUPYTER_PATH: join(dir, "jupyter") },
      });
      expect(r.status, r.stderr).toBe(0);
      const cells = (JSON.parse(readFileSync(executed, "utf8")) as { cells: Cell[] }).cells;
      const code = cells.filter((c) => c.cell_type === "code");
      expect(code.length).toBeGreaterThan(0);
      code.forEach((c, i) => expect(c.outputs?.length ?? 0, `code cell ${i}`).toBeGreaterThan(0));
      // charts come as vega-lite with an SVG drawing beside
      const charts = code.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["image/svg+xml"]);
      expect(charts.length).toBeGreaterThan(0);
      for (const o of charts)
        expect(Object.keys(o.data!)).toContain("application/vnd.vegalite.v5+json");
    }, 600_000);
  }

  it("customer-lifecycle.ipynb's customers per grade equal crm analyze's summary.json", async () => {
    const executed = join(dir, "customer-lifecycle.ipynb");
    const cells = (JSON.parse(readFileSync(executed, "utf8")) as { cells: Cell[] }).cells;
    const cell = cells.find((c) => c.metadata.tags?.includes("check:grades"));
    const printed = (cell?.outputs ?? [])
      .filter((o) => o.name === "stdout")
      .map((o) => text(o.text));
    const got = JSON.parse(printed.join("").trim()) as {
      as_of: string;
      customers: number;
      grades: Record<string, number>;
    };
    // the notebook's workbook is the demo workbook; the CLI reads the same, as of the same day
    const file = join(dir, "sample-workbook.xlsx");
    await writeSampleWorkbook(file, { lang: "en" });
    const err: string[] = [];
    const io: Io = { out: () => {}, err: (s) => err.push(s), env: {} };
    const out = join(dir, "cli");
    const code = await main(
      ["analyze", file, "--out", out, "--lang", "en", "--as-of", got.as_of, "--quiet"],
      io,
    );
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(got.customers).toBe(summary.counts.customers);
    const graded = Object.fromEntries(
      Object.entries(summary.grades as Record<string, number>).filter(([, n]) => n > 0),
    );
    expect(got.grades).toEqual(graded);
  }, 120_000);
});
