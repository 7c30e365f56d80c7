/**
 * The two-core CSV reader must give exactly what the one-core reader gives: every cell, and
 * every whole-column scan (dictionary codes and keys, numbers, dates and their day/month
 * tally), for text that tests the cut: quotes, escaped quotes, line breaks inside quotes, CRLF,
 * blank and short rows, a BOM, GB18030, keys on both sides of the cut. The worker is built
 * from its source here, so the test never runs a stale dist/.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import type { TableSource } from "../../analysis/types.js";
import { CsvSource, readCsv } from "../../analysis/node/csv.js";
import { readCsvParallel } from "../../analysis/node/csv-parallel.js";
import type { ColumnJob } from "../../analysis/source.js";
import { scanColumns } from "../../analysis/source.js";
import { newDateOrderTally } from "../../analysis/values.js";
import { readDataset } from "../../analysis/clean.js";
import { makeSettings } from "../../analysis/settings.js";

let worker: URL;
let silent: URL;
let failing: URL;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "csv-worker-"));
  const outfile = join(dir, "csv-worker.mjs");
  await build({
    entryPoints: ["analysis/node/csv-worker.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "silent",
  });
  worker = pathToFileURL(outfile);
  // a worker that answers every request with an error, and one that loads but never answers
  const fail = join(dir, "failing.mjs");
  writeFileSync(
    fail,
    `import { parentPort } from "node:worker_threads";
let start = null;
parentPort.on("message", (m) => {
  if (!start) { start = m; return; }
  start.replies.postMessage({ error: "broken" });
  Atomics.add(start.signal, 0, 1);
  Atomics.notify(start.signal, 0);
});`,
  );
  failing = pathToFileURL(fail);
  const quiet = join(dir, "silent.mjs");
  writeFileSync(quiet, `throw new Error("this worker does not load");`);
  silent = pathToFileURL(quiet);
}, 30_000);

const OPTS = { decimalComma: false, dateOrder: "mdy", dateSystem: "1900" } as const;
const encode = (s: string) => new TextEncoder().encode(s);

/** Everything a reader can be asked, as plain data. */
function everything(src: TableSource) {
  const cols = src.headers.map((_, c) => c);
  const jobs: ColumnJob[] = cols.flatMap((col): ColumnJob[] => [
    { kind: "dictionary", col },
    { kind: "numbers", col, opts: OPTS },
    { kind: "dates", col, opts: OPTS, tally: newDateOrderTally() },
  ]);
  const scanned = scanColumns(src, jobs).map((x, i) =>
    x instanceof Float64Array
      ? { values: Array.from(x), tally: (jobs[i] as { tally?: unknown }).tally }
      : {
          codes: Array.from(x.codes),
          keys: Array.from({ length: x.size }, (_, k) => x.key(k)),
          first: Array.from({ length: x.size }, (_, k) => x.codeAt(k, 0)),
        },
  );
  const cells = Array.from({ length: src.rowCount }, (_, r) =>
    cols.map((c) => [src.cell(r, c), src.isBlank(r, c), src.text(r, c), src.number(r, c, OPTS)]),
  );
  return { headers: src.headers, headerRow: src.headerRow, rows: src.rowCount, cells, scanned };
}

/** Reads `bytes` both ways and compares; `cut`: whether the two-core reader should cut. */
function same(bytes: Uint8Array, cut: boolean, url = worker) {
  const one = readCsv(bytes, "f.csv");
  const two = readCsvParallel(bytes, "f.csv", {
    parallel: "always",
    worker: url,
    patienceMs: 2000,
  });
  expect(two instanceof CsvSource).toBe(!cut); // a one-core read is a plain CsvSource
  expect(everything(two)).toEqual(everything(one));
  return two;
}

/** A table of `n` rows that has every awkward shape, some of them near the middle. */
function awkward(n: number, eol = "\n"): string {
  const lines = ["Report, 2024", "", "order_id,customer_id,date,amount,note"];
  for (let i = 0; i < n; i++) {
    const order = `SO${String(Math.floor(i / 2)).padStart(5, "0")}`; // two lines per order
    const who = i % 13 === 0 ? ` K${i % 40} ` : `K${(i * 7) % 40}`;
    const date =
      i % 17 === 0
        ? `"5/${1 + (i % 28)}/2024"`
        : `2024-03-${String(1 + (i % 28)).padStart(2, "0")}`;
    const amount = i % 11 === 0 ? `"1,${i}.50"` : i % 19 === 0 ? "" : `${i}.25`;
    const note = i % 23 === 0 ? `"said ""hi"", left"` : i % 29 === 0 ? "plain" : "";
    if (i % 31 === 0)
      lines.push(`${order},${who}`); // a short row
    else if (i % 37 === 0) lines.push("");
    else lines.push([order, who, date, amount, note].join(","));
  }
  return lines.join(eol) + eol;
}

describe("reading a CSV on two cores", () => {
  it("equals the one-core reader: quotes, padding, short and blank rows, a title row", () => {
    same(encode(awkward(400)), true);
    same(encode(awkward(401, "\r\n")), true);
  });

  it("with a BOM, and as GB18030 bytes (what Chinese Excel writes)", () => {
    same(Uint8Array.from([0xef, 0xbb, 0xbf, ...encode(awkward(300))]), true);
    // 客户 in GB18030 is C2 E4 BB A7; with these bytes the file is not UTF-8
    const gb = (s: string) =>
      Uint8Array.from(
        [...s].flatMap((ch) =>
          ch === "客" ? [0xbf, 0xcd] : ch === "户" ? [0xbb, 0xa7] : [ch.charCodeAt(0)],
        ),
      );
    same(gb(awkward(300).replaceAll("plain", "客户")), true);
  });

  it("an order whose lines straddle the cut keeps one code", () => {
    const rows = ["order_id,customer_id,date,amount"];
    for (let i = 0; i < 600; i++)
      rows.push(`SO${String(Math.floor(i / 7)).padStart(4, "0")},C${i % 9},2024-01-01,1`);
    const two = same(encode(rows.join("\n")), true);
    const d = scanColumns(two, [{ kind: "dictionary", col: 0 }])[0];
    expect(d.size).toBe(Math.ceil(600 / 7));
  });

  it("a line break inside quotes at the cut: read on one core, the same", () => {
    const head = "customer_id,date,amount,note\n";
    const row = (i: number) => `C${i},2024-01-01,${i},x\n`;
    const body = Array.from({ length: 200 }, (_, i) => row(i)).join("");
    // the note field opened before the middle closes far after it
    const long = `C9,2024-01-02,5,"${"line\n".repeat(300)}"\n`;
    same(encode(head + body + long + body), false);
  });

  it("a worker that fails, or never answers, leaves the result unchanged", () => {
    same(encode(awkward(300)), true, failing);
    same(encode(awkward(300)), true, silent);
  }, 60_000);

  it("UTF-16 text and files too small to cut are read on one core", () => {
    const text = awkward(100);
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) le[2 + 2 * i] = text.charCodeAt(i);
    same(le, false);
    same(encode("customer_id,date,amount\nC1,2024-01-01,5\n"), false);
  });

  it("cleans to the same dataset as the one-core reader (line items, cancellations)", () => {
    const rows = ["order_id,customer_id,date,amount"];
    for (let i = 0; rows.length <= 30_000; i++) {
      const id = `${i % 50 === 7 ? "C" : "SO"}${String(i).padStart(8, "0")}`;
      const who = `K${String((i * 7919) % 3000).padStart(6, "0")}`;
      const day = `2024-${String(1 + Math.floor(i / 2000)).padStart(2, "0")}-01`;
      for (let line = 0; line < 1 + (i % 3); line++)
        rows.push(`${id},${who},${day},${i % 50 === 7 ? "-" : ""}${(i % 97) + line}.5`);
    }
    const bytes = encode(rows.join("\n"));
    const settings = makeSettings();
    const one = readDataset({ orders: readCsv(bytes, "o.csv") }, settings);
    const two = readDataset(
      { orders: readCsvParallel(bytes, "o.csv", { parallel: "always", worker }) },
      settings,
    );
    expect(two).toEqual(one);
    expect(one.orders.n).toBe(rows.length - 1);
  });
});
