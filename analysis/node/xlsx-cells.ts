/**
 * Two cell forms exceljs 4.4 misreads, mended where it parses a cell (its CellXform), and its
 * console warnings kept off the terminal.
 *
 * - `t="d"`: a date written as ISO 8601 text (ECMA-376 Part 1, §18.18.11 ST_CellType "d").
 *   exceljs takes parseFloat of the text, so "2024-03-05" became the serial 2024 (1905-07-16).
 *   It is read as the date it says, as a UTC wall-clock date like every other date cell; text
 *   that is not an ISO date stays text (the reader then reports it as a date it cannot read).
 * - `t="s"` with an index past the shared-string table (or with no table): exceljs gave the
 *   index itself ("99" became a customer ID) or failed on `undefined`. Such a cell becomes a
 *   marked #REF! error value; `brokenSharedString` finds it, and the reader refuses the file,
 *   naming the sheet and cell, rather than read a value the file does not hold.
 * - exceljs prints "Worksheet name … exceeds 31 chars" with console.warn while loading a file
 *   whose sheet names are longer than Excel allows (then fails on them); those lines came
 *   before our own message. While a workbook loads, only exceljs's warnings are dropped.
 */
import { createRequire } from "node:module";

interface CellModel {
  type?: number;
  value?: unknown;
  formula?: string;
  shareType?: string;
  address?: string;
}
interface CellXform {
  t?: string;
  model: CellModel;
  parseClose(name: string): boolean;
  reconcile(
    model: CellModel,
    options: { sharedStrings?: { model?: { values?: unknown[] } } },
  ): void;
}

/** A broken shared-string reference: which entry, and how many the table has. */
export interface BrokenString {
  error: "#REF!";
  index: number;
  count: number;
}
const broken = new WeakSet<object>();

/** The marked value of a cell whose shared-string index points past the table, else null. */
export function brokenSharedString(v: unknown): BrokenString | null {
  return typeof v === "object" && v !== null && broken.has(v) ? (v as BrokenString) : null;
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?Z?$/;

/** "2024-03-05" or "2024-03-05T10:30:00" → that UTC wall-clock time; null when not so. */
export function isoCellDate(text: string): Date | null {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h = "0", mi = "0", s = "0", ms = "0"] = m.slice(1).map((x) => x ?? "0");
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, "0")));
  // 2024-02-30 is no date: Date.UTC would roll it into March
  if (date.getUTCMonth() !== +mo - 1 || date.getUTCDate() !== +d || +h > 23 || +mi > 59)
    return null;
  return date;
}

let installed = false;

/** Install the mends (once per process; exceljs's modules are shared). */
export function mendExcelCells(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const exceljsMain = require.resolve("exceljs");
  const base = exceljsMain.slice(0, exceljsMain.lastIndexOf("excel.js"));
  const CellXformClass = require(`${base}lib/xlsx/xform/sheet/cell-xform.js`) as {
    prototype: CellXform;
  };
  const Enums = require(`${base}lib/doc/enums.js`) as { ValueType: Record<string, number> };
  const { ValueType } = Enums;
  const proto = CellXformClass.prototype;

  const parseClose = proto.parseClose;
  proto.parseClose = function (this: CellXform, name: string): boolean {
    const m = this.model;
    if (name === "c" && this.t === "d" && !m.formula && !m.shareType && m.value !== undefined) {
      const text = String(m.value);
      const date = isoCellDate(text);
      if (date) {
        m.type = ValueType.Date;
        m.value = date;
      } else {
        m.type = ValueType.String;
        m.value = text;
      }
      return false;
    }
    return parseClose.call(this, name);
  };

  const reconcile = proto.reconcile;
  proto.reconcile = function (this: CellXform, model, options): void {
    if (model.type === ValueType.String && typeof model.value === "number") {
      const values = options.sharedStrings?.model?.values ?? [];
      const index = model.value;
      if (
        !Number.isInteger(index) ||
        index < 0 ||
        index >= values.length ||
        values[index] == null
      ) {
        const marked: BrokenString = { error: "#REF!", index, count: values.length };
        broken.add(marked);
        model.type = ValueType.Error;
        model.value = marked;
      }
    }
    reconcile.call(this, model, options);
  };
}

const EXCELJS_WARNING = /^Worksheet name .* exceeds 31 chars/;

/**
 * Run `load` with exceljs's console warnings dropped (every other warning passes through);
 * console.warn is given back afterwards, however `load` ends.
 */
export async function withoutExcelWarnings<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && EXCELJS_WARNING.test(args[0])) return;
    warn.apply(console, args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}
