/**
 * A minimal in-memory TableSource over text cells, for tests of readers that take one.
 * Dates: ISO "YYYY-MM-DD" text or a number of epoch days; numbers: plain JS syntax.
 */
import type { Cell, TableSource } from "../../analysis/types.js";

export function textTable(
  source: string,
  headers: string[],
  rows: Cell[][],
  headerRow = 1,
): TableSource {
  const raw = (r: number, c: number): Cell => rows[r]?.[c];
  const text = (r: number, c: number) => {
    const v = raw(r, c);
    return v === null || v === undefined ? "" : String(v).trim();
  };
  return {
    source,
    headerRow,
    firstColumn: 1,
    headers,
    rowCount: rows.length,
    cell: raw,
    isBlank: (r, c) => text(r, c) === "",
    text,
    number: (r, c) => {
      const s = text(r, c);
      return s === "" ? NaN : Number(s);
    },
    date: (r, c) => {
      const v = raw(r, c);
      if (typeof v === "number") return v;
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text(r, c));
      return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86_400_000 : NaN;
    },
  };
}
