/**
 * Charts as pictures: a vega-lite spec → SVG text (for the HTML report) → PNG (for images in
 * analysis.xlsx). Node only.
 *
 * Pipeline: spec → vega-lite compile (warnings collected) → vega parse → headless View
 * (renderer "none") → view.toSVG() → resvg → PNG.
 *
 * Decisions:
 * - Text must show in Chinese. The SVG names the font stack FONT_STACK (set as the default
 *   vega-lite `font`, a spec may override it). resvg is given the first CJK family found at
 *   the usual places (WenQuanYi Micro Hei, then Noto Sans CJK: Debian's fonts-wqy-microhei and
 *   fonts-noto-cjk, both installed in CI; then PingFang, Microsoft YaHei), else it loads the
 *   system fonts; that family is its default and sans-serif family.
 * - Text widths: without node-canvas vega estimates every character as 0.8 em, which is too
 *   wide for Latin text and too narrow for CJK. We install a width estimate that knows
 *   full-width characters (1 em) from narrow ones — vega's documented hook
 *   (`textMetrics.width`, as vl-convert does). It is pure, so the same spec gives the same
 *   bytes on every machine whether or not a canvas package is present.
 * - Same input → same bytes: no dates, random ids or machine state enter the output.
 */
import { existsSync } from "node:fs";
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import type { LoggerInterface } from "vega";
import type { Config, TopLevelSpec } from "vega-lite";
import { chartLibraries, resvgLibrary } from "./libraries.js";

/** Font stack written into every SVG: CJK first so that Chinese labels render everywhere. */
export const FONT_STACK = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif";

/** Defaults under every spec (the spec's own config wins). */
const BASE_CONFIG: Config = {
  font: FONT_STACK,
  background: "#ffffff",
  padding: 8,
  title: { anchor: "start", fontSize: 14, fontWeight: 600, color: "#1f2933", offset: 10 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    labelColor: "#3e4c59",
    titleColor: "#3e4c59",
    gridColor: "#e4e7eb",
    domainColor: "#9aa5b1",
    tickColor: "#9aa5b1",
  },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: null },
  mark: { color: "#2f6fb0" },
  range: {
    category: [
      "#2f6fb0",
      "#e07b39",
      "#3a9d5d",
      "#c8463d",
      "#8064a2",
      "#7f8c8d",
      "#d4a72c",
      "#4aa3a2",
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Text width estimate (see Decisions).

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    code >= 0x20000
  );
}

const NARROW = new Set([..."iljtf.,:;'!|()[]{} `\""]);

/** Width of `text` in em: CJK 1, narrow punctuation 0.3, capitals and digits 0.62, rest 0.52. */
export function textWidthEm(text: string): number {
  let w = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (isWide(code)) w += 1;
    else if (NARROW.has(ch)) w += 0.3;
    else if (
      (ch >= "A" && ch <= "Z") ||
      (ch >= "0" && ch <= "9") ||
      ch === "%" ||
      ch === "¥" ||
      ch === "$"
    )
      w += 0.62;
    else w += 0.52;
  }
  return w;
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/**
 * vega and vega-lite (loaded on first use), with our text measure in place of vega's. vega
 * re-exports vega-scenegraph's textMetrics; its typings omit it.
 */
function charts(): ReturnType<typeof chartLibraries> {
  return (measured ??= chartLibraries().then((libs) => {
    const { textMetrics } = libs.vega as unknown as {
      textMetrics: { width: (item: TextItem, text: unknown) => number };
    };
    textMetrics.width = (item: TextItem, text: unknown): number => {
      const s = text == null ? "" : String(text).trim();
      const size = item.fontSize != null ? +item.fontSize || 0 : 11;
      const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
      const w = textWidthEm(s) * size * (bold ? 1.05 : 1);
      return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
    };
    return libs;
  }));
}

let measured: ReturnType<typeof chartLibraries> | null = null;

// ---------------------------------------------------------------------------------------------
// Spec → SVG.

/** Collects vega-lite and vega warnings and errors as text instead of printing them. */
class CollectingLogger implements LoggerInterface {
  readonly warnings: string[] = [];
  #level = 2; // vega.Warn
  level(): number;
  level(_: number): this;
  level(_?: number): number | this {
    if (_ === undefined) return this.#level;
    this.#level = _;
    return this;
  }
  error(...args: readonly unknown[]): this {
    this.warnings.push(`error: ${args.map(String).join(" ")}`);
    return this;
  }
  warn(...args: readonly unknown[]): this {
    this.warnings.push(args.map(String).join(" "));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

export interface CompiledChart {
  /** Standalone SVG document (with xmlns), text escaped by vega. */
  svg: string;
  /** vega-lite compile and vega runtime warnings; empty for a clean spec. */
  warnings: string[];
  width: number;
  height: number;
}

export interface SizeOptions {
  /**
   * Prefix of the ids inside the SVG (clip paths, gradients). vega numbers them with
   * process-wide counters; we renumber them per chart so that output is stable, and a page
   * holding several charts passes a distinct prefix for each. Default "v".
   */
  idPrefix?: string;
  /** Overall size in pixels (single and layered views only; composed views keep their own). */
  width?: number;
  height?: number;
}

function isComposed(spec: Record<string, unknown>): boolean {
  return ["hconcat", "vconcat", "concat", "facet", "repeat"].some((k) => k in spec);
}

function sized(spec: Record<string, unknown>, size: SizeOptions): Record<string, unknown> {
  if ((size.width === undefined && size.height === undefined) || isComposed(spec)) return spec;
  return {
    ...spec,
    ...(size.width !== undefined ? { width: size.width } : {}),
    ...(size.height !== undefined ? { height: size.height } : {}),
    autosize: { type: "fit", contains: "padding" },
  };
}

/** Rename every id="…" to prefix0, prefix1 … in order of appearance, with its references. */
export function renumberIds(svg: string, prefix: string): string {
  if (!/^[A-Za-z][\w-]*$/.test(prefix)) throw new TypeError(`invalid id prefix: ${prefix}`);
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/<[^>]*\sid="([^"]+)"/g)) {
    if (!ids.has(m[1])) ids.set(m[1], `${prefix}${ids.size}`);
  }
  if (ids.size === 0) return svg;
  const swap = (id: string) => ids.get(id) ?? id;
  return svg.replace(/<[^>]*>/g, (tag) =>
    tag
      .replace(/(\sid=")([^"]+)"/g, (_, a: string, id: string) => `${a}${swap(id)}"`)
      .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${swap(id)})`)
      .replace(/(href=")#([^"]+)"/g, (_, a: string, id: string) => `${a}#${swap(id)}"`),
  );
}

function svgSize(svg: string, attr: "width" | "height"): number {
  const m = new RegExp(`^<svg[^>]*\\s${attr}="([\\d.]+)"`).exec(svg);
  return m ? Number(m[1]) : 0;
}

/**
 * Compile a vega-lite spec and render it to SVG. The spec is not modified. Throws when the
 * spec cannot be compiled at all; problems that still give a chart come back as `warnings`
 * (the test suite requires every produced spec to have none).
 */
export async function compileSpec(
  spec: Record<string, unknown>,
  size: SizeOptions = {},
): Promise<CompiledChart> {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new TypeError(`invalid vega-lite spec: ${String(spec)}`);
  }
  const { vega, vegaLite } = await charts();
  const logger = new CollectingLogger();
  const { spec: vg } = vegaLite.compile(sized(spec, size) as unknown as TopLevelSpec, {
    config: BASE_CONFIG,
    logger,
  });
  const view = new vega.View(vega.parse(vg), { renderer: "none", logger });
  try {
    const svg = renumberIds(await view.toSVG(), size.idPrefix ?? "v");
    return {
      svg,
      warnings: logger.warnings,
      width: svgSize(svg, "width"),
      height: svgSize(svg, "height"),
    };
  } finally {
    view.finalize();
  }
}

/** Only the vega-lite compile warnings (for spec producers' own tests). */
export async function lintSpec(spec: Record<string, unknown>): Promise<string[]> {
  const { vegaLite } = await charts();
  const logger = new CollectingLogger();
  vegaLite.compile(spec as unknown as TopLevelSpec, { config: BASE_CONFIG, logger });
  return logger.warnings;
}

// ---------------------------------------------------------------------------------------------
// SVG → PNG.

/**
 * CJK font files for resvg, in order of preference; the first family found is used alone.
 * WenQuanYi Micro Hei comes first: resvg lays text out with it some 15 times faster than with
 * the Noto CJK collection (a Pareto chart's 30 labels: 0.14 s against 2 s; Noto's large layout
 * tables are read again for every label), and the glyphs are as clear at chart sizes.
 */
const CJK_FONTS: readonly { family: string; files: readonly string[] }[] = [
  { family: "WenQuanYi Micro Hei", files: ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"] },
  ...["opentype/noto", "noto-cjk", "google-noto-cjk"].map((dir) => ({
    family: "Noto Sans CJK SC",
    files: ["Regular", "Bold"].map((w) => `/usr/share/fonts/${dir}/NotoSansCJK-${w}.ttc`),
  })),
  { family: "PingFang SC", files: ["/System/Library/Fonts/PingFang.ttc"] },
  {
    family: "Microsoft YaHei",
    files: ["C:\\Windows\\Fonts\\msyh.ttc", "C:\\Windows\\Fonts\\msyhbd.ttc"],
  },
];

let fontOptions: ResvgRenderOptions["font"] | null = null;

/** resvg font settings, worked out once: the first CJK family found, else system fonts. */
function resvgFonts(): ResvgRenderOptions["font"] {
  if (fontOptions) return fontOptions;
  const found = CJK_FONTS.map((f) => ({ ...f, files: f.files.filter((x) => existsSync(x)) })).find(
    (f) => f.files.length > 0,
  );
  const family = found?.family ?? "Noto Sans CJK SC";
  fontOptions = {
    loadSystemFonts: !found,
    fontFiles: found ? [...found.files] : [],
    defaultFontFamily: family,
    sansSerifFamily: family,
    defaultFontSize: 11,
  };
  return fontOptions;
}

/** True when a CJK font file was found for PNG rendering (else system fonts are used). */
export function hasCjkFont(): boolean {
  return (resvgFonts()?.fontFiles?.length ?? 0) > 0;
}

export interface PngOptions {
  /** Pixel scale over the SVG's own size (2 = sharp on high-density screens). Default 2. */
  scale?: number;
}

/** Rasterise an SVG document to PNG bytes (off the main thread, so several can run at once). */
export async function svgToPng(svg: string, opts: PngOptions = {}): Promise<Buffer> {
  const scale = opts.scale ?? 2;
  if (!(scale > 0 && scale <= 8)) throw new RangeError(`invalid scale: ${scale}`);
  const { renderAsync } = await resvgLibrary();
  const image = await renderAsync(svg, {
    font: resvgFonts(),
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    shapeRendering: 2,
    textRendering: 1,
    logLevel: "off",
  });
  return image.asPng();
}
