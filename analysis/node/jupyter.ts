/**
 * A vega-lite chart as a Jupyter rich output (the Deno kernel displays any object with a
 * `Symbol.for("Jupyter.display")` method, returned by a cell or given to Deno.jupyter.display).
 *
 * The bundle holds the spec under "application/vnd.vegalite.v5+json", the vega-lite MIME type
 * JupyterLab 4 and VS Code render (there is no v6 renderer there yet; our v6 specs use nothing
 * v5 lacks, so $schema is set to v5 for them), and the chart drawn by vega as
 * "image/svg+xml" for front ends that cannot run vega-lite (nbconvert's HTML, GitHub).
 */
import { compileSpec } from "./render.js";

/** What Deno's Jupyter kernel displays: the MIME bundle of one output. */
export interface JupyterDisplay {
  [key: symbol]: () => Record<string, unknown>;
}

/** Options of {@link chartDisplay}. */
export interface ChartDisplayOptions {
  /** Draw the SVG fallback too (default true). */
  svg?: boolean;
}

/** The vega-lite MIME type JupyterLab and VS Code render. */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
const V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** JSON of the spec: Dates as ISO text, as vega-lite reads them in inline data. */
const plain = (spec: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;

/**
 * A vega-lite spec as a Jupyter output: the spec for vega-lite front ends and its SVG drawing
 * for the others.
 *
 * @example
 * await chartDisplay(result.charts["pareto.chart"]); // as a cell's last value, in the Deno kernel
 */
export async function chartDisplay(
  spec: Record<string, unknown>,
  opts: ChartDisplayOptions = {},
): Promise<JupyterDisplay> {
  const json = plain(spec);
  const bundle: Record<string, unknown> = { [VEGALITE_MIME]: { ...json, $schema: V5_SCHEMA } };
  if (opts.svg !== false) bundle["image/svg+xml"] = (await compileSpec(json)).svg;
  const title = json.title as string | { text?: unknown } | undefined;
  const text = typeof title === "object" ? title?.text : title;
  bundle["text/plain"] = typeof text === "string" ? text : "vega-lite chart";
  return { [Symbol.for("Jupyter.display")]: () => bundle };
}
