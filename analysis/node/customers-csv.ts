/**
 * customers.csv written line by line (notebook.ts streams it into the file): the text of
 * csvChunks(CSV_COLUMNS, customerCsvRow of each customer), built without an array of values per
 * customer (a million customers made 22 million values to collect). test/node/customers-csv.test.ts
 * holds it to that text.
 *
 * Decisions (issue 19 §5, a million customers):
 * - The file's bytes are encoded line by line into one reused buffer (customerCsvBytes), not
 *   made as a 1 MB string per chunk and copied to a new Buffer: the string of a chunk was a
 *   chain of thousands of pieces to flatten first.
 * - Most of a line's fields come from few values: codes, small counts, dates. Their CSV text is
 *   kept once made (small tables, bounded). Money and model figures are written from toFixed
 *   without the round trip through a number (see fixedText).
 * - A stage reason's notes ("dormant for 200 days", "P(alive) rules skipped") are shared by
 *   many customers: their text is kept by content; the reason itself is rendered by t().
 */
import type { CustomerResult, Lang, Message } from "../types.js";
import { isoDay } from "../dates.js";
import {
  CATALOG,
  compiled,
  formatParam,
  rendered,
  t,
  type FormatContext,
  type Placeholder,
} from "../messages/index.js";
import { CSV_COLUMNS, round } from "../output/customers.js";
import { csvField, csvLine, csvText } from "./csv-write.js";

/** An array of rows, or pipeline.ts customerRows: each row made as it is written. */
export interface CustomerRowSource {
  length: number;
  at(i: number): CustomerResult | undefined;
}

/**
 * customers.csv as text chunks of about `size` characters (BOM, header, CRLF lines): the same
 * text as csvChunks(CSV_COLUMNS, customerCsvRow of each), written field by field without an
 * array per customer.
 */
export function* customerCsvChunks(
  customers: CustomerRowSource,
  lang: Lang,
  currency: string,
  size = 1 << 20,
): Generator<string> {
  const line = lineWriter(lang, currency);
  let chunk = "\uFEFF" + csvLine(CSV_COLUMNS);
  for (let i = 0; i < customers.length; i++) {
    chunk += line(customers.at(i)!) + "\r\n";
    if (chunk.length >= size) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/**
 * customers.csv as UTF-8 bytes, in chunks of about `size` bytes, for a million customers
 * streamed to the file: the bytes of customerCsvChunks' text. Each chunk is a view of one
 * buffer that the next chunk overwrites: write it (and wait) before asking for the next.
 */
export function* customerCsvBytes(
  customers: CustomerRowSource,
  lang: Lang,
  currency: string,
  size = 1 << 20,
): Generator<Uint8Array> {
  const line = lineWriter(lang, currency);
  // room for a chunk plus its last line at 3 bytes per UTF-16 unit (UTF-8's most)
  const room = size + (1 << 16);
  const buf = Buffer.allocUnsafe(room);
  let at = buf.write("\uFEFF" + csvLine(CSV_COLUMNS), 0, "utf8");
  for (let i = 0; i < customers.length; i++) {
    const text = line(customers.at(i)!);
    if (at + 3 * text.length + 2 > room) {
      if (at > 0) yield buf.subarray(0, at);
      at = 0;
      if (3 * text.length + 2 > room) {
        yield Buffer.from(text + "\r\n", "utf8"); // a line longer than the buffer: a very long name
        continue;
      }
    }
    at += buf.write(text, at);
    buf[at++] = 13; // CR
    buf[at++] = 10; // LF
    if (at >= size) {
      yield buf.subarray(0, at);
      at = 0;
    }
  }
  if (at > 0) yield buf.subarray(0, at);
}

/** One customers.csv line with its CRLF: csvLine(customerCsvRow(c, lang, currency)). */
export function customerCsvLine(c: CustomerResult, lang: Lang, currency: string): string {
  return lineWriter(lang, currency)(c) + "\r\n";
}

/**
 * A table of texts by whole number 0 … n − 1, made dense at once: an array filled from index
 * 20,000 up (an epoch day) would turn into a slow dictionary in V8.
 */
const table = (n: number): (string | undefined)[] =>
  new Array<string | undefined>(n).fill(undefined);

/** csvField of a number of customerCsvRow (null: empty); counts and scores below 10,000 kept. */
const smallInts = table(10_000);
function num(x: number | null): string {
  if (x === null) return "";
  if (x >= 0 && x < 10_000 && Number.isInteger(x)) {
    return (smallInts[x] ??= csvField(x));
  }
  return csvField(x);
}

/**
 * csvField(round(x, digits)) without the round trip: toFixed's text with its trailing zeros
 * (and a bare point) cut is what String(Number(text)) prints whenever the text has at most 15
 * significant digits — a decimal of 15 digits reads back from its double unchanged, and no
 * shorter decimal reads as the same double — which |x| < 10^(15 − digits) ensures. "-0" (a
 * negative that rounds to zero) is written 0, as csvField writes −0. Others take round().
 */
function fixedText(x: number | null, digits: number, limit: number): string {
  if (x === null) return "";
  if (!(x < limit && x > -limit)) return num(round(x, digits));
  const s = x.toFixed(digits);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--; // "0"
  if (s.charCodeAt(end - 1) === 46) end--; // "."
  if (end === 2 && s.charCodeAt(0) === 45 && s.charCodeAt(1) === 48) return "0"; // "-0"
  return end === s.length ? s : s.slice(0, end);
}
/**
 * csvField(round(x, 2)). An amount in whole cents — x the double nearest to k / 100, as sums of
 * prices mostly are — is written from k: toFixed(2) of it is k / 100 (x lies far closer to it
 * than half a cent), so fixedText's text is k / 100 without trailing zeros. Others: fixedText.
 */
function money(x: number | null): string {
  if (x === null) return "";
  const k = Math.round(x * 100);
  if (!(k / 100 === x && k > 0 && k < 1e15)) return fixedText(x, 2, 1e13);
  return centsText(k);
}

/** k / 100 written with at most two decimals, no trailing zeros (k a whole number > 0). */
function centsText(k: number): string {
  const whole = Math.floor(k / 100);
  const cents = k - whole * 100;
  if (cents === 0) return String(whole);
  if (cents % 10 === 0) return whole + "." + cents / 10;
  return whole + (cents < 10 ? ".0" : ".") + cents;
}
const figure = (x: number | null) => fixedText(x, 6, 1e9);

/** The CSV text of codes and other short texts met again and again (segment, stage …). */
const codes = new Map<string, string>();
function code(s: string | null): string {
  if (s === null) return "";
  let f = codes.get(s);
  if (f === undefined) {
    f = csvText(s);
    if (codes.size > 10_000) codes.clear();
    codes.set(s, f);
  }
  return f;
}

/** ISO dates by epoch day, made once each: a million customers' dates fall on a few thousand days. */
const isoDays = table(100_000); // 1970 … 2243
const isoOther = new Map<number, string>();
function isoOrEmpty(d: number | null): string {
  if (d === null) return "";
  if (d >= 0 && d < 100_000 && Number.isInteger(d)) return (isoDays[d] ??= csvField(isoDay(d)));
  let s = isoOther.get(d);
  if (s === undefined) {
    s = csvField(isoDay(d));
    if (isoOther.size > 100_000) isoOther.clear();
    isoOther.set(d, s);
  }
  return s;
}

/**
 * The line writer for a language and currency: customerCsvLine's text of each customer without
 * its CRLF. The fields go into one array reused from line to line and are joined: join makes
 * the line one flat string, where + would chain 44 pieces to flatten again when encoded.
 */
function lineWriter(lang: Lang, currency: string): (c: CustomerResult) => string {
  const reason = reasonWriter(lang, { currency });
  const f = new Array<string>(CSV_COLUMNS.length).fill("");
  return (c) => {
    f[0] = text(c.id);
    f[1] = text(c.name);
    f[2] = isoOrEmpty(c.firstPurchase);
    f[3] = isoOrEmpty(c.lastPurchase);
    f[4] = num(c.recencyDays);
    f[5] = num(c.frequency);
    f[6] = money(c.monetary);
    f[7] = money(c.avgOrderValue);
    f[8] = num(c.r);
    f[9] = num(c.f);
    f[10] = num(c.m);
    f[11] = code(c.rfmCode);
    f[12] = code(c.cube);
    f[13] = code(c.segment);
    f[14] = code(c.grade);
    f[15] = code(c.pyramid);
    f[16] = code(c.stage);
    f[17] = c.stageReason ? reason(c.stageReason) : "";
    f[18] = figure(c.pAlive);
    f[19] = figure(c.expectedPurchases52w);
    f[20] = money(c.clv);
    f[21] = isoOrEmpty(c.nextContact);
    return f.join(",");
  };
}

const text = (s: string | null): string => (s === null ? "" : csvText(s));

/**
 * t(lang, m, ctx) of a message without notes (`also` is not read), the same text made with
 * less work: the template's parts are kept by key, and dates and whole numbers — a reason's
 * days, limits and last purchase, met again and again — are formatted once each.
 */
function messageWriter(lang: Lang, ctx: FormatContext): (m: Message) => string {
  const templates = new Map<string, readonly (string | Placeholder)[]>();
  const currency = ctx.currency;
  // formatted parameters by kind ("" for none) and whole value 0 … 99,999
  const formatted = new Map<string, (string | undefined)[]>();
  const param = (v: string | number, kind: string | undefined): string => {
    if (typeof v !== "number") return formatParam(v, kind, lang, ctx);
    if (v >= 0 && v < 100_000 && Number.isInteger(v) && !Object.is(v, -0)) {
      const k = kind ?? "";
      let known = formatted.get(k);
      if (!known) formatted.set(k, (known = table(100_000)));
      return (known[v] ??= formatParam(v, kind, lang, ctx));
    }
    if (kind === "money" && currency !== undefined && v > -1000 && v < 1000) {
      // formatMoney below 1,000 (two decimals at most, no grouping) of an amount in whole
      // cents: its shortest decimal, which formatNumber rounds, is k / 100 itself (as money())
      const a = Math.abs(v);
      const k = Math.round(a * 100);
      if (k / 100 === a && k > 0) return (v < 0 ? "-" : "") + currency + centsText(k);
    }
    return formatParam(v, kind, lang, ctx);
  };
  return (m) => {
    let parts = templates.get(m.key);
    if (!parts) {
      parts = compiled(CATALOG[lang][m.key] ?? CATALOG.en[m.key] ?? m.key);
      if (templates.size > 10_000) templates.clear();
      templates.set(m.key, parts);
    }
    return rendered(parts, m.params, param);
  };
}

/**
 * csvField(t(lang, reason, ctx)) of stage reasons. t() writes a reason's notes after it, joined
 * by "; " ("；"): the notes' text is kept here by content (key and parameter values, their
 * types told apart: 5 and "5" render differently).
 */
function reasonWriter(lang: Lang, ctx: FormatContext): (m: Message) => string {
  const sep = lang === "zh" ? "；" : "; ";
  const message = messageWriter(lang, ctx);
  const notes = new Map<string, string>();
  let lastAlso: readonly Message[] | null = null;
  let lastSuffix = "";
  const note = (n: Message): string => {
    if (n.also?.length) return t(lang, n, ctx);
    let key = n.key;
    const params = n.params;
    if (params) {
      for (const name in params) {
        const v = params[name];
        key +=
          typeof v === "number"
            ? `\u0001${name}\u0002${Object.is(v, -0) ? "-0" : v}`
            : `\u0001${name}\u0003${v}`;
      }
    }
    let s = notes.get(key);
    if (s === undefined) {
      s = message(n);
      if (notes.size > 10_000) notes.clear();
      notes.set(key, s);
    }
    return s;
  };
  return (m) => {
    const also = m.also;
    if (!also?.length) return csvText(message(m));
    if (also !== lastAlso) {
      // one array shared by most customers (lifecycle.ts), else a note or two each
      let suffix = "";
      for (let k = 0; k < also.length; k++) suffix += sep + note(also[k]);
      lastAlso = also;
      lastSuffix = suffix;
    }
    return csvText(message(m) + lastSuffix);
  };
}
