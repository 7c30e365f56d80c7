/**
 * How Excel reads a string that is set as a cell's value when the cell's number format is
 * General, as if typed into the cell: number-like, date-like, time-like, boolean and
 * error-like strings become values, and a string that starts with "=", "+" or "-" becomes a
 * formula (Excel.Range.values in the Excel JavaScript API reference, @types/office-js: "If the
 * returned value starts with a plus, minus, or equal sign, Excel interprets this value as a
 * formula"; "Locale-shaped strings … are stored as text instead of as dates" — so what a
 * locale reads as a date becomes a date).
 * A leading apostrophe is Excel's quote prefix: the rest is kept as text and the apostrophe is
 * not part of the value. In a cell formatted as Text ("@") the string is kept as it is, except
 * that the reference names no exception to the formula rule, so "=", "+" and "-" still need the
 * quote prefix there.
 *
 * Shared by the in-memory workbook (which converts as Excel does) and the adapter (which
 * decides when a string needs the quote prefix). Parsing follows Excel in the en-US and
 * zh-CN locales; anything either of them would convert counts as converting.
 */

export type GeneralKind = "text" | "number" | "date" | "time" | "boolean" | "error" | "formula";

export interface GeneralRead {
  kind: GeneralKind;
  /** The stored value: a number (dates and times as serials), a boolean, the error text, or the text. */
  value: string | number | boolean;
}

/** Excel's error values (Microsoft Support, "How to correct a #… error"). */
export const EXCEL_ERRORS = new Set([
  "#N/A",
  "#REF!",
  "#VALUE!",
  "#DIV/0!",
  "#NAME?",
  "#NULL!",
  "#NUM!",
  "#SPILL!",
  "#CALC!",
  "#FIELD!",
  "#BLOCKED!",
  "#CONNECT!",
  "#BUSY!",
  "#UNKNOWN!",
  "#GETTING_DATA",
]);

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** "jan", "january", "sept" → 0-based month; -1 when not a month name. */
function monthOf(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return -1;
  return MONTHS.findIndex((m) => m.startsWith(w) && (w.length === 3 || m === w || w === "sept"));
}

/** Excel serial (1900 system) of a date; NaN when the date does not exist. */
function serial(y: number, m: number, d: number): number {
  const t = Date.UTC(y, m, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m || back.getUTCDate() !== d)
    return NaN;
  return Math.round(t / 86_400_000) + 25569;
}

const THIS_YEAR = 2024; // a fixed year keeps the fake deterministic; only the kind matters

function parseNumber(s: string): number | null {
  let t = s.trim();
  if (!t) return null;
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1).trim();
  }
  let pct = false;
  if (t.endsWith("%")) {
    pct = true;
    t = t.slice(0, -1).trim();
  }
  t = t.replace(/^([+-]?)\s*[$¥€£]\s*/, "$1");
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$/.test(t) || !/\d/.test(t))
    return null;
  if (/^[+-]?[eE]/.test(t) || /^[+-]?\.?[eE]/.test(t)) return null;
  let n = Number(t.replace(/,/g, ""));
  if (!Number.isFinite(n)) return null;
  if (pct) n /= 100;
  return negative ? -n : n;
}

function parseTime(s: string): number | null {
  const m = /^(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}(?:\.\d+)?))?\s*(am|pm|a|p)?$/i.exec(s.trim());
  if (!m) return null;
  if (m[2] === undefined && !m[4]) return null; // "12" alone is a number
  let h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  const sec = Number(m[3] ?? 0);
  if (min > 59 || sec >= 60) return null;
  if (m[4]) {
    if (h > 12 || h === 0) return null;
    const pm = m[4].toLowerCase().startsWith("p");
    h = (h % 12) + (pm ? 12 : 0);
  } else if (h > 23) return null;
  return (h * 3600 + min * 60 + sec) / 86_400;
}

function parseDate(s: string): number | null {
  const t = s.trim().replace(/,/g, " ").replace(/\s+/g, " ");
  let m: RegExpExecArray | null;
  // 2024-01-05, 2024/1/5
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t)))
    return nan(serial(+m[1], +m[2] - 1, +m[3]));
  // 1/5/2024, 1-5-24 (month first, en-US)
  if ((m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{2}|\d{4})$/.exec(t)))
    return nan(serial(year(m[3]), +m[1] - 1, +m[2]));
  // 1/2, 1-2 (month/day of this year); 1/2024 (month/year)
  if ((m = /^(\d{1,2})[-/](\d{1,4})$/.exec(t))) {
    const a = +m[1];
    const b = +m[2];
    if (m[2].length === 4) return nan(serial(b, a - 1, 1));
    return nan(serial(THIS_YEAR, a - 1, b));
  }
  // 2024年1月5日, 2024年1月, 1月5日
  if ((m = /^(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?$/.exec(t)) && (m[1] || m[3]))
    return nan(serial(m[1] ? +m[1] : THIS_YEAR, +m[2] - 1, m[3] ? +m[3] : 1));
  // words: "Jan 5", "5-Jan", "March 2024", "5 Jan 2024", "Jan 5 2024", "Jan-24"
  const parts = t.split(/[\s-/]+/).filter(Boolean);
  if (parts.length < 2 || parts.length > 3) return null;
  const mi = parts.findIndex((p) => monthOf(p) >= 0);
  if (mi < 0) return null;
  const month = monthOf(parts[mi]);
  const nums = parts.filter((_, i) => i !== mi);
  if (!nums.every((p) => /^\d{1,4}$/.test(p))) return null;
  if (nums.length === 1) {
    const n = nums[0];
    if (n.length === 4) return nan(serial(+n, month, 1)); // March 2024
    if (+n >= 1 && +n <= 31) return nan(serial(THIS_YEAR, month, +n)); // Jan 5, 5-Jan
    return nan(serial(year(n), month, 1)); // Jan-75
  }
  const [a, b] = nums;
  const day = a.length <= 2 ? +a : +b;
  const yr = a.length <= 2 ? b : a;
  return nan(serial(year(yr), month, day));
}

const nan = (n: number): number | null => (Number.isFinite(n) ? n : null);
const year = (y: string): number => (y.length === 4 ? +y : +y < 30 ? 2000 + +y : 1900 + +y);

/** Characters other than ASCII letters and digits that a number, time or date may hold. */
const VALUE_MARKS = new Set([..." ,.+-()%$¥€£:/年月日"]);
/** Whitespace as `\s` and String.prototype.trim see it (ECMAScript WhiteSpace + LineTerminator). */
const isSpace = (c: number): boolean =>
  c === 9 ||
  c === 10 ||
  c === 11 ||
  c === 12 ||
  c === 13 ||
  c === 32 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Could the number, time or date parsers read `t` (trimmed) as a value? A fast, conservative
 * test, so that most text (names, IDs such as "C00017", reasons) skips the parsers: each of
 * them needs a digit, accepts no characters but digits, letters, whitespace and VALUE_MARKS,
 * and accepts a run of letters only as an exponent ("e"), "am"/"pm"/"a"/"p" or a month name
 * ("Jan", "Sept", "March"). False means none of them can; true means "run them".
 * test/addin/excel-text-fast.test.ts checks generalRead against the parsers on every string.
 */
function mayBeValue(t: string): boolean {
  let digit = false;
  for (let i = 0; i < t.length;) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digit = true;
      i++;
    } else if (isLetter(c)) {
      let j = i + 1;
      while (j < t.length && isLetter(t.charCodeAt(j))) j++;
      const run = t.slice(i, j);
      if (j - i > 9) return false; // "september" is the longest word any parser takes
      const w = run.toLowerCase();
      if (w !== "e" && w !== "a" && w !== "p" && w !== "am" && w !== "pm" && monthOf(w) < 0)
        return false;
      i = j;
    } else if (isSpace(c) || VALUE_MARKS.has(t[i])) i++;
    else return false;
  }
  return digit;
}

/** What Excel stores when `s` is set as the value of a General-formatted cell. */
export function generalRead(s: string): GeneralRead {
  if (s === "") return { kind: "text", value: "" };
  if (s.startsWith("'")) return { kind: "text", value: s.slice(1) };
  if (s.startsWith("=") && s.length > 1) return { kind: "formula", value: s };
  const t = s.trim();
  const upper = t.toUpperCase();
  if (upper === "TRUE" || upper === "FALSE") return { kind: "boolean", value: upper === "TRUE" };
  if (EXCEL_ERRORS.has(upper)) return { kind: "error", value: upper };
  return mayBeValue(t) ? parseValue(s, t) : textOrSignFormula(s);
}

/** generalRead without the fast test (the equivalence test compares the two). */
export function generalReadFull(s: string): GeneralRead {
  if (s === "") return { kind: "text", value: "" };
  if (s.startsWith("'")) return { kind: "text", value: s.slice(1) };
  if (s.startsWith("=") && s.length > 1) return { kind: "formula", value: s };
  const t = s.trim();
  const upper = t.toUpperCase();
  if (upper === "TRUE" || upper === "FALSE") return { kind: "boolean", value: upper === "TRUE" };
  if (EXCEL_ERRORS.has(upper)) return { kind: "error", value: upper };
  return parseValue(s, t);
}

function textOrSignFormula(s: string): GeneralRead {
  // Excel takes "+x" and "-x" as a formula too (Range.values reference).
  if ((s.startsWith("+") || s.startsWith("-")) && s.length > 1)
    return { kind: "formula", value: s };
  return { kind: "text", value: s };
}

/** The number, time and date readings of `t` (`s` trimmed), else text or a "+"/"-" formula. */
function parseValue(s: string, t: string): GeneralRead {
  const n = parseNumber(t);
  if (n !== null) return { kind: "number", value: n };
  const tm = parseTime(t);
  if (tm !== null) return { kind: "time", value: tm };
  const d = parseDate(t);
  if (d !== null) return { kind: "date", value: d };
  // date and time together: "1/5/2024 12:30 PM"
  const sp = /^(.*\d)\s+(\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?)$/i.exec(t);
  if (sp) {
    const dd = parseDate(sp[1]);
    const tt = parseTime(sp[2]);
    if (dd !== null && tt !== null) return { kind: "date", value: dd + tt };
  }
  return textOrSignFormula(s);
}

/** Would Excel store this string as something other than the same text in a General cell? */
export function convertsInGeneral(s: string): boolean {
  const r = generalRead(s);
  return r.kind !== "text" || r.value !== s;
}
