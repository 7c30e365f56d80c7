/**
 * The ribbon's Analyze (addin/commands/command-run.ts) against the in-memory Excel: Office
 * ends a function command five minutes after the click, so the command hands workbooks above
 * its row limit to the pane before reading them, and starts writing only within its time
 * budget; either way nothing of the workbook changes.
 */
import { describe, expect, it } from "vitest";
import {
  COMMAND_ROW_LIMIT,
  MARGIN_MS,
  RUNTIME_MS,
  runCommand,
  WRITE_BY_MS,
} from "../../addin/commands/command-run.js";
import { ExcelPort } from "../../addin/excel-adapter.js";
import { FakeExcel, type FakeWorkbook } from "../../addin/fake-excel.js";
import { largeWorkbook } from "../../addin/bench-sync.js";
import { userCells, userWorkbook } from "./fixtures.js";

const TODAY = Math.round(Date.parse("2024-07-15") / 86_400_000);

/** Sheet names and every cell: the whole workbook as the user sees it. */
const state = (book: FakeWorkbook) =>
  book.sheets.map((s) => [s.name, [...s.cells].map(([r, row]) => [r, [...row]])]);

describe("the ribbon's Analyze", () => {
  it("runs a workbook within its limits and says how many customers it analysed", async () => {
    const book = userWorkbook();
    const t0 = 1_000_000;
    const out = await runCommand(new ExcelPort(new FakeExcel(book)), {
      lang: "en",
      today: TODAY,
      clock: () => t0,
    });
    expect(out.status).toBe("done");
    expect(out.messages[0]).toEqual({ key: "addin.command.done", params: { customers: 6 } });
    expect(out.noticeUntil).toBe(t0 + RUNTIME_MS - MARGIN_MS);
    expect(book.sheets.length).toBeGreaterThan(4); // its sheets were written
  });

  it("hands a workbook above its row limit to the pane before reading it, nothing written", async () => {
    expect(COMMAND_ROW_LIMIT).toBe(100_000);
    const book = largeWorkbook(3_000, 500);
    const before = state(book);
    const excel = new FakeExcel(book);
    const out = await runCommand(new ExcelPort(excel), {
      lang: "zh",
      today: TODAY,
      rowLimit: 3_000,
    });
    expect(out.status).toBe("handover");
    expect(out.messages).toEqual([
      { key: "addin.command.handover", params: { rows: 3_500, limit: 3_000 } },
    ]);
    expect(state(book)).toEqual(before);
    // no table was read: no request loaded more than the header rows and a few cells
    expect(Math.max(...excel.stats.map((s) => s.cellsRead))).toBeLessThan(100);
    // at the limit it runs
    const ok = await runCommand(new ExcelPort(new FakeExcel(largeWorkbook(2_500, 500))), {
      lang: "zh",
      today: TODAY,
      rowLimit: 3_000,
    });
    expect(ok.status).toBe("done");
  });

  it("does not start writing once its time budget is spent: nothing written, and says so", async () => {
    const book = userWorkbook();
    const cells = userCells(book);
    const before = state(book);
    let now = 0;
    const out = await runCommand(new ExcelPort(new FakeExcel(book)), {
      lang: "en",
      today: TODAY,
      // the click at 0; every later reading of the clock is past the budget
      clock: () => {
        const t = now;
        now = WRITE_BY_MS + 1_000;
        return t;
      },
    });
    expect(out.status).toBe("failed");
    expect(out.messages).toEqual([
      { key: "addin.command.outOfTime", params: { seconds: WRITE_BY_MS / 1000 + 1 } },
    ]);
    expect(userCells(book)).toEqual(cells);
    expect(state(book)).toEqual(before);
  });

  it("leaves room to write: the write budget and the margin fit in Office's five minutes", () => {
    expect(WRITE_BY_MS + 120_000 + MARGIN_MS).toBeLessThanOrEqual(RUNTIME_MS);
  });
});
