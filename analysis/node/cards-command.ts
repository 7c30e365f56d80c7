/**
 * `crm cards`: today's customer cards and the review as cards.html (issue 17 §3–§4).
 *
 *   crm cards <workbook|orders.csv> [--customers F] [--interactions F] [--owner NAME]
 *             [--date YYYY-MM-DD] [--as-of YYYY-MM-DD] [--history F] [--out DIR] [--lang zh|en]
 *
 * It reads and analyses as `crm analyze` does (runNotebook, writing none of analyze's files) and
 * writes only DIR/cards.html. The --history file is read, never written: printing cards is not
 * an analysis run that belongs in the stage history.
 *
 * Exit codes: 1 for an owner nobody has (the message lists the owners found) and the input
 * errors of analyze; 2 for a --date that is not a date, or a cards.html that would replace an
 * input.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DeepPartial, Settings } from "../settings.js";
import type { Lang, ValueOptions } from "../types.js";
import { dayFromIso } from "../dates.js";
import { review, todaysCards, UnknownOwnerError } from "../cards.js";
import type { Snapshot } from "../history.js";
import { historyError, NotebookError, refuseUnsafePaths, runNotebook } from "./notebook.js";
import { scanHistory, snapshotBefore } from "./history-file.js";
import { writeFileAtomic } from "./safe-write.js";
import { renderCardsHtml } from "./cards-html.js";

export interface CardsOptions {
  input: string;
  customers?: string;
  interactions?: string;
  owner?: string;
  /** --date as typed. */
  date?: string;
  history?: string;
  outDir: string;
  lang: Lang;
  overrides?: DeepPartial<Settings>;
  progress?: (line: string) => void;
  stdin?: NodeJS.ReadableStream;
}

export interface CardsResult {
  file: string;
  cards: number;
}

/** The --history file's dates and stages are read as notebook.ts reads them. */
const HISTORY_VALUE_OPTIONS: ValueOptions = {
  decimalComma: false,
  dateOrder: "mdy",
  dateSystem: "1900",
};

/** --date: YYYY-MM-DD, a real calendar day; else exit 2. */
export function parseCardDate(value: string): number {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? dayFromIso(value) : NaN;
  if (!Number.isFinite(d))
    throw new NotebookError({ key: "cards.error.date", params: { value } }, 2);
  return d;
}

async function earlierSnapshots(path: string, asOf: number, lang: Lang): Promise<Snapshot[]> {
  if (!existsSync(path)) return [];
  try {
    const scan = await scanHistory(path, HISTORY_VALUE_OPTIONS);
    return scan ? snapshotBefore(scan, asOf, HISTORY_VALUE_OPTIONS) : [];
  } catch (e) {
    throw historyError(e, path, lang);
  }
}

export async function runCards(opts: CardsOptions): Promise<CardsResult> {
  const date = opts.date === undefined ? undefined : parseCardDate(opts.date);
  const outDir = resolve(opts.outDir);
  const file = join(outDir, "cards.html");
  const files = [opts.input, opts.customers, opts.interactions].filter(
    (p): p is string => !!p && p !== "-" && existsSync(p) && statSync(p).isFile(),
  );
  await refuseUnsafePaths({
    inputs: files.map((p) => resolve(p)),
    outDir,
    outputs: [],
    alsoWrites: [file],
    history: opts.history,
  });
  const { run } = await runNotebook({
    input: opts.input,
    customers: opts.customers,
    interactions: opts.interactions,
    outDir,
    lang: opts.lang,
    outputs: [],
    overrides: opts.overrides,
    progress: opts.progress,
    stdin: opts.stdin,
  });
  const a = run.analysis;
  const owner = opts.owner === undefined ? null : opts.owner.trim();
  const day = date ?? a.asOf;
  let cards;
  try {
    cards = todaysCards(a, { date: day, owner });
  } catch (e) {
    if (!(e instanceof UnknownOwnerError)) throw e;
    throw new NotebookError(
      e.known.length
        ? { key: "cards.error.owner", params: { owner: opts.owner!, owners: e.known.join(", ") } }
        : { key: "cards.error.noOwners", params: { owner: opts.owner! } },
    );
  }
  const earlier = opts.history
    ? await earlierSnapshots(opts.history, a.asOf, opts.lang)
    : undefined;
  const rev = review(a, { date: day, owner, earlier });
  const html = renderCardsHtml({
    analysis: a,
    cards,
    review: rev,
    lang: opts.lang,
    date: day,
    owner,
  });
  await writeFileAtomic(file, html);
  return { file, cards: cards.length };
}
