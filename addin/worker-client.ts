/**
 * The pane's side of the analysis worker (analysis-worker.ts), and the in-thread fallback.
 *
 * The tables go to the worker in slices, one message per task, so that copying a million rows
 * never blocks the pane for long; the result comes back the same way. Cancel terminates the
 * worker. When no worker can start (no Worker in this web view, or its script fails to load
 * before it says "ready"), the analysis runs on this thread and the pane says so once.
 */
import {
  analyseKeeping,
  type PaneCard,
  errorOf,
  splitLarge,
  SliceJoiner,
  type AnalysedRun,
  type AnalyzeStep,
  type RunRequest,
} from "./analysis-run.js";
import type { FromWorker, ToWorker } from "./analysis-worker.js";
import type { DeskAnswer, DeskQuery } from "./desk.js";
import type { LoggedUpdate } from "./contact-update.js";
import type { Interaction } from "../analysis/types.js";
import { AddinError, CancelledError } from "./workbook-port.js";
import type { Message } from "../analysis/types.js";

export interface AnalyserOptions {
  signal?: AbortSignal;
  /** Told as each step starts, in ANALYZE_STEPS order. */
  onStep?: (step: AnalyzeStep) => void;
}

export interface Analysed {
  run: AnalysedRun;
  /**
   * One customer's card by ID from this analysis (issue 17 §1); null for an unknown ID or
   * once a later run replaced this one. Cards are asked for one at a time rather than sent
   * all at once: at 100,000 customers all cards (24 months, interactions, texts) would be
   * tens of MB to copy and hold in the pane; the worker keeps the analysis it already built
   * and builds one card in one pass over the orders (milliseconds), so the pane stays small.
   */
  card: (id: string) => Promise<PaneCard | null>;
  /**
   * Today, Review, Account managers or the printable page for one owner from this analysis
   * (desk.ts), built where the analysis is kept, for the same reason as cards; null once a
   * later run replaced it.
   */
  desk: (q: DeskQuery) => Promise<DeskAnswer | null>;
  /**
   * A contact just logged for a customer (issue 17 §2): added to this analysis, that one
   * customer's follow-up planned again by the follow-up rules and the card rebuilt where the
   * analysis is kept (contact-update.ts); null for an unknown customer or once a later run
   * replaced this one.
   */
  log: (id: string, x: Omit<Interaction, "customer">) => Promise<LoggedUpdate | null>;
  /** Things the user should know about how it ran (the in-thread fallback). */
  notices: Message[];
}

/** Runs the analysis of the tables read; where it runs is the implementation's choice. */
export type Analyser = (req: RunRequest, opts: AnalyserOptions) => Promise<Analysed>;

/** The part of `Worker` used here (tests pass a stand-in). */
export interface WorkerLike {
  postMessage(m: unknown): void;
  terminate(): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: unknown) => void) | null;
}

/** Resolve in a later task (not a microtask): the pane paints and handles clicks between. */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel === "function") {
    const ch = new MessageChannel();
    return new Promise((resolve) => {
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const checkCancel = (signal?: AbortSignal) => {
  if (signal?.aborted) throw new CancelledError();
};

/** On this thread: the pane cannot repaint while it runs (one long task). */
export function inThreadAnalyser(notices: Message[] = []): Analyser {
  return async (req, opts) => {
    opts.onStep?.("clean");
    await nextTask(); // let the pane paint the step before the synchronous run
    checkCancel(opts.signal);
    const { run, card, desk, log } = analyseKeeping(req, opts.onStep);
    checkCancel(opts.signal);
    return {
      run,
      notices,
      card: async (id) => card(id),
      desk: async (q) => desk(q),
      log: async (id, x) => log(id, x),
    };
  };
}

/**
 * In a worker made by `make` (e.g. `() => new Worker(url)`), one worker per run, terminated
 * at the end or on Cancel. Falls back to `inThreadAnalyser` when the worker cannot start.
 */
export function workerAnalyser(
  make: (() => WorkerLike) | null,
  /** Keep the last run's worker for its cards (the task pane); else end it with the run. */
  opts: { keepForCards?: boolean } = {},
): Analyser {
  const fallback = inThreadAnalyser([{ key: "addin.warn.noWorker" }]);
  // The worker of the last successful run, kept for its cards until the next run starts.
  let kept: WorkerLike | null = null;
  const keepForCards = opts.keepForCards ?? false;
  return async (req, opts) => {
    kept?.terminate();
    kept = null;
    let worker: WorkerLike;
    try {
      if (!make) throw new Error("no Worker");
      worker = make();
    } catch {
      return fallback(req, opts);
    }
    let seq = 0;
    const pending = new Map<number, (c: PaneCard | null) => void>();
    const pendingDesk = new Map<number, (a: DeskAnswer | null) => void>();
    const pendingLog = new Map<number, (u: LoggedUpdate | null) => void>();
    let dead = false;
    const end = () => {
      dead = true;
      worker.terminate();
      for (const r of pending.values()) r(null);
      pending.clear();
      for (const r of pendingDesk.values()) r(null);
      pendingDesk.clear();
      for (const r of pendingLog.values()) r(null);
      pendingLog.clear();
    };
    const card = (id: string): Promise<PaneCard | null> => {
      if (dead || kept !== worker) return Promise.resolve(null);
      return new Promise((resolve) => {
        seq += 1;
        pending.set(seq, resolve);
        worker.postMessage({ type: "card", seq, id } satisfies ToWorker);
      });
    };
    const desk = (query: DeskQuery): Promise<DeskAnswer | null> => {
      if (dead || kept !== worker) return Promise.resolve(null);
      return new Promise((resolve) => {
        seq += 1;
        pendingDesk.set(seq, resolve);
        worker.postMessage({ type: "desk", seq, query } satisfies ToWorker);
      });
    };
    const log = (id: string, interaction: Omit<Interaction, "customer">) => {
      if (dead || kept !== worker) return Promise.resolve(null);
      return new Promise<LoggedUpdate | null>((resolve) => {
        seq += 1;
        pendingLog.set(seq, resolve);
        worker.postMessage({ type: "log", seq, id, interaction } satisfies ToWorker);
      });
    };
    return new Promise<Analysed>((resolve, reject) => {
      let ready = false;
      let receiving = false;
      let settled = false;
      const joiner = new SliceJoiner();
      const finish = (f: () => void, keep = false) => {
        if (settled) return;
        settled = true;
        if (keep && keepForCards) kept = worker;
        else end();
        opts.signal?.removeEventListener("abort", onAbort);
        f();
      };
      const onAbort = () => finish(() => reject(new CancelledError()));
      opts.signal?.addEventListener("abort", onAbort);
      worker.onerror = () => {
        if (settled) {
          // the kept worker failed later: no more cards from it
          if (kept === worker) kept = null;
          end();
          return;
        }
        // A worker that never started (script blocked or missing) leaves the work to this
        // thread; one that fails later stopped mid-run (e.g. out of memory).
        if (!ready) finish(() => fallback(req, opts).then(resolve, reject));
        else finish(() => reject(new AddinError({ key: "addin.error.worker" })));
      };
      worker.onmessage = (e) => {
        const m = e.data as FromWorker;
        if (m.type === "card") {
          pending.get(m.seq)?.(m.card);
          pending.delete(m.seq);
        } else if (m.type === "log") {
          pendingLog.get(m.seq)?.(m.update);
          pendingLog.delete(m.seq);
        } else if (m.type === "desk") {
          pendingDesk.get(m.seq)?.(m.answer);
          pendingDesk.delete(m.seq);
        } else if (m.type === "ready") ready = true;
        else if (m.type === "step") opts.onStep?.(m.step);
        else if (m.type === "batch") {
          if (!receiving) opts.onStep?.("receive");
          receiving = true;
          joiner.addBatch(m.batch);
        } else if (m.type === "done") {
          try {
            const run = joiner.join<AnalysedRun>(m.skeleton);
            finish(() => resolve({ run, notices: [], card, desk, log }), true);
          } catch (err) {
            finish(() => reject(err));
          }
        } else if (m.type === "failed") finish(() => reject(errorOf(m.failure)));
      };
      void (async () => {
        try {
          opts.onStep?.("send");
          const { skeleton, batches } = splitLarge(req.input);
          for (const batch of batches) {
            if (settled) return;
            worker.postMessage({ type: "batch", batch } satisfies ToWorker);
            await nextTask();
          }
          if (settled) return;
          worker.postMessage({
            type: "run",
            skeleton,
            lang: req.lang,
            today: req.today,
          } satisfies ToWorker);
        } catch (err) {
          finish(() => reject(err));
        }
      })();
    });
  };
}
