/**
 * Analyze with the analysis in a worker (addin/worker-client.ts ↔ addin/analysis-worker.ts):
 * the worker's own message handler behind a stand-in Worker that copies every message with
 * structuredClone and delivers it in a later task, as postMessage does. The same workbook
 * comes out as with the analysis on the pane's thread; the steps are reported in order; large
 * tables cross in slices; Cancel terminates the worker and writes nothing; a worker that
 * cannot start leaves the work to the pane's thread with a notice; a failure crosses with
 * the user's message. (The real Web Worker runs in the browser test.)
 */
import { describe, expect, it } from "vitest";
import { analyzeWorkbook } from "../../addin/analyze.js";
import {
  ANALYZE_STEPS,
  batchWeight,
  CELL_BUDGET,
  SliceJoiner,
  splitLarge,
  type AnalyzeStep,
} from "../../addin/analysis-run.js";
import { workerHandler, type FromWorker, type ToWorker } from "../../addin/analysis-worker.js";
import { workerAnalyser, type WorkerLike } from "../../addin/worker-client.js";
import { ExcelPort } from "../../addin/excel-adapter.js";
import { FakeExcel, FakeWorkbook } from "../../addin/fake-excel.js";
import { largeWorkbook } from "../../addin/bench-sync.js";
import { CancelledError, type Progress } from "../../addin/workbook-port.js";
import { UnusableInputError } from "../../analysis/errors.js";
import { userCells, userWorkbook } from "./fixtures.js";

const TODAY = Math.round(Date.parse("2024-07-15") / 86_400_000);

interface StandIn extends WorkerLike {
  terminated: boolean;
  /** Messages posted each way, as sent. */
  toWorker: ToWorker[];
  fromWorker: FromWorker[];
}

/** A Worker stand-in running the real handler; `loads: false` is a script that never loads. */
function standIn(opts: { loads?: boolean; crashOn?: AnalyzeStep } = {}): StandIn {
  const later = (f: () => void) => setTimeout(f, 0);
  const w: StandIn = {
    onmessage: null,
    onerror: null,
    terminated: false,
    toWorker: [],
    fromWorker: [],
    postMessage(m: unknown) {
      w.toWorker.push(m as ToWorker);
      const copy = structuredClone(m) as ToWorker;
      if (opts.loads === false) return;
      later(() => !w.terminated && handle(copy));
    },
    terminate() {
      w.terminated = true;
    },
  };
  const deliver = (m: FromWorker) => {
    w.fromWorker.push(m);
    const copy = structuredClone(m);
    later(() => {
      if (w.terminated) return;
      if (opts.crashOn && m.type === "step" && m.step === opts.crashOn)
        w.onerror?.(new Error("worker died"));
      else w.onmessage?.({ data: copy });
    });
  };
  const handle = workerHandler(deliver);
  if (opts.loads === false) later(() => w.onerror?.(new Error("script blocked")));
  else deliver({ type: "ready" });
  return w;
}

/** Every workbook cell's value, number format and the sheet names: the whole visible state. */
function everything(book: FakeWorkbook): unknown {
  return book.sheets.map((s) => ({
    name: s.name,
    cells: [...s.cells].map(([r, row]) => [
      r,
      [...row].map(([c, cell]) => [c, cell.value ?? null, cell.formula ?? null]),
    ]),
  }));
}

describe("the analysis in a worker", () => {
  it("writes the same workbook as the analysis on the pane's thread, and reports each step in order", async () => {
    const inThread = userWorkbook();
    const a = await analyzeWorkbook(new ExcelPort(new FakeExcel(inThread)), {
      lang: "zh",
      today: TODAY,
    });
    const inWorker = userWorkbook();
    const worker = standIn();
    const progress: Progress[] = [];
    const b = await analyzeWorkbook(new ExcelPort(new FakeExcel(inWorker)), {
      lang: "zh",
      today: TODAY,
      analyser: workerAnalyser(() => worker),
      onProgress: (p) => progress.push(p),
    });
    expect(everything(inWorker)).toEqual(everything(inThread));
    expect({ ...b, seconds: 0, card: null, desk: null, log: null }).toEqual({
      ...a,
      seconds: 0,
      card: null,
      desk: null,
      log: null,
    });
    // not kept for cards (the ribbon command's use): ended, no card
    const first = String(b.followups?.current.rows[0]?.[0] ?? "");
    expect((await a.card(first))?.id).toBe(first);
    expect(await b.card(first)).toBeNull();
    expect(b.customers).toBe(6);
    expect(b.notices).toEqual([]);
    const steps = progress.filter((p) => p.phase === "analyze");
    expect(steps.map((p) => ANALYZE_STEPS[p.done])).toEqual([
      "send",
      "clean",
      "score",
      "clv",
      "lifecycle",
      "output",
    ]);
    expect(steps.every((p) => p.total === ANALYZE_STEPS.length)).toBe(true);
    // read before the analysis, writes after it
    const phases = progress.map((p) => p.phase);
    expect(phases.indexOf("analyze")).toBeGreaterThan(phases.lastIndexOf("read"));
    expect(phases.indexOf("write")).toBeGreaterThan(phases.lastIndexOf("analyze"));
    expect(worker.terminated).toBe(true);
  });

  it("ends the worker kept for cards when the next run starts, and its cards with it", async () => {
    const workers: StandIn[] = [];
    const analyser = workerAnalyser(
      () => {
        const w = standIn();
        workers.push(w);
        return w;
      },
      { keepForCards: true },
    );
    const port = new ExcelPort(new FakeExcel(userWorkbook()));
    const first = await analyzeWorkbook(port, { lang: "en", today: TODAY, analyser });
    const id = String(first.followups?.current.rows[0]?.[0] ?? "");
    expect((await first.card(id))?.id).toBe(id);
    // the worker's card is the one the pane's thread builds
    const here = await analyzeWorkbook(new ExcelPort(new FakeExcel(userWorkbook())), {
      lang: "en",
      today: TODAY,
    });
    expect(await first.card(id)).toEqual(await here.card(id));
    expect(await first.card("no such customer")).toBeNull();
    const second = await analyzeWorkbook(port, { lang: "en", today: TODAY, analyser });
    expect(workers.map((w) => w.terminated)).toEqual([true, false]);
    expect(await first.card(id)).toBeNull();
    expect((await second.card(id))?.id).toBe(id);
  });

  it("sends a large table in messages of at most CELL_BUDGET values, and takes the result back the same way", async () => {
    const book = largeWorkbook(12_000, 8_000);
    const worker = standIn();
    const progress: Progress[] = [];
    const s = await analyzeWorkbook(new ExcelPort(new FakeExcel(book)), {
      lang: "en",
      today: TODAY,
      analyser: workerAnalyser(() => worker),
      onProgress: (p) => progress.push(p),
    });
    expect(s.customers).toBeGreaterThan(6_000);
    const batches = (ms: { type: string; batch?: unknown[][] }[]) =>
      ms.filter((m) => m.type === "batch").map((m) => m.batch!);
    // 12,000 orders and 8,000 customers of five columns: 100,000 values, 25,000 a message
    expect(CELL_BUDGET).toBe(25_000);
    const sent = batches(worker.toWorker);
    expect(sent.map(batchWeight)).toEqual([25_000, 25_000, 25_000, 25_000]);
    const back = batches(worker.fromWorker);
    expect(back.length).toBeGreaterThan(3);
    for (const b of back) expect(batchWeight(b)).toBeLessThanOrEqual(CELL_BUDGET + 64);
    // the rest of each message is small: the skeletons carry no long array
    const longest = (v: unknown): number =>
      Array.isArray(v)
        ? Math.max(v.length, ...v.map(longest))
        : v && typeof v === "object"
          ? Math.max(0, ...Object.values(v).map(longest))
          : 0;
    for (const m of [...worker.toWorker, ...worker.fromWorker])
      if (m.type === "run" || m.type === "done")
        expect(longest(m.skeleton)).toBeLessThanOrEqual(256);
    expect(
      progress.filter((p) => p.phase === "analyze").map((p) => ANALYZE_STEPS[p.done]),
    ).toContain("receive");
    const table = book.tables.find((t) => t.name === "Customers")!;
    expect(table.rows).toBe(8_001);
  }, 60_000);

  it("Cancel during the analysis terminates the worker and writes nothing", async () => {
    const book = userWorkbook();
    const before = everything(book);
    const worker = standIn();
    const ctl = new AbortController();
    const run = analyzeWorkbook(new ExcelPort(new FakeExcel(book)), {
      lang: "en",
      today: TODAY,
      signal: ctl.signal,
      analyser: workerAnalyser(() => worker),
      onProgress: (p) => {
        if (p.phase === "analyze" && ANALYZE_STEPS[p.done] === "score") ctl.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(worker.terminated).toBe(true);
    expect(everything(book)).toEqual(before);
  });

  it("runs on the pane's thread, with a notice, when no worker can start", async () => {
    for (const make of [
      null,
      () => {
        throw new Error("Worker is not defined");
      },
      () => standIn({ loads: false }),
    ]) {
      const book = userWorkbook();
      const s = await analyzeWorkbook(new ExcelPort(new FakeExcel(book)), {
        lang: "en",
        today: TODAY,
        analyser: workerAnalyser(make),
      });
      expect(s.customers).toBe(6);
      expect(s.notices).toContainEqual({ key: "addin.warn.noWorker" });
    }
  });

  it("a worker that dies mid-run fails with a message and writes nothing", async () => {
    const book = userWorkbook();
    const before = userCells(book);
    const sheets = book.sheets.length;
    await expect(
      analyzeWorkbook(new ExcelPort(new FakeExcel(book)), {
        lang: "en",
        today: TODAY,
        analyser: workerAnalyser(() => standIn({ crashOn: "clv" })),
      }),
    ).rejects.toMatchObject({ msg: { key: "addin.error.worker" } });
    expect(userCells(book)).toEqual(before);
    expect(book.sheets.length).toBe(sheets);
  });

  it("an unusable Orders table fails in the worker with the same message as on the pane's thread", async () => {
    const make = () => {
      const book = new FakeWorkbook();
      book.put("Orders", "A1", [
        ["Order", "Note"],
        ["SO-1", "x"],
      ]);
      book.addTable("Orders", "A1:B2", "Orders");
      return new ExcelPort(new FakeExcel(book));
    };
    const inThread = await analyzeWorkbook(make(), { lang: "en", today: TODAY }).catch(
      (e: unknown) => e,
    );
    const inWorker = await analyzeWorkbook(make(), {
      lang: "en",
      today: TODAY,
      analyser: workerAnalyser(() => standIn()),
    }).catch((e: unknown) => e);
    expect(inThread).toBeInstanceOf(UnusableInputError);
    expect(inWorker).toBeInstanceOf(UnusableInputError);
    expect((inWorker as UnusableInputError).msg).toEqual((inThread as UnusableInputError).msg);
  });
});

describe("slices", () => {
  it("split and join give back the value, arrays at every depth, objects of another realm", async () => {
    const { runInNewContext } = await import("node:vm");
    const foreign = runInNewContext("({ rows: [[1, 'a'], [2, 'b']], when: 5 })") as object;
    const value = {
      a: Array.from({ length: 450 }, (_, i) => [i, `r${i}`, null]),
      b: { c: Array.from({ length: 300 }, (_, i) => i), d: "x", e: NaN, f: new Date(0) },
      g: [Array.from({ length: 257 }, (_, i) => i * 2), [1, 2]],
      h: foreign,
      i: Array.from({ length: 400 }, () => foreign),
    };
    const { skeleton, batches } = splitLarge(value, 500);
    // 1,350 values of a (rows of 3), 300 of b.c, 257 of g[0], 400 of i, in order: a message
    // closes at the row that reaches 500 values (167 rows of a = 501)
    expect(batches.map(batchWeight)).toEqual([501, 501, 500, 500, 305]);
    expect(JSON.stringify(skeleton).length).toBeLessThan(300);
    const j = new SliceJoiner();
    for (const b of structuredClone(batches)) j.addBatch(b);
    expect(j.join(structuredClone(skeleton))).toEqual(structuredClone(value));
  });

  it("refuses a join with a slice missing", () => {
    const { skeleton, batches } = splitLarge({ a: Array.from({ length: 300 }, (_, i) => i) }, 100);
    const j = new SliceJoiner();
    for (const b of batches.slice(1)) j.addBatch(b);
    expect(() => j.join(skeleton)).toThrow(/200 of 300/);
  });
});
