/**
 * A CSV document as a stream of text chunks — the same text toCsv gives (BOM, CRLF, quoting,
 * formula neutralising: csv-write.ts), for files too large to hold as one string: customers.csv
 * of a million customers was 250 MB of text built from 22 million values, then copied to bytes.
 */
import { csvLine, type CsvOptions, type CsvValue } from "./csv-write.js";

const BOM = "\uFEFF";

/** Chunks of about `size` characters; rows are taken from `rows` as they are needed. */
export function* csvChunks(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  opts: CsvOptions = {},
  size = 1 << 20,
): Generator<string> {
  if (!Array.isArray(header) || header.length === 0)
    throw new TypeError("invalid CSV header: empty");
  const width = header.length;
  const safe = opts.neutralise !== false;
  let chunk = (opts.bom === false ? "" : BOM) + csvLine(header, safe);
  let i = 0;
  for (const row of rows) {
    i++;
    if (row.length > width)
      throw new RangeError(`CSV row ${i} has ${row.length} fields for ${width} columns`);
    const full =
      row.length === width ? row : [...row, ...new Array<CsvValue>(width - row.length).fill(null)];
    chunk += csvLine(full, safe);
    if (chunk.length >= size) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/** Rows produced one by one from items, so that no table of them is ever held. */
export function* mapRows<T>(
  items: readonly T[],
  row: (item: T) => readonly CsvValue[],
): Generator<readonly CsvValue[]> {
  for (const item of items) yield row(item);
}
