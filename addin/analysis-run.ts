/**
 * What one analysis hands back to the add-in, as plain data: the only shape that crosses from
 * the analysis worker to the pane (structured clone), and the same shape when the analysis runs
 * on the pane's own thread. Also the steps the pane shows while it runs, and the way large
 * arrays cross in slices (no single message, on either side, takes long to copy).
 */
import { runAnalysis, type AnalysisPhase, type Summary } from "../analysis/index.js";
import { UnusableInputError } from "../analysis/errors.js";
import { normaliseId } from "../analysis/clean.js";
import { segmentLabel } from "../analysis/segment.js";
import { buildCards, type CustomerCard } from "../analysis/cards.js";
import type { Analysis } from "../analysis/pipeline.js";
import type { Issue, Lang, Message } from "../analysis/types.js";
import type { WorkbookOutput } from "../analysis/workbook.js";
import { AddinError, type PortInput } from "./workbook-port.js";
import { deskLookup, type DeskLookup } from "./desk.js";
import { contactLogger, type ContactLogger } from "./contact-update.js";

/** The analysis' result as the add-in uses it: plain data, nothing computed on access. */
export interface AnalysedRun {
  output: WorkbookOutput;
  summary: Summary;
  /** Counts of the data issues and the first one with a cell to select (not the full list). */
  issues: { skipped: number; warnings: number; first: Issue | null };
  asOf: number;
  dateSystem: "1900" | "1904";
  /** Latest order day (NaN without orders), for the date-system warning. */
  maxDay: number;
  /**
   * What the pane's follow-up cards add to the Follow-ups sheet's rows: per listed follow-up
   * (same order as that sheet's list, then its stale list) the customer's phone, contact
   * person and 1-based row on the Customers sheet (null when the customer is not in that
   * table), so that a click selects it. Only the listed customers, not every record.
   */
  followupContacts: {
    /** The Customers table's sheet (dataset.sources.customers); null without one. */
    sheet: string | null;
    items: FollowupContact[];
    stale: FollowupContact[];
  };
}

/** A listed customer's phone, contact person and Customers-sheet row (see followupContacts). */
export interface FollowupContact {
  phone: string;
  contact: string;
  row: number | null;
}

/**
 * Steps of Analyze between reading and writing, in the order the pane shows them: handing the
 * tables over, the core's own steps (pipeline.ts), building the result sheets, taking them back.
 */
export const ANALYZE_STEPS = [
  "send",
  "clean",
  "score",
  "clv",
  "lifecycle",
  "output",
  "receive",
] as const;
export type AnalyzeStep = (typeof ANALYZE_STEPS)[number];
export const stepIndex = (s: AnalyzeStep | AnalysisPhase): number =>
  (ANALYZE_STEPS as readonly string[]).indexOf(s);

export interface RunRequest {
  input: PortInput;
  lang: Lang;
  /** Today as an epoch day (tests fix it). */
  today?: number;
}

/** Run the core and keep what the add-in uses. Throws UnusableInputError as runAnalysis does. */
export function analyseTables(
  req: RunRequest,
  onStep: (s: AnalyzeStep) => void = () => {},
): AnalysedRun {
  return analyseKeeping(req, onStep).run;
}

/** A card as the pane shows it: the card and what its labels need from the settings. */
export interface PaneCard extends CustomerCard {
  currency: string;
  /** The segment's name in both languages (the Settings sheet may rename segments). */
  segmentName: { zh: string; en: string } | null;
}

/** One customer's card by ID from a kept analysis; null for an ID the analysis does not know. */
export type CardLookup = (id: string) => PaneCard | null;

/** A card lookup over an analysis: the ID index is built on the first call. */
export function cardLookup(a: Analysis): CardLookup {
  let index: Map<string, number> | null = null;
  return (id) => {
    index ??= new Map(a.dataset.customerIds.map((x, i) => [x, i]));
    const c = index.get(normaliseId(id.trim()));
    if (c === undefined) return null;
    const card = buildCards(a, [c])[0];
    const seg = card.segment;
    const rules = a.settings.segments;
    return {
      ...card,
      currency: a.settings.currency,
      segmentName: seg
        ? { zh: segmentLabel(seg, rules, "zh"), en: segmentLabel(seg, rules, "en") }
        : null,
    };
  };
}

/** analyseTables, also keeping the core's Analysis (for cards, issue 17 §1). */
export function analyseKeeping(
  req: RunRequest,
  onStep: (s: AnalyzeStep) => void = () => {},
): { run: AnalysedRun; card: CardLookup; desk: DeskLookup; log: ContactLogger } {
  const { orders, customers, interactions, settings, history } = req.input;
  const r = runAnalysis(
    { orders: orders!, customers, interactions, settings, history },
    { lang: req.lang, today: req.today, onPhase: onStep },
  );
  onStep("output");
  const output = r.output;
  const skipped = r.issues.filter((i) => i.severity === "skipped");
  const { dataset, followups } = r.analysis;
  const contactOf = (x: { index: number }): FollowupContact => {
    const rec = dataset.records[x.index];
    return { phone: rec?.phone ?? "", contact: rec?.contact ?? "", row: rec ? rec.row : null };
  };
  const run: AnalysedRun = {
    output,
    summary: r.summary,
    issues: {
      skipped: skipped.length,
      warnings: r.issues.length - skipped.length,
      first: skipped.find((i) => i.row > 0) ?? r.issues.find((i) => i.row > 0) ?? null,
    },
    asOf: r.analysis.asOf,
    dateSystem: r.analysis.settings.dateSystem,
    maxDay: r.analysis.dataset.maxDay,
    followupContacts: {
      sheet: dataset.sources.customers,
      items: followups.items.map(contactOf),
      stale: followups.stale.map(contactOf),
    },
  };
  const card = cardLookup(r.analysis);
  return {
    run,
    card,
    desk: deskLookup(r.analysis, r.issues, undefined, req.today),
    // a logged contact (issue 17 §2): that customer's follow-up and card, see contact-update.ts
    log: contactLogger(r.analysis, card),
  };
}

/** A failure of the analysis as data: the user's message survives the crossing. */
export interface RunFailure {
  msg: Message | null;
  unusable: boolean;
  text: string;
}

export function failureOf(e: unknown): RunFailure {
  const msg = (e as { msg?: Message } | null)?.msg ?? null;
  return {
    msg,
    unusable: e instanceof UnusableInputError,
    text: String((e as Error)?.message ?? e),
  };
}

/** The error a failure stands for on the receiving side. */
export function errorOf(f: RunFailure): Error {
  if (f.unusable && f.msg) return new UnusableInputError(f.msg);
  if (f.msg) return new AddinError(f.msg);
  // a fault of the run itself (e.g. out of memory or stack): said plainly, the text kept for
  // whoever debugs it
  const err = new AddinError({ key: "addin.error.worker" });
  err.stack = f.text;
  return err;
}

// --- large arrays in slices ---------------------------------------------------------------

/**
 * Values per message: 5,000 rows of five columns, about 15 ms to copy in Chromium (100,000
 * took 50–180 ms a message at 1M rows, the stage reasons' batch 8 MB). Arrays longer than
 * SPLIT_ABOVE leave the skeleton and cross in slices, several slices to a message until it
 * holds this many values (a row counts its cells).
 */
export const CELL_BUDGET = 25_000;
const SPLIT_ABOVE = 256;
const MARK = "__crmSlices";

interface Placeholder {
  [MARK]: number;
  length: number;
}

/**
 * An object literal's shape, from this realm or another (the playground's workbook adapter
 * runs in the page around the pane, whose objects have that page's Object.prototype).
 */
function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** How many values an element of a split array carries. */
const weight = (x: unknown): number => (Array.isArray(x) ? Math.max(1, x.length) : 1);

/**
 * Split `value` into a small skeleton (every array longer than SPLIT_ABOVE replaced by a
 * placeholder) and messages ("batches") of slices [array id, elements] of at most `budget`
 * values each, in order. Only plain objects and arrays are walked; the elements of a split
 * array are not (they are rows: small arrays of values).
 */
export function splitLarge(
  value: unknown,
  budget = CELL_BUDGET,
): { skeleton: unknown; batches: unknown[][][] } {
  const batches: unknown[][][] = [];
  let batch: unknown[][] = [];
  let used = 0;
  let next = 0;
  const flush = () => {
    if (batch.length) batches.push(batch);
    batch = [];
    used = 0;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      if (v.length > SPLIT_ABOVE) {
        const id = next++;
        let from = 0;
        for (let i = 0; i < v.length; i++) {
          used += weight(v[i]);
          if (used >= budget) {
            batch.push([id, v.slice(from, i + 1)]);
            from = i + 1;
            flush();
          }
        }
        if (from < v.length) batch.push([id, v.slice(from)]);
        return { [MARK]: id, length: v.length } satisfies Placeholder;
      }
      return v.map(walk);
    }
    if (v && typeof v === "object" && isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  const skeleton = walk(value);
  flush();
  return { skeleton, batches };
}

/** Values in a batch, as splitLarge counts them. */
export function batchWeight(batch: unknown[][]): number {
  let n = 0;
  for (const part of batch) for (const x of part[1] as unknown[]) n += weight(x);
  return n;
}

/** Collects slices ([id, elements]) and puts the arrays back into the skeleton. */
export class SliceJoiner {
  private readonly arrays = new Map<number, unknown[]>();

  addBatch(batch: unknown[][]): void {
    for (const part of batch) this.add(part);
  }

  add(part: unknown[]): void {
    const [id, items] = part as [number, unknown[]];
    let a = this.arrays.get(id);
    if (!a) this.arrays.set(id, (a = []));
    for (let i = 0; i < items.length; i++) a.push(items[i]);
  }

  join<T>(skeleton: unknown): T {
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === "object" && isPlainObject(v)) {
        const o = v as Record<string, unknown>;
        if (typeof o[MARK] === "number") {
          const a = this.arrays.get(o[MARK]) ?? [];
          if (a.length !== o.length)
            throw new Error(`slices of array ${o[MARK]}: ${a.length} of ${String(o.length)}`);
          return a;
        }
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) out[k] = walk(x);
        return out;
      }
      return v;
    };
    return walk(skeleton) as T;
  }
}
