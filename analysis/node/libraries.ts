/**
 * The heavy libraries, loaded when first needed rather than when the CLI starts: exceljs,
 * vega + vega-lite and resvg together take about a second to load, which `crm --help`, a CSV
 * read or a run writing only summary.json never need. Each is loaded once.
 */
type ExcelLibrary = typeof import("exceljs");
type Charting = { vega: typeof import("vega"); vegaLite: typeof import("vega-lite") };
type Resvg = typeof import("@resvg/resvg-js");

let excel: Promise<ExcelLibrary> | null = null;
let charting: Promise<Charting> | null = null;
let resvg: Promise<Resvg> | null = null;

/** exceljs (its CommonJS exports: Workbook, ValueType …). */
export function excelLibrary(): Promise<ExcelLibrary> {
  return (excel ??= import("exceljs").then((m) => (m.default ?? m) as ExcelLibrary));
}

/** vega and vega-lite. */
export function chartLibraries(): Promise<Charting> {
  return (charting ??= Promise.all([import("vega"), import("vega-lite")]).then(
    ([vega, vegaLite]) => ({ vega, vegaLite }),
  ));
}

/** resvg, the SVG → PNG renderer. */
export function resvgLibrary(): Promise<Resvg> {
  return (resvg ??= import("@resvg/resvg-js"));
}
