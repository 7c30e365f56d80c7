/**
 * Request accounting of Analyze on a 100,000-row Orders table, through the real adapter over
 * the in-memory Excel: syncs, cells and bytes per request. `npm run bench` prints it
 * (analysis/node/bench.ts); never a timed unit test.
 */
import { analyzeWorkbook } from "./analyze.js";
import { ExcelPort } from "./excel-adapter.js";
import { FakeExcel, FakeWorkbook, REQUEST_LIMIT_BYTES, type SyncStats } from "./fake-excel.js";

export interface SyncFigures {
  orders: number;
  customers: number;
  read: PhaseFigures;
  write: PhaseFigures;
}

export interface PhaseFigures {
  syncs: number;
  totalBytes: number;
  maxRequestBytes: number;
  cells: number;
  /** ceil(total bytes / 4 MB): the fewest requests the payload allows. */
  floor: number;
}

/** A workbook with Customers (10,000) and Orders (n rows) tables, deterministic. */
export function largeWorkbook(n = 100_000, customers = 10_000): FakeWorkbook {
  const book = new FakeWorkbook();
  const regions = ["华东", "华南", "华北", "西南", "东北"];
  const cust: (string | number | null)[][] = [
    ["客户编号", "客户名称", "区域", "客户经理", "手动阶段"],
  ];
  for (let i = 0; i < customers; i++)
    cust.push([
      `C${String(i).padStart(5, "0")}`,
      `客户 ${i}`,
      regions[i % 5],
      `经理 ${i % 40}`,
      null,
    ]);
  book.put("客户", "A1", cust);
  book.addTable("客户", `A1:E${cust.length}`, "Customers");
  const orders: (string | number)[][] = [["订单号", "客户编号", "日期", "金额", "产品"]];
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < n; i++) {
    const c = Math.floor(customers * rnd() ** 2);
    orders.push([
      `SO-${100000 + i}`,
      `C${String(c).padStart(5, "0")}`,
      44927 + Math.floor(rnd() * 540),
      Math.round(50 + rnd() * 5000),
      `产品 ${i % 37}`,
    ]);
  }
  book.put("订单", "A1", orders);
  book.addTable("订单", `A1:E${orders.length}`, "Orders");
  return book;
}

function phase(
  stats: SyncStats[],
  bytes: (s: SyncStats) => number,
  cells: (s: SyncStats) => number,
): PhaseFigures {
  const total = stats.reduce((s, x) => s + bytes(x), 0);
  return {
    syncs: stats.length,
    totalBytes: total,
    maxRequestBytes: Math.max(0, ...stats.map(bytes)),
    cells: stats.reduce((s, x) => s + cells(x), 0),
    floor: Math.ceil(total / REQUEST_LIMIT_BYTES),
  };
}

export async function benchSync(n = 100_000): Promise<SyncFigures> {
  const customers = Math.max(1, Math.round(n / 10));
  const excel = new FakeExcel(largeWorkbook(n, customers));
  const port = new ExcelPort(excel);
  let readSyncs = 0;
  const read = await port.read();
  readSyncs = excel.stats.length;
  const readStats = excel.stats.slice(0, readSyncs);
  excel.resetStats();
  // The full Analyze reads again; count its write requests only.
  const before = { n: 0 };
  await analyzeWorkbook(port, {
    lang: "zh",
    onProgress: (p) => {
      if (p.phase === "analyze") before.n = excel.stats.length;
    },
  });
  void read;
  const writeStats = excel.stats.slice(before.n);
  return {
    orders: n,
    customers,
    read: phase(
      readStats,
      (s) => s.responseBytes + s.requestBytes,
      (s) => s.cellsRead,
    ),
    write: phase(
      writeStats,
      (s) => s.requestBytes,
      (s) => s.cellsWritten,
    ),
  };
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(2)} MB`;

/** The figures as text for `npm run bench`. */
export async function benchSyncReport(n = 100_000): Promise<string> {
  const f = await benchSync(n);
  const line = (name: string, p: PhaseFigures) =>
    `  ${name}: ${p.syncs} syncs, ${p.cells.toLocaleString("en")} cells, ${mb(p.totalBytes)} in total, largest request ${mb(p.maxRequestBytes)} (limit 4 MB; payload floor ${p.floor} requests)`;
  const ok =
    f.read.maxRequestBytes < REQUEST_LIMIT_BYTES && f.write.maxRequestBytes < REQUEST_LIMIT_BYTES;
  return [
    `Add-in sync accounting (in-memory Excel, ${f.orders.toLocaleString("en")} order rows, ${f.customers.toLocaleString("en")} customers):`,
    line("read ", f.read),
    line("write", f.write),
    `  ${ok ? "passed" : "FAILED"}: no request above 4 MB`,
  ].join("\n");
}
