/**
 * The analysis worker (dist/addin/analysis-worker.js): runs the core off the pane's thread so
 * that the pane keeps painting progress and Cancel works while a million order rows are
 * analysed (Office restarts an add-in that stops responding for 5 s).
 *
 * Protocol (worker-client.ts is the other side): the tables arrive as slices ("batch") and a
 * "run" with the skeleton; the worker says "ready" once loaded, "step" as each step starts,
 * sends the result back as slices and a "done" with its skeleton, or "failed". After "done"
 * the worker keeps the analysis and answers "card" requests (one customer's card by ID, issue
 * 17 §1) until the next run or until the pane ends it, and "log" requests (a contact logged
 * from the card, §2: added to the kept analysis, that customer's follow-up planned again and
 * the card sent back; contact-update.ts).
 */
import {
  analyseKeeping,
  type CardLookup,
  type PaneCard,
  failureOf,
  splitLarge,
  SliceJoiner,
  type AnalyzeStep,
  type RunFailure,
  type RunRequest,
} from "./analysis-run.js";
import type { PortInput } from "./workbook-port.js";
import type { DeskAnswer, DeskLookup, DeskQuery } from "./desk.js";
import type { ContactLogger, LoggedUpdate } from "./contact-update.js";
import type { Interaction } from "../analysis/types.js";

export type ToWorker =
  | { type: "batch"; batch: unknown[][] }
  | { type: "run"; skeleton: unknown; lang: RunRequest["lang"]; today?: number }
  | { type: "card"; seq: number; id: string }
  | { type: "desk"; seq: number; query: DeskQuery }
  | { type: "log"; seq: number; id: string; interaction: Omit<Interaction, "customer"> };

export type FromWorker =
  | { type: "ready" }
  | { type: "step"; step: AnalyzeStep }
  | { type: "batch"; batch: unknown[][] }
  | { type: "done"; skeleton: unknown }
  | { type: "failed"; failure: RunFailure }
  | { type: "card"; seq: number; card: PaneCard | null }
  | { type: "desk"; seq: number; answer: DeskAnswer | null }
  | { type: "log"; seq: number; update: LoggedUpdate | null };

/** The worker's message handler, over any `post` (tests drive it without a real Worker). */
export function workerHandler(post: (m: FromWorker) => void): (m: ToWorker) => void {
  let joiner = new SliceJoiner();
  let card: CardLookup = () => null;
  // Today, Review, Account managers and the printable page (desk.ts), over the kept analysis
  let desk: DeskLookup | null = null;
  // a logged contact: that customer's follow-up and card (contact-update.ts)
  let log: ContactLogger | null = null;
  return (m) => {
    if (m.type === "batch") {
      joiner.addBatch(m.batch);
      return;
    }
    if (m.type === "card") {
      let found: PaneCard | null = null;
      try {
        found = card(m.id);
      } catch {
        found = null;
      }
      post({ type: "card", seq: m.seq, card: found });
      return;
    }
    if (m.type === "log") {
      let update: LoggedUpdate | null = null;
      try {
        update = log ? log(m.id, m.interaction) : null;
      } catch {
        update = null;
      }
      post({ type: "log", seq: m.seq, update });
      return;
    }
    if (m.type === "desk") {
      let answer: DeskAnswer | null = null;
      try {
        answer = desk ? desk(m.query) : null;
      } catch {
        answer = null;
      }
      post({ type: "desk", seq: m.seq, answer });
      return;
    }
    try {
      const input = joiner.join<PortInput>(m.skeleton);
      joiner = new SliceJoiner();
      card = () => null;
      desk = null;
      log = null;
      const kept = analyseKeeping({ input, lang: m.lang, today: m.today }, (step) =>
        post({ type: "step", step }),
      );
      card = kept.card;
      desk = kept.desk;
      log = kept.log;
      const run = kept.run;
      const { skeleton, batches } = splitLarge(run);
      for (const batch of batches) post({ type: "batch", batch });
      post({ type: "done", skeleton });
    } catch (e) {
      post({ type: "failed", failure: failureOf(e) });
    }
  };
}

interface WorkerScope {
  postMessage(m: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

// Inside a dedicated worker (no `document`): listen, and say it has loaded.
const scope = globalThis as unknown as WorkerScope & {
  document?: unknown;
  importScripts?: unknown;
};
if (typeof scope.importScripts === "function" && scope.document === undefined) {
  const handle = workerHandler((m) => scope.postMessage(m));
  scope.onmessage = (e: MessageEvent) => handle(e.data as ToWorker);
  scope.postMessage({ type: "ready" } satisfies FromWorker);
}
