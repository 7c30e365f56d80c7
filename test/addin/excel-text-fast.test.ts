/**
 * generalRead's fast test (most text skips the number, time and date parsers) must give
 * exactly the answers of the parsers: checked on the strings of issue 15 §2, on every piece
 * alone and on many random, adversarial combinations of pieces.
 */
import { describe, expect, it } from "vitest";
import { convertsInGeneral, generalRead, generalReadFull } from "../../addin/excel-text.js";

// Pieces the parsers care about, and look-alikes that must not fool the fast test.
const PIECES = [
  ..."0123456789",
  ..."aApPeEmMxXkKzZqQ",
  ...[" ", "\t", "\n", "\u000b", "\f", "\r", "\u00a0", "\u1680", "\u2000", "\u2005", "\u200a"],
  ...["\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u200b", "\u0085"],
  ...",.+-()%$¥€£:/'=#!?_*&;年月日号时分",
  ..."ſıİKﬁßÅ", // non-ASCII letters whose case mapping yields ASCII letters
  "\ud83d\ude00",
  "\ud800",
  "\udc00",
  "１", // full-width digit: not \d
  "٣", // Arabic-Indic digit: not \d
  "jan",
  "Jan",
  "JAN.",
  "janu",
  "janx",
  "feb",
  "march",
  "Mar",
  "apr",
  "may",
  "jun",
  "june",
  "jul",
  "aug",
  "sep",
  "sept",
  "Sept.",
  "september",
  "septembers",
  "oct",
  "nov",
  "dec",
  "december",
  "decem",
  "am",
  "pm",
  "AM",
  "PM",
  "true",
  "TRUE",
  "false",
  "fal\u017fe",
  "#N/A",
  "#n/a",
  "#DIV/0!",
  "#REF!",
  "#GETTING_DATA",
  "2024",
  "12",
  "12:30",
  "1,234",
  "1e5",
  "1E+5",
  "0.5",
  "C",
  "SO-",
  "客户",
];

const FIXED = [
  "007",
  "1E5",
  "Jan 5",
  "5-Jan",
  "March 2024",
  "12:30 PM",
  "#N/A",
  "#REF!",
  "TRUE",
  "1/2",
  "=1+1",
  " 12",
  "",
  "'",
  "'007",
  "=",
  "+",
  "-",
  "+a",
  "-x",
  "C00017",
  "客户 12",
  "SO-100017",
  "2024-01-05",
  "2024年1月5日",
  "1月5日",
  "1/5/2024 12:30 PM",
  "(1,234.50)",
  "$ 12",
  "12%",
  "Sept 5 2024",
  "5 Jan 2024",
  "Jan-75",
  "e5",
  ".e5",
  "1e",
  "12 a",
  "12p",
];

/** A deterministic pseudo-random generator (the test must not change between runs). */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

describe("generalRead's fast test", () => {
  it("reads the issue's strings as before, and they still convert", () => {
    for (const s of FIXED) expect(generalRead(s), JSON.stringify(s)).toEqual(generalReadFull(s));
    for (const s of ["007", "1E5", "Jan 5", "5-Jan", "March 2024", "12:30 PM", "#N/A", "TRUE"])
      expect(convertsInGeneral(s), s).toBe(true);
    expect(convertsInGeneral("C00017")).toBe(false);
    expect(convertsInGeneral("客户 12")).toBe(false);
    expect(convertsInGeneral("fal\u017fe")).toBe(true); // upper-cases to FALSE
  });

  it("gives the parsers' answer on every piece and on 200,000 random combinations", () => {
    const rnd = rng(20_261_206);
    const strings: string[] = [...PIECES];
    for (const a of PIECES)
      for (const b of ["5", " 5", "-5", " ", "2024", "12:30"]) {
        strings.push(a + b, b + a);
      }
    for (let i = 0; i < 200_000; i++) {
      const n = 1 + Math.floor(rnd() * 6);
      let s = "";
      for (let k = 0; k < n; k++) s += PIECES[Math.floor(rnd() * PIECES.length)];
      strings.push(s);
    }
    let converting = 0;
    const wrong: string[] = [];
    for (const s of strings) {
      const fast = generalRead(s);
      const full = generalReadFull(s);
      if (fast.kind !== full.kind || !Object.is(fast.value, full.value)) wrong.push(s);
      if (full.kind !== "text" || full.value !== s) converting++;
    }
    expect(wrong.map((s) => JSON.stringify(s))).toEqual([]);
    // the set is not trivially all text or all values: both answers occur often
    expect(converting).toBeGreaterThan(strings.length / 20);
    expect(converting).toBeLessThan(strings.length - strings.length / 20);
  });
});
