/**
 * The ribbon's Analyze, kept bounded. It runs in a function-command runtime that Office ends
 * five minutes after the click, whatever it is doing; a run cut off while writing would leave
 * a half-written workbook. So the command takes only what it can finish well inside that time
 * and hands the rest to the pane (which has no such limit, shows progress and can be
 * cancelled):
 *
 * - more than COMMAND_ROW_LIMIT rows to read (all tables together): it stops as soon as the
 *   tables are found, before reading them, and says to use the pane; nothing is written;
 * - it starts writing only within WRITE_BY_MS of the click: a slower read or analysis stops
 *   before the first write, nothing written. Writing the results of 100,000 rows takes well
 *   under the remaining two and a half minutes (a few dozen requests of at most 4 MB);
 * - the closing notice is shown only until RUNTIME_MS less a margin, and the command
 *   completes before Office would end it.
 */
import { analyzeWorkbook } from "../analyze.js";
import { excelErrorMessage } from "../excel-adapter.js";
import type { Analyser } from "../worker-client.js";
import { AddinError, type WorkbookPort } from "../workbook-port.js";
import type { Lang, Message } from "../../analysis/types.js";

/** Rows to read (orders, customers, interactions together) above which the pane takes over. */
export const COMMAND_ROW_LIMIT = 100_000;
/** Office ends a function command's runtime this long after the click. */
export const RUNTIME_MS = 5 * 60_000;
/** The latest moment after the click at which the command may start writing. */
export const WRITE_BY_MS = 150_000;
/** The command completes this long before Office would end it. */
export const MARGIN_MS = 20_000;

export interface CommandOptions {
  lang: Lang;
  /** Milliseconds; the click is the first reading (tests move it). */
  clock?: () => number;
  analyser?: Analyser;
  rowLimit?: number;
  today?: number;
}

export interface CommandOutcome {
  /** "done": written; "handover": too large, nothing written; "failed": nothing or all kept. */
  status: "done" | "handover" | "failed";
  messages: Message[];
  /** Until when (clock time) the notice may stay open. */
  noticeUntil: number;
}

export async function runCommand(
  port: WorkbookPort,
  opts: CommandOptions,
): Promise<CommandOutcome> {
  const clock = opts.clock ?? Date.now;
  const start = clock();
  const limit = opts.rowLimit ?? COMMAND_ROW_LIMIT;
  const noticeUntil = start + RUNTIME_MS - MARGIN_MS;
  const ctl = new AbortController();
  let tooMany = 0;
  try {
    const summary = await analyzeWorkbook(port, {
      lang: opts.lang,
      signal: ctl.signal,
      analyser: opts.analyser,
      today: opts.today,
      onProgress: (p) => {
        // the first read progress names the total before any row is read
        if (p.phase === "read" && p.total > limit && !tooMany) {
          tooMany = p.total;
          ctl.abort();
        }
      },
      beforeWrite: () => {
        const spent = clock() - start;
        if (spent > WRITE_BY_MS)
          throw new AddinError({
            key: "addin.command.outOfTime",
            params: { seconds: Math.round(spent / 1000) },
          });
      },
    });
    return {
      status: "done",
      messages: [
        { key: "addin.command.done", params: { customers: summary.customers } },
        ...summary.notices,
      ],
      noticeUntil,
    };
  } catch (e) {
    if (tooMany)
      return {
        status: "handover",
        messages: [{ key: "addin.command.handover", params: { rows: tooMany, limit } }],
        noticeUntil,
      };
    return {
      status: "failed",
      messages: [(e as { msg?: Message } | null)?.msg ?? excelErrorMessage(e)],
      noticeUntil,
    };
  }
}
