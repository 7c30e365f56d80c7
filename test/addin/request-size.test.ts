/**
 * Request sizing (issue 15 §3): the adapter counts a request's bytes as the in-memory workbook
 * does (JSON.stringify's text in UTF-8) without encoding it, values and number formats
 * together, so no request passes the host's limit. At 1,000,000 order rows a block's "@"
 * formats once pushed a request to 4.9 MB (npm run bench writes that size; here a lowered
 * limit makes a small workbook need the same splitting).
 */
import { describe, expect, it, vi } from "vitest";
import { analyzeWorkbook } from "../../addin/analyze.js";
import { largeWorkbook } from "../../addin/bench-sync.js";
import {
  ExcelPort,
  jsonStringBytes,
  rowBytes,
  utf8Length,
  valueBytes,
} from "../../addin/excel-adapter.js";
import { FakeExcel, utf8Bytes } from "../../addin/fake-excel.js";

const encoder = new TextEncoder();

const TRICKY = [
  "",
  "plain",
  'quote " and \\ backslash',
  "control \u0000\u0001\b\t\n\u000b\f\r\u001f\u007f",
  "é ß ñ ÿ \u07ff",
  "\u0800 客户 华东 — € ¥ \uffff",
  "emoji 😀 👩‍💻 𝕏",
  "lone high \ud800 end",
  "lone low \udc00 end",
  "high at end \ud83d",
  "\udc00\ud800", // reversed pair: two lone surrogates
  "\u2028\u2029 line separators",
  "'007",
  "=1+1",
];

describe("request bytes, counted without encoding", () => {
  it("utf8Length equals TextEncoder's length", () => {
    for (const s of TRICKY) expect(utf8Length(s), JSON.stringify(s)).toBe(encoder.encode(s).length);
  });

  it("a value's bytes equal its JSON's UTF-8 bytes, as the in-memory workbook counts them", () => {
    const values: unknown[] = [
      ...TRICKY,
      0,
      -0,
      1.5,
      -12.25,
      1e21,
      1e-7,
      NaN,
      Infinity,
      true,
      false,
      null,
    ];
    for (const v of values) expect(valueBytes(v), String(v)).toBe(utf8Bytes(v));
    for (const s of TRICKY) expect(jsonStringBytes(s)).toBe(utf8Bytes(s));
    // a row with its comma; an array of rows is "[" + rows + "]" with the last comma dropped
    const rows = [TRICKY, [1, "a", null], ["😀", 2.5]];
    const total = rows.reduce((s, r) => s + rowBytes(r), 0) + 1;
    expect(total).toBe(utf8Bytes(rows));
  });
});

describe("request sizing", () => {
  it("keeps every request of a full Analyze under the host's limit, values and formats together", async () => {
    // 256 KB instead of 4 MB: the Customers columns, the "@" text columns and the per-cell
    // formats of 2,000 customers each need several requests, as 100,000 customers do at 4 MB.
    const limit = 256 * 1024;
    const excel = new FakeExcel(largeWorkbook(20_000, 2_000), { requestLimitBytes: limit });
    const port = new ExcelPort(excel);
    await analyzeWorkbook(port, { lang: "en" });
    const largest = Math.max(...excel.stats.map((s) => s.requestBytes));
    // sized to ¾ of the limit, and the estimate is an upper bound of what the host counts
    expect(largest).toBeLessThanOrEqual(limit * 0.75);
    expect(largest).toBeGreaterThan(limit * 0.5); // the large writes were split, not tiny
    expect(Math.max(...excel.stats.map((s) => s.responseBytes))).toBeLessThan(limit);
    // everything was written: the result columns of 2,000 customers and the result sheets
    const written = excel.stats.reduce((n, s) => n + s.cellsWritten, 0);
    expect(written).toBeGreaterThan(2_000 * 8);
    expect(excel.book.sheets.length).toBeGreaterThan(6);
  });
});

describe("main-thread slices", () => {
  it("reading and writing give the page a task between slices (a timer runs meanwhile)", async () => {
    // A clock that runs 10 ms a reading makes every few hundred rows a slice, whatever the
    // machine's speed; the in-memory workbook answers within the same task (microtasks), so a
    // timer fires during Analyze's read or write only when the adapter yields.
    let now = 0;
    const clock = vi.spyOn(performance, "now").mockImplementation(() => (now += 10));
    try {
      const excel = new FakeExcel(largeWorkbook(30_000, 3_000));
      let phase = "start";
      const seen = new Set<string>();
      let ticking = true;
      const tick = () => {
        seen.add(phase);
        if (ticking) setTimeout(tick, 0);
      };
      setTimeout(tick, 0);
      await analyzeWorkbook(new ExcelPort(excel), {
        lang: "en",
        onProgress: (p) => (phase = p.phase),
      });
      ticking = false;
      expect([...seen]).toContain("read");
      expect([...seen]).toContain("write");
    } finally {
      clock.mockRestore();
    }
  });
});
