/**
 * customers.csv written line by line (notebook.ts streams it into the file): the text of
 * csvChunks(CSV_COLUMNS, customerCsvRow of each customer), built without an array of values per
 * customer (a million customers made 22 million values to collect). test/node/customers-csv.test.ts
 * holds it to that text.
 */
import type { CustomerResult, Lang } from "../types.js";
import { isoDay } from "../dates.js";
import { t } from "../messages/index.js";
import { CSV_COLUMNS, round } from "../output/customers.js";
import { csvField, csvLine } from "./csv-write.js";

/**
 * customers.csv as text chunks of about `size` characters (BOM, header, CRLF lines): the same
 * text as csvChunks(CSV_COLUMNS, customerCsvRow of each), written field by field without an
 * array per customer, for a million customers streamed to the file.
 */
export function* customerCsvChunks(
  customers: readonly CustomerResult[],
  lang: Lang,
  currency: string,
  size = 1 << 20,
): Generator<string> {
  let chunk = "\uFEFF" + csvLine(CSV_COLUMNS);
  const fields = new Array<string>(CSV_COLUMNS.length);
  for (let i = 0; i < customers.length; i++) {
    chunk += fillFields(fields, customers[i], lang, currency).join(",") + "\r\n";
    if (chunk.length >= size) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/** csvField of a value of customerCsvRow: numbers and null need no quoting or guard. */
const num = (x: number | null): string => (x === null ? "" : csvField(x));
const text = (s: string | null): string => (s === null ? "" : csvField(s));

/** ISO dates by epoch day, made once each: a million customers' dates fall on a few thousand days. */
const isoDays = new Map<number, string>();
function isoOrEmpty(d: number | null): string {
  if (d === null) return "";
  let s = isoDays.get(d);
  if (s === undefined) {
    s = csvField(isoDay(d));
    if (isoDays.size > 100_000) isoDays.clear();
    isoDays.set(d, s);
  }
  return s;
}

/** One customers.csv line with its CRLF: csvLine(customerCsvRow(c, lang, currency)). */
export function customerCsvLine(c: CustomerResult, lang: Lang, currency: string): string {
  return fillFields(new Array<string>(CSV_COLUMNS.length), c, lang, currency).join(",") + "\r\n";
}

/**
 * The fields of customer c as CSV text, into `f` (reused from line to line: join makes each
 * line one flat string, where + would chain 44 pieces per customer for the collector).
 */
function fillFields(f: string[], c: CustomerResult, lang: Lang, currency: string): string[] {
  f[0] = text(c.id);
  f[1] = text(c.name);
  f[2] = isoOrEmpty(c.firstPurchase);
  f[3] = isoOrEmpty(c.lastPurchase);
  f[4] = num(c.recencyDays);
  f[5] = num(c.frequency);
  f[6] = num(round(c.monetary, 2));
  f[7] = num(round(c.avgOrderValue, 2));
  f[8] = num(c.r);
  f[9] = num(c.f);
  f[10] = num(c.m);
  f[11] = text(c.rfmCode);
  f[12] = text(c.cube);
  f[13] = text(c.segment);
  f[14] = text(c.grade);
  f[15] = text(c.pyramid);
  f[16] = text(c.stage);
  f[17] = c.stageReason ? csvField(t(lang, c.stageReason, { currency })) : "";
  f[18] = num(round(c.pAlive));
  f[19] = num(round(c.expectedPurchases52w));
  f[20] = num(round(c.clv, 2));
  f[21] = isoOrEmpty(c.nextContact);
  return f;
}
