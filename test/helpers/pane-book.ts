/**
 * The pane's tests over the in-memory workbook: the sample workbook's three tables added
 * through the adapter, and a Worker stand-in running the real analysis handler with every
 * message structured-cloned (as a real worker's are).
 */
import { workerHandler, type FromWorker, type ToWorker } from "../../addin/analysis-worker.js";
import type { WorkerLike } from "../../addin/worker-client.js";
import { ExcelPort } from "../../addin/excel-adapter.js";
import { FakeExcel, FakeWorkbook } from "../../addin/fake-excel.js";
import { sampleWorkbook, SAMPLE_SHEETS } from "../../analysis/sample.js";
import type { Cell, Lang } from "../../analysis/types.js";

/** The sample workbook's tables in a new in-memory workbook; `date` maps each Date written. */
export async function sampleBook(
  lang: Lang,
  date: (d: Date) => unknown = (d) => d,
): Promise<{ book: FakeWorkbook; port: ExcelPort }> {
  const book = new FakeWorkbook();
  const port = new ExcelPort(new FakeExcel(book));
  const sample = sampleWorkbook({ lang });
  const tables = (["customers", "orders", "interactions"] as const).map((k) => {
    const data = sample[k];
    const dateColumns = data.headers
      .map((_, j) => j)
      .filter((j) => data.rows.some((r) => r[j] instanceof Date));
    const rows = data.rows.map((r) => r.map((v) => (v instanceof Date ? (date(v) as Cell) : v)));
    return {
      sheet: SAMPLE_SHEETS[k][lang],
      table: k[0].toUpperCase() + k.slice(1),
      data: { ...data, rows },
      dateColumns,
    };
  });
  await port.addTables(tables, { dateSystem: "1900" });
  return { book, port };
}

/** A Worker stand-in running the real handler, every message structured-cloned. */
export function standIn(): WorkerLike {
  const w: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(m: unknown) {
      const copy = structuredClone(m) as ToWorker;
      setTimeout(() => handle(copy), 0);
    },
    terminate() {},
  };
  const handle = workerHandler((m: FromWorker) => {
    const copy = structuredClone(m);
    setTimeout(() => w.onmessage?.({ data: copy }), 0);
  });
  setTimeout(() => w.onmessage?.({ data: { type: "ready" } }), 0);
  return w;
}
