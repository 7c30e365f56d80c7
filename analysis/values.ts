/**
 * Text a person would read as a number or a date (SPEC §3), parsed in place: every function
 * takes (s, start, end) and never slices, because the CSV reader calls them once per cell.
 * Unreadable input gives NaN — callers turn NaN into an Issue; nothing here guesses.
 */
import type { ValueOptions } from "./types.js";
import { dayFromYmd } from "./dates.js";

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The char codes of a text in a typed array, one element per UTF-16 code unit (the CSV reader
 * reads its hot loops from one: about twice as fast as charCodeAt in V8).
 */
export type Codes = Uint8Array | Uint16Array;

/**
 * The white space String.prototype.trim removes (ECMAScript's WhiteSpace and LineTerminator):
 * tab, line feed, vertical tab, form feed, carriage return, space, no-break spaces, the Unicode
 * spaces U+1680 and U+2000–U+200A, line and paragraph separators, U+205F, the ideographic
 * (full-width) space and the byte order mark. Every reader trims by it (the CSV reader's fast
 * path, String.trim elsewhere, and the SQL of analysis/sql/aggregate.ts), so an ID padded with
 * any of them is one customer whichever way it is read.
 */
export function isSpaceCode(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Value of an ASCII or full-width digit, -1 otherwise. */
export function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 0xff10 && c <= 0xff19) return c - 0xff10;
  return -1;
}

const isMinus = (c: number): boolean => c === 45 || c === 0xff0d || c === 0x2212;
const isPlus = (c: number): boolean => c === 43 || c === 0xff0b;
const isOpenParen = (c: number): boolean => c === 40 || c === 0xff08;
const isCloseParen = (c: number): boolean => c === 41 || c === 0xff09;

/** $ ¥ ￥ € £ ＄ — one-character currency symbols. */
const isCurrencySymbol = (c: number): boolean =>
  c === 36 || c === 0xa5 || c === 0xffe5 || c === 0x20ac || c === 0xa3 || c === 0xff04;

const CURRENCY_CODES = new Set(["RMB", "CNY", "USD", "EUR", "GBP", "HKD", "JPY", "US$"]);

const isAsciiLetter = (c: number): boolean => (c | 0x20) >= 97 && (c | 0x20) <= 122;

/** Length of a currency token starting at i ("¥", "RMB", "US$"), 0 when none. */
function currencyAt(s: string, i: number, j: number): number {
  const c = s.charCodeAt(i);
  if (isCurrencySymbol(c)) return 1;
  if (isAsciiLetter(c) && i + 3 <= j && CURRENCY_CODES.has(s.slice(i, i + 3).toUpperCase()))
    return 3;
  return 0;
}

/** Length of a currency token ending at j ("€", "元", "CNY"), 0 when none. */
function currencyBefore(s: string, i: number, j: number): number {
  const c = s.charCodeAt(j - 1);
  if (isCurrencySymbol(c) || c === 0x5143 /* 元 */) return 1;
  if (isAsciiLetter(c) && j - 3 >= i && CURRENCY_CODES.has(s.slice(j - 3, j).toUpperCase()))
    return 3;
  return 0;
}

/** Options of number reading (a subset of ValueOptions). */
export type NumberOptions = Pick<ValueOptions, "decimalComma">;

/**
 * A number written as text, NaN when unreadable. Accepted: optional sign (+ - − and
 * full-width), currency symbol or code before or after ("¥1,234.50", "1 234,50 €" with
 * decimalComma, "1,234.50元", "RMB 100"), "(123.00)" as negative, a trailing minus ("123-"),
 * full-width digits and punctuation, exponent ("1.5E+3"). Grouping must be regular (groups of
 * three): "1,23" is unreadable rather than silently 123.
 */
export function parseNumberText(
  s: string,
  start: number,
  end: number,
  opts: NumberOptions,
): number {
  let i = start;
  let j = end;
  if (j > i && digitValue(s.charCodeAt(i)) >= 0 && digitValue(s.charCodeAt(j - 1)) >= 0) {
    return parseBody(s, i, j, opts.decimalComma);
  }
  let neg = false;
  let sign = false;
  let paren = false;
  let closed = false;
  let cur = false;
  while (i < j) {
    const c = s.charCodeAt(i);
    if (isSpaceCode(c)) i++;
    else if (!paren && !sign && !cur && isOpenParen(c)) {
      paren = true;
      i++;
    } else if (!sign && (isMinus(c) || isPlus(c))) {
      sign = true;
      neg = isMinus(c);
      i++;
    } else if (!cur && currencyAt(s, i, j) > 0) {
      cur = true;
      i += currencyAt(s, i, j);
    } else break;
  }
  while (j > i) {
    const c = s.charCodeAt(j - 1);
    if (isSpaceCode(c)) j--;
    else if (paren && !closed && isCloseParen(c)) {
      closed = true;
      j--;
    } else if (!cur && currencyBefore(s, i, j) > 0) {
      cur = true;
      j -= currencyBefore(s, i, j);
    } else if (!sign && isMinus(c)) {
      sign = true;
      neg = true;
      j--;
    } else break;
  }
  if (i >= j || paren !== closed || (paren && sign)) return NaN;
  const v = parseBody(s, i, j, opts.decimalComma);
  return neg || paren ? -v : v;
}

function isGroupSep(c: number, decimalComma: boolean): boolean {
  if (!decimalComma) return c === 44 || c === 0xff0c;
  return (
    c === 46 || c === 0xff0e || c === 32 || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 39
  );
}

function isDecimalSep(c: number, decimalComma: boolean): boolean {
  return decimalComma ? c === 44 || c === 0xff0c : c === 46 || c === 0xff0e;
}

/**
 * The common case of parseNumberText, read from char codes: an optional leading "-", then
 * ASCII digits with at most one "." and at most 15 digits, starting and ending with a digit
 * ("193.72", "-5", "12"), read as parseBody reads them (the mantissa as an integer, divided
 * once by a power of ten: one rounding, so the nearest double). NaN for anything else, which
 * parseNumberText then reads.
 */
export function plainNumberCodes(u: Codes, a: number, b: number): number {
  const neg = u[a] === 45;
  const i = neg ? a + 1 : a;
  if (b - i > 16 || i >= b || !isAsciiDigit(u[i]) || !isAsciiDigit(u[b - 1])) return NaN;
  let mant = 0;
  let dot = -1;
  for (let k = i; k < b; k++) {
    const c = u[k];
    if (isAsciiDigit(c)) mant = mant * 10 + (c - 48);
    else if (c === 46 && dot < 0) dot = k;
    else return NaN;
  }
  if (dot < 0 && b - i > 15) return NaN;
  const v = dot < 0 ? mant : mant / POW10[b - dot - 1];
  return neg ? -v : v;
}

const isAsciiDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Digits with regular grouping, one decimal separator and an optional exponent. */
function parseBody(s: string, i: number, j: number, decimalComma: boolean): number {
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let lead = 0;
  let group = -1;
  let dot = false;
  for (let k = i; k < j; k++) {
    const c = s.charCodeAt(k);
    const d = digitValue(c);
    if (d >= 0) {
      mant = mant * 10 + d;
      digits++;
      if (dot) frac++;
      else if (group >= 0) group++;
      else lead++;
    } else if (isGroupSep(c, decimalComma)) {
      if (dot || (group >= 0 ? group !== 3 : lead < 1 || lead > 3)) return NaN;
      group = 0;
    } else if (isDecimalSep(c, decimalComma)) {
      if (dot || (group >= 0 && group !== 3)) return NaN;
      dot = true;
    } else if ((c === 101 || c === 69) && digits > 0 && group < 0) {
      return hasExponent(s, k + 1, j) ? slowNumber(s, i, j, decimalComma) : NaN;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || (group >= 0 && !dot && group !== 3)) return NaN;
  if (digits > 15) return slowNumber(s, i, j, decimalComma);
  return frac === 0 ? mant : mant / POW10[frac];
}

function hasExponent(s: string, k: number, j: number): boolean {
  if (k < j && (isMinus(s.charCodeAt(k)) || isPlus(s.charCodeAt(k)))) k++;
  if (k >= j) return false;
  for (; k < j; k++) if (digitValue(s.charCodeAt(k)) < 0) return false;
  return true;
}

/** Exact conversion for long mantissas and exponents: normalise to ASCII and let Number() round. */
function slowNumber(s: string, i: number, j: number, decimalComma: boolean): number {
  let t = "";
  for (let k = i; k < j; k++) {
    const c = s.charCodeAt(k);
    const d = digitValue(c);
    if (d >= 0) t += d;
    else if (isDecimalSep(c, decimalComma)) t += ".";
    else if (isMinus(c)) t += "-";
    else if (isPlus(c)) t += "+";
    else if (c === 101 || c === 69) t += "e";
  }
  return Number(t);
}

/** Date separators, full-width folded to ASCII: / - . */
function dateSep(c: number): number {
  if (c === 0xff0f) return 47;
  if (c === 0xff0d) return 45;
  if (c === 0xff0e) return 46;
  return c;
}

const CJK_YEAR = 0x5e74; // 年
const CJK_MONTH = 0x6708; // 月
const CJK_DAY = 0x65e5; // 日
const CJK_HAO = 0x53f7; // 号

/** Characters allowed in a time of day after the date ("14:30", "2:30 PM", "下午2点30分", "T14:30:00+08:00"). */
function isTimeChar(c: number): boolean {
  if (digitValue(c) >= 0 || isSpaceCode(c)) return true;
  switch (c) {
    case 58:
    case 0xff1a:
    case 46:
    case 44:
    case 43:
    case 45:
    case 90:
    case 122:
    case 65:
    case 97:
    case 80:
    case 112:
    case 77:
    case 109:
    case 0x4e0a:
    case 0x4e0b:
    case 0x5348:
    case 0x65f6:
    case 0x5206:
    case 0x79d2:
    case 0x70b9:
      return true;
    default:
      return false;
  }
}

/** True when s[k, j) is empty or a time of day (which is dropped). */
function isTimeTail(s: string, k: number, j: number): boolean {
  if (k === j) return true;
  const c = s.charCodeAt(k);
  if (c !== 84 && c !== 116 && !isSpaceCode(c)) return false;
  let digit = false;
  for (k++; k < j; k++) {
    const x = s.charCodeAt(k);
    if (!isTimeChar(x)) return false;
    if (digitValue(x) >= 0) digit = true;
  }
  return digit;
}

/** Options of date reading (a subset of ValueOptions). */
export type DateOptions = Pick<ValueOptions, "dateOrder">;

/**
 * A date written as text → epoch day, NaN when unreadable or not a real date. Accepted:
 * year first "2024-01-05", "2024/1/5", "2024.1.5", "2024年1月5日"; "20240105" (yyyymmdd);
 * year last "05/01/2024", "5.1.2024", "5-1-24" read per opts.dateOrder (two-digit years as
 * Excel does: 00–29 → 20xx, 30–99 → 19xx); any of these followed by a time of day
 * ("2024-01-05 14:30", "2024-01-05T14:30:00Z"), which is dropped. Full-width digits and
 * separators are accepted.
 */
export function parseDateText(s: string, start: number, end: number, opts: DateOptions): number {
  let i = start;
  let j = end;
  while (i < j && isSpaceCode(s.charCodeAt(i))) i++;
  while (j > i && isSpaceCode(s.charCodeAt(j - 1))) j--;
  let a = 0;
  let k = i;
  for (let d; k < j && (d = digitValue(s.charCodeAt(k))) >= 0; k++) a = a * 10 + d;
  const na = k - i;
  if (na === 8) {
    return isTimeTail(s, k, j)
      ? dayFromYmd(Math.floor(a / 10_000), Math.floor(a / 100) % 100, a % 100)
      : NaN;
  }
  if (na === 4) return yearFirst(s, k, j, a);
  if (na === 1 || na === 2) return yearLast(s, k, j, a, opts.dateOrder);
  return NaN;
}

/** One or two digits at k, packed as value * 4 + digit count; -1 when there is no digit. */
function smallNumber(s: string, k: number, j: number): number {
  const d1 = k < j ? digitValue(s.charCodeAt(k)) : -1;
  if (d1 < 0) return -1;
  const d2 = k + 1 < j ? digitValue(s.charCodeAt(k + 1)) : -1;
  return d2 < 0 ? d1 * 4 + 1 : (d1 * 10 + d2) * 4 + 2;
}

function yearFirst(s: string, k: number, j: number, y: number): number {
  if (k >= j) return NaN;
  const sep = dateSep(s.charCodeAt(k));
  const cjk = sep === CJK_YEAR;
  if (!cjk && sep !== 45 && sep !== 47 && sep !== 46) return NaN;
  const m = smallNumber(s, k + 1, j);
  if (m < 0) return NaN;
  k += 1 + (m & 3);
  if (k >= j || dateSep(s.charCodeAt(k)) !== (cjk ? CJK_MONTH : sep)) return NaN;
  const d = smallNumber(s, k + 1, j);
  if (d < 0) return NaN;
  k += 1 + (d & 3);
  if (cjk && k < j && (s.charCodeAt(k) === CJK_DAY || s.charCodeAt(k) === CJK_HAO)) k++;
  return isTimeTail(s, k, j) ? dayFromYmd(y, m >> 2, d >> 2) : NaN;
}

function yearLast(s: string, k: number, j: number, p1: number, order: "mdy" | "dmy"): number {
  if (k >= j) return NaN;
  const sep = dateSep(s.charCodeAt(k));
  if (sep !== 45 && sep !== 47 && sep !== 46) return NaN;
  const p2 = smallNumber(s, k + 1, j);
  if (p2 < 0) return NaN;
  k += 1 + (p2 & 3);
  if (k >= j || dateSep(s.charCodeAt(k)) !== sep) return NaN;
  let y = 0;
  let n = 0;
  for (k++; k < j && digitValue(s.charCodeAt(k)) >= 0; k++, n++)
    y = y * 10 + digitValue(s.charCodeAt(k));
  if (n === 2) y += y < 30 ? 2000 : 1900;
  else if (n !== 4) return NaN;
  if (!isTimeTail(s, k, j)) return NaN;
  return order === "mdy" ? dayFromYmd(y, p1, p2 >> 2) : dayFromYmd(y, p2 >> 2, p1);
}

/** What a column's slash dates with the year last say about day/month order. */
export type DateOrderVerdict = "mdy" | "dmy" | "ambiguous" | "conflict" | "none";

/** Running count of a column's evidence (see tallyDateOrder). */
export interface DateOrderTally {
  mdy: number;
  dmy: number;
  ambiguous: number;
}

export const newDateOrderTally = (): DateOrderTally => ({ mdy: 0, dmy: 0, ambiguous: 0 });

/**
 * Adds one value to the tally from its two readings: as month-first and as day-first.
 * Only year-last dates read differently; one that exists in a single order is evidence.
 */
export function tallyDateOrder(t: DateOrderTally, asMdy: number, asDmy: number): void {
  if (asMdy === asDmy || (asMdy !== asMdy && asDmy !== asDmy)) return;
  if (asMdy !== asMdy) t.dmy++;
  else if (asDmy !== asDmy) t.mdy++;
  else t.ambiguous++;
}

/** mdy/dmy when the evidence is one-sided, conflict when both, ambiguous when none but needed. */
export function decideDateOrder(t: DateOrderTally): DateOrderVerdict {
  if (t.mdy > 0 && t.dmy > 0) return "conflict";
  if (t.mdy > 0) return "mdy";
  if (t.dmy > 0) return "dmy";
  return t.ambiguous > 0 ? "ambiguous" : "none";
}

const MDY: DateOptions = { dateOrder: "mdy" };
const DMY: DateOptions = { dateOrder: "dmy" };

/**
 * Adds s[start, end) to the tally. Cheap for values that cannot depend on the order (they
 * don't start with a 1–2 digit part); the others are read both ways.
 */
export function tallyDateText(t: DateOrderTally, s: string, start: number, end: number): void {
  let i = start;
  while (i < end && isSpaceCode(s.charCodeAt(i))) i++;
  let k = i;
  while (k < end && k - i < 3 && digitValue(s.charCodeAt(k)) >= 0) k++;
  if (k === i || k - i > 2) return;
  tallyDateOrder(t, parseDateText(s, start, end, MDY), parseDateText(s, start, end, DMY));
}

/**
 * Day/month order of a column of date texts: "dmy" when some first part is above 12,
 * "mdy" when some second part is, "conflict" when both occur, "ambiguous" when slash dates
 * exist but none decides, "none" when no value depends on the order.
 */
export function detectDateOrder(values: Iterable<string>): DateOrderVerdict {
  const t = newDateOrderTally();
  for (const v of values) tallyDateText(t, v, 0, v.length);
  return decideDateOrder(t);
}

/** Excel error values as Excel's API and exceljs write them. */
const EXCEL_ERRORS = new Set([
  "#N/A",
  "#VALUE!",
  "#REF!",
  "#DIV/0!",
  "#NUM!",
  "#NAME?",
  "#NULL!",
  "#SPILL!",
  "#CALC!",
  "#GETTING_DATA",
  "#FIELD!",
  "#BLOCKED!",
  "#CONNECT!",
  "#BUSY!",
  "#UNKNOWN!",
  "#PYTHON!",
]);

/** True for "#N/A", "#VALUE!" and the other Excel error texts. */
export function isExcelError(text: string): boolean {
  return text.length > 1 && text.charCodeAt(0) === 35 && EXCEL_ERRORS.has(text.toUpperCase());
}

const YES = new Set(["是", "有", "对", "y", "yes", "true", "1", "✓", "√", "✔"]);
const NO = new Set(["否", "无", "没有", "不", "n", "no", "false", "0", "×", "✗", "✘"]);

/** Yes/no in both languages (是/否, 有/无, Y/N, TRUE/FALSE, 1/0); null when neither. */
export function parseYesNo(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return null;
}
