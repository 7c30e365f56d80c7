/**
 * Analyze, as the pane and the ribbon command run it:
 * read the tables (port) → analyse (the core, in a worker when the caller gives one, see
 * worker-client.ts) → write the owned output (port) → a summary for the pane. No rule lives
 * here; this file only moves data between the two.
 */
import {
  ANALYZE_STEPS,
  stepIndex,
  type AnalysedRun,
  type FollowupContact,
  type PaneCard,
} from "./analysis-run.js";
import { inThreadAnalyser, type Analysed, type Analyser } from "./worker-client.js";
import { STAGES, STAGES4, type Health } from "../analysis/stages.js";
import { GRADES, type Grade } from "../analysis/settings.js";
import { OWNED_SHEETS, type OutColumn, type OutValue } from "../analysis/workbook.js";
import type { Issue, Lang, Message } from "../analysis/types.js";
import { todayFromClock } from "../analysis/dates.js";
import {
  AddinError,
  type FoundTable,
  type PlainRange,
  type Progress,
  type WorkbookPort,
  type WriteReport,
} from "./workbook-port.js";

export interface PaneSummary {
  asOf: number;
  customers: number;
  prospects: number;
  stages: { label: string; count: number; health: Health }[];
  grades: { grade: Grade; label: string; count: number }[];
  top20Share: number;
  countFor80: number;
  shareFor80: number;
  gini: number;
  skipped: number;
  warnings: number;
  /** The first skipped row (else the first warning) with a cell to select. */
  firstIssue: Issue | null;
  issuesSheet: string;
  /** The Follow-ups sheet's lists as the pane's cards show them; null when none was written. */
  followups: PaneFollowups | null;
  read: FoundTable[];
  plainRanges: PlainRange[];
  written: WriteReport;
  notices: Message[];
  seconds: number;
  /** One customer's card from this analysis (kept in the worker; see worker-client.ts). */
  card: (id: string) => Promise<PaneCard | null>;
  /** Today, Review, Account managers, printable cards for an owner (desk.ts; in the worker). */
  desk: Analysed["desk"];
  /** A logged contact's customer: follow-up and card updated (contact-update.ts; in the worker). */
  log: Analysed["log"];
  /** The Excel date system the analysis read dates in (a logged contact's dates use it too). */
  dateSystem: "1900" | "1904";
}

/** One list of the Follow-ups sheet (its columns and rows) and, per row, the customer's contact. */
export interface PaneFollowupList {
  /** The block's title on the sheet (the stale list's says how old its items are). */
  title: string | null;
  columns: OutColumn[];
  rows: OutValue[][];
  /** Aligned with `rows`: phone, contact person and Customers-sheet row of each customer. */
  contacts: FollowupContact[];
}

export interface PaneFollowups {
  /** The Customers table's sheet, where a card's click selects the customer's row. */
  customersSheet: string | null;
  /** Today's list: overdue (not stale) and due soon. */
  current: PaneFollowupList;
  /** Overdue for longer than the stale setting: listed apart; null when there are none. */
  stale: PaneFollowupList | null;
}

export interface AnalyzeOptions {
  lang: Lang;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Today as an epoch day (tests fix it). */
  today?: number;
  /** Where the analysis runs: the pane passes its worker; default on this thread. */
  analyser?: Analyser;
  /**
   * Called after the analysis and before the first write: throw (an AddinError) to stop with
   * nothing written. The ribbon command checks its time budget here.
   */
  beforeWrite?: () => void;
}

const DAY_MS = 86_400_000;

/** Read → analyse → write; the summary the pane shows. */
export async function analyzeWorkbook(
  port: WorkbookPort,
  opts: AnalyzeOptions,
): Promise<PaneSummary> {
  const t0 = Date.now();
  const read = await port.read({ signal: opts.signal, onProgress: opts.onProgress });
  if (!read.input.orders) {
    const sheets = read.found.map((f) => f.sheet).concat(read.plainRanges.map((p) => p.sheet));
    throw new AddinError({
      key: "addin.error.noOrders",
      params: { sheets: sheets.length ? [...new Set(sheets)].join(", ") : "—" },
    });
  }
  const steps = ANALYZE_STEPS.length;
  const analyser = opts.analyser ?? inThreadAnalyser();
  const {
    run,
    notices: ran,
    card,
    desk,
    log,
  } = await analyser(
    // the pane's own date, so the worker's Today is the day the user sees on this computer
    { input: read.input, lang: opts.lang, today: opts.today ?? todayFromClock() },
    {
      signal: opts.signal,
      onStep: (s) => opts.onProgress?.({ phase: "analyze", done: stepIndex(s), total: steps }),
    },
  );
  if (opts.signal?.aborted) throw new AddinError({ key: "addin.error.cancelled" });
  opts.beforeWrite?.();
  const written = await port.write(run.output, {
    dateSystem: run.dateSystem,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  const notices = [...ran, ...written.warnings];
  const dateWarning = dateSystemWarning(
    run.maxDay,
    opts.today ?? Math.floor(Date.now() / DAY_MS),
    run.dateSystem,
  );
  if (dateWarning) notices.push(dateWarning);
  if (
    !port.support().funnel &&
    run.output.sheets.some((s) => s.charts.some((c) => c.kind === "funnel"))
  )
    notices.push({ key: "addin.warn.noFunnel" });
  return summarise(
    run,
    card,
    desk,
    log,
    opts.lang,
    read.found,
    read.plainRanges,
    written,
    notices,
    (Date.now() - t0) / 1000,
  );
}

/**
 * Numeric dates read with the wrong date system land four years (1,462 days) off. Only Excel
 * serials are affected, so the add-in (not the core) warns: 1900 read as 1904 puts the latest
 * order in the future; 1904 read as 1900 puts it four years back, which we flag only when
 * shifting it by 1,462 days would land within the last two months.
 */
export function dateSystemWarning(
  maxDay: number,
  today: number,
  system: "1900" | "1904",
): Message | null {
  if (!Number.isFinite(maxDay)) return null;
  if (system === "1904" && maxDay > today + 31)
    return { key: "addin.warn.datesFuture", params: { day: maxDay } };
  if (system === "1900" && maxDay + 1462 <= today + 31 && maxDay + 1462 >= today - 62)
    return { key: "addin.warn.dates1904", params: { day: maxDay } };
  return null;
}

function stageLabel(key: string, lang: Lang): { label: string; health: Health } {
  const s =
    (STAGES as Record<string, { zh: string; en: string; health: Health }>)[key] ??
    (STAGES4 as Record<string, { zh: string; en: string; health: Health }>)[key];
  return s ? { label: s[lang], health: s.health } : { label: key, health: "yellow" };
}

function summarise(
  r: AnalysedRun,
  card: PaneSummary["card"],
  desk: PaneSummary["desk"],
  log: PaneSummary["log"],
  lang: Lang,
  found: FoundTable[],
  plainRanges: PlainRange[],
  written: WriteReport,
  notices: Message[],
  seconds: number,
): PaneSummary {
  const s = r.summary;
  const stageOrder = s.lifecycle_model === "four" ? Object.keys(STAGES4) : Object.keys(STAGES);
  const stages = stageOrder.map((k) => ({ ...stageLabel(k, lang), count: s.stages[k] ?? 0 }));
  const grades = (Object.keys(GRADES) as Grade[]).map((g) => ({
    grade: g,
    label: GRADES[g][lang],
    count: s.grades[g] ?? 0,
  }));
  const fu = r.output.sheets.find((x) => x.key === "followups");
  const list = (id: string, contacts: FollowupContact[]): PaneFollowupList | null => {
    const b = fu?.blocks.find((x) => x.id === id);
    return b ? { title: b.title, columns: b.columns, rows: b.rows, contacts } : null;
  };
  const current = list("followups", r.followupContacts.items);
  return {
    asOf: r.asOf,
    customers: s.counts.customers,
    prospects: s.counts.prospects,
    stages,
    grades,
    top20Share: s.pareto.top20_share,
    countFor80: s.pareto.count_for_80,
    shareFor80: s.pareto.customers_for_80,
    gini: s.pareto.gini,
    skipped: r.issues.skipped,
    warnings: r.issues.warnings,
    firstIssue: r.issues.first,
    issuesSheet: written.names?.issues ?? OWNED_SHEETS.issues[lang],
    followups: current
      ? {
          customersSheet: r.followupContacts.sheet,
          current,
          stale: list("stale", r.followupContacts.stale),
        }
      : null,
    read: found,
    plainRanges,
    written,
    notices,
    seconds,
    card,
    desk,
    log,
    dateSystem: r.dateSystem,
  };
}
