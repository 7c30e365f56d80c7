/**
 * The Settings sheet (设置): `Settings` as a flat list of named parameters, one row each —
 * [key, value, explanation] — written once with defaults and read back on every run.
 *
 *   settingsSheetModel(settings, lang)  Settings → SheetModel (one block, frozen header)
 *   readSettings(table)                 sheet → { settings, issues }
 *
 * Decisions:
 * - The key column stays machine-readable ("abc.a", "grade.A.callDays") in both languages;
 *   only the headers and the explanation follow the user's language. Keys match case- and
 *   space-insensitively; the header row may be in either language.
 * - Every value is validated; a value that fails falls back to that setting's default and is
 *   reported (severity "warning": the analysis ran, something was assumed). A missing row
 *   silently keeps its default (older sheets, deleted rows). Unknown keys are reported.
 * - Scorecard: one row per known criterion; 0 = not used. Weights that do not add up to 1
 *   (within 1e-6) are scaled to 1 with a warning, so "40, 20, 20, 20" works too.
 * - Segments: numbered rows "segment.1", "segment.2" … read in number order; a malformed row
 *   is left out (not replaced by a default row, which would silently change the table); when
 *   no row is usable the default table is used.
 * - Numbers are accepted as Excel numbers or as text ("0.8", "80%", "１２０"); the as-of date
 *   as ISO text, a date cell, or an Excel serial (in the date system the sheet names).
 */
import { t } from "./messages/index.js";
import {
  CRITERIA,
  DEFAULT_SETTINGS,
  GRADES,
  type Criterion,
  type Grade,
  type SegmentRule,
  type Settings,
} from "./settings.js";
import type { Cell, Issue, Lang, Message, RawTable, TableSource } from "./types.js";
import { OWNED_SHEETS, type SheetModel } from "./workbook.js";

/** How a setting's value is written and validated. */
export const SETTING_KINDS = {
  date: { zh: "日期", en: "date" },
  option: { zh: "选项", en: "option" },
  bool: { zh: "是/否", en: "yes/no" },
  text: { zh: "文字", en: "text" },
  optionalText: { zh: "文字(可留空)", en: "text (optional)" },
  /** 0 < x ≤ 1 */
  share: { zh: "比例", en: "share" },
  /** 0 ≤ x < 1 */
  rate: { zh: "比率", en: "rate" },
  /** x ≥ 1 */
  factor: { zh: "倍数", en: "multiple" },
  /** whole number ≥ 1 */
  int: { zh: "整数", en: "whole number" },
  /** 0 ≤ x ≤ 100 */
  points: { zh: "分数", en: "points" },
  /** x ≥ 0, the set normalised to 1 */
  weight: { zh: "权重", en: "weight" },
  windows: { zh: "时段", en: "time windows" },
  segment: { zh: "分群", en: "segment" },
} as const;
export type SettingKind = keyof typeof SETTING_KINDS;
export const isSettingKind = (x: unknown): x is SettingKind =>
  typeof x === "string" && x in SETTING_KINDS;

export interface SettingRow {
  /** Key as written in column 1. "segment.{n}" stands for the numbered segment rows. */
  key: string;
  kind: SettingKind;
  /** Explanation shown in column 3. */
  explain: Message;
  /** Where the value lives in Settings (scalar rows; weight rows: ["scorecard", criterion]). */
  path: readonly string[];
  /** Allowed values of an option, in their machine form. */
  options?: readonly string[];
  /** Other accepted spellings of an option (lower case) → machine form. */
  aliases?: Readonly<Record<string, string>>;
}

const row = (key: string, kind: SettingKind, extra: Partial<SettingRow> = {}): SettingRow => ({
  key,
  kind,
  explain: { key: `settings.${key}` },
  path: key.split("."),
  ...extra,
});

const GRADE_KEYS = Object.keys(GRADES) as Grade[];
const CRITERION_KEYS = Object.keys(CRITERIA) as Criterion[];
const GRADE_FIELDS = [
  ["reviewDays", "int"],
  ["callDays", "int"],
  ["visitDays", "int"],
  ["strategy", "optionalText"],
  ["credit", "optionalText"],
] as const;

/** Every row of the Settings sheet, in sheet order. */
export const SETTING_ROWS: readonly SettingRow[] = [
  row("asOf", "date"),
  row("dateSystem", "option", { options: ["1900", "1904"] }),
  row("dateOrder", "option", { options: ["auto", "mdy", "dmy"], aliases: { 自动: "auto" } }),
  row("dateOrderFallback", "option", { options: ["mdy", "dmy"] }),
  row("decimalComma", "bool"),
  row("currency", "text"),
  row("value", "option", {
    options: ["auto", "monetary", "profit"],
    aliases: { 自动: "auto", 金额: "monetary", 利润: "profit", revenue: "monetary" },
  }),
  row("abc.basis", "option", {
    options: ["value", "count"],
    aliases: { 金额: "value", 价值: "value", 客户数: "count", 人数: "count" },
  }),
  row("abc.a", "share"),
  row("abc.b", "share"),
  ...CRITERION_KEYS.map((c) => row(`scorecard.${c}`, "weight")),
  ...GRADE_KEYS.filter((g) => g !== "D").map((g) =>
    row(`scorecard.cutoff.${g}`, "points", { path: ["scorecard", "cutoffs", g] }),
  ),
  row("pyramid.platinum", "share"),
  row("pyramid.gold", "share"),
  row("pyramid.iron", "share"),
  { key: "segment.{n}", kind: "segment", explain: { key: "settings.segment" }, path: ["segments"] },
  ...GRADE_KEYS.flatMap((g) =>
    GRADE_FIELDS.map(([field, kind]) =>
      row(`grade.${g}.${field}`, kind, {
        explain: { key: `settings.grade.${field}`, params: { grade: g } },
        path: ["grades", g, field],
      }),
    ),
  ),
  row("lifecycle.model", "option", {
    options: ["six", "four"],
    aliases: { 六阶段: "six", "6": "six", 四阶段: "four", "4": "four" },
  }),
  row("lifecycle.windowDays", "int"),
  row("lifecycle.terminatedDays", "int"),
  row("lifecycle.developmentDays", "int"),
  row("lifecycle.declineRatio", "share"),
  row("lifecycle.growthRatio", "factor"),
  row("lifecycle.overdueGapFactor", "factor"),
  row("lifecycle.pAliveTerminated", "share"),
  row("lifecycle.pAliveDecline", "share"),
  row("lifecycle.dormantDays", "int"),
  row("clv.enabled", "bool"),
  row("clv.horizonMonths", "int"),
  row("clv.monthlyDiscount", "rate"),
  row("clv.margin", "share"),
  row("followup.declineFactor", "share"),
  row("followup.openDealDays", "int"),
  row("followup.closingDays", "int"),
  row("followup.complaintDays", "int"),
  row("followup.deliveryEvery", "int"),
  row("followup.dueSoonDays", "int"),
  row("followup.staleDays", "int"),
  row("followup.callWindows", "windows"),
];

/** Settings that must increase along the list (strictly unless `orEqual`). */
const ORDERED: { keys: string[]; orEqual?: boolean }[] = [
  { keys: ["abc.a", "abc.b"] },
  { keys: ["pyramid.platinum", "pyramid.gold", "pyramid.iron"] },
  { keys: ["scorecard.cutoff.C", "scorecard.cutoff.B", "scorecard.cutoff.A"] },
  { keys: ["lifecycle.pAliveTerminated", "lifecycle.pAliveDecline"], orEqual: true },
];

const SEGMENT_KEY = /^segment\.(\d+)$/;
const WEIGHT_EPSILON = 1e-6;
const DAY_MS = 86_400_000;

const normKey = (s: string): string => s.replace(/\s+/g, "").toLowerCase();
const ROW_BY_KEY = new Map(
  SETTING_ROWS.filter((r) => r.kind !== "segment").map((r) => [normKey(r.key), r]),
);

// ---------------------------------------------------------------------------------------------
// Writing

/** The Settings sheet for `settings`, explanations in `lang`. */
export function settingsSheetModel(settings: Settings, lang: Lang): SheetModel {
  const rows: (string | number | null)[][] = [];
  for (const r of SETTING_ROWS) {
    if (r.kind === "segment") {
      settings.segments.forEach((seg, i) => {
        const n = String(i + 1);
        rows.push([
          `segment.${n}`,
          formatSegment(seg),
          t(lang, { key: r.explain.key, params: { n } }),
        ]);
      });
    } else if (r.kind === "weight") {
      if (r.key !== `scorecard.${CRITERION_KEYS[0]}`) continue;
      // Criteria in force first, in their order (it is kept), then the unused ones with 0.
      const used = settings.scorecard.criteria.map((c) => c.criterion);
      const order = [...used, ...CRITERION_KEYS.filter((c) => !used.includes(c))];
      for (const c of order) {
        const wr = ROW_BY_KEY.get(normKey(`scorecard.${c}`))!;
        const weight = settings.scorecard.criteria.find((x) => x.criterion === c)?.weight ?? 0;
        rows.push([wr.key, weight, t(lang, wr.explain)]);
      }
    } else {
      rows.push([r.key, formatValue(r, getPath(settings, r.path), lang), t(lang, r.explain)]);
    }
  }
  return {
    key: "settings",
    name: OWNED_SHEETS.settings[lang],
    blocks: [
      {
        id: "settings",
        title: null,
        anchor: { row: 0, col: 0 },
        columns: [
          { header: t(lang, "settings.col.key"), format: "text" },
          { header: t(lang, "settings.col.value"), format: "text" },
          { header: t(lang, "settings.col.explain"), format: "text" },
        ],
        rows,
      },
    ],
    charts: [],
    freezeRows: 1,
  };
}

function formatValue(r: SettingRow, v: unknown, lang: Lang): string | number | null {
  switch (r.kind) {
    case "date":
      return v === null ? null : isoDay(v as number);
    case "bool":
      return v ? (lang === "zh" ? "是" : "yes") : lang === "zh" ? "否" : "no";
    case "optionalText":
      return v === null || v === "" ? null : String(v);
    case "windows":
      return formatWindows(v as [number, number][]);
    case "option":
    case "text":
      return String(v);
    default:
      return v as number;
  }
}

const formatRange = ([lo, hi]: [number, number]): string =>
  lo === hi ? String(lo) : `${lo}-${hi}`;
const formatSegment = (s: SegmentRule): string =>
  [s.name, s.zh, formatRange(s.r), formatRange(s.f), formatRange(s.m)].join("|");

const hhmm = (min: number): string =>
  `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
const formatWindows = (w: [number, number][]): string =>
  w.map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(", ");

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Reading

interface Cells {
  source: string;
  headerRow: number;
  headers: readonly string[];
  count: number;
  cell(r: number, c: number): Cell;
}

function cellsOf(raw: RawTable | TableSource): Cells {
  if ("rows" in raw) {
    return {
      source: raw.source,
      headerRow: raw.headerRow,
      headers: raw.headers,
      count: raw.rows.length,
      cell: (r, c) => raw.rows[r]?.[c],
    };
  }
  return {
    source: raw.source,
    headerRow: raw.headerRow,
    headers: raw.headers,
    count: raw.rowCount,
    cell: (r, c) => (c < raw.headers.length ? raw.cell(r, c) : undefined),
  };
}

const KEY_HEADERS = ["参数", "setting", "设置项", "key"];
const VALUE_HEADERS = ["值", "value", "取值"];

/** A value that failed validation: the reason key and its extra parameters. */
type Fail = { fail: string; params?: Record<string, string> };
type Parsed = { ok: unknown } | Fail;

/** One usable sheet row of a scalar setting. */
interface Entry {
  row: SettingRow;
  sheetRow: number;
  raw: Cell;
}

/** Read the Settings sheet back; invalid values fall back to their defaults, with issues. */
export function readSettings(raw: RawTable | TableSource): { settings: Settings; issues: Issue[] } {
  const table = cellsOf(raw);
  const issues: Issue[] = [];
  const settings = structuredClone(DEFAULT_SETTINGS);

  const heads = table.headers.map((h) => normKey(String(h ?? "")));
  let keyCol = heads.findIndex((h) => KEY_HEADERS.includes(h));
  let valueCol = heads.findIndex((h) => VALUE_HEADERS.includes(h));
  if (keyCol < 0 && valueCol < 0 && table.headers.length >= 2) [keyCol, valueCol] = [0, 1];
  if (keyCol < 0 || valueCol < 0) {
    issues.push({
      source: table.source,
      row: 0,
      column: "",
      value: "",
      reason: { key: "settings.issue.noColumns", params: { headers: table.headers.join(", ") } },
      severity: "warning",
    });
    return { settings, issues };
  }
  const valueHeader = table.headers[valueCol];
  const keyHeader = table.headers[keyCol];
  const issue = (sheetRow: number, column: string, value: Cell, reason: Message): void => {
    issues.push({
      source: table.source,
      row: sheetRow,
      column,
      value: cellText(value),
      reason,
      severity: "warning",
    });
  };

  // Collect the rows: scalar settings by key, segments by number; first occurrence wins.
  const entries = new Map<string, Entry>();
  const segments = new Map<number, { sheetRow: number; raw: Cell }>();
  const seen = new Map<string, number>();
  for (let i = 0; i < table.count; i++) {
    const sheetRow = table.headerRow + 1 + i;
    const keyCell = table.cell(i, keyCol);
    const key = normKey(cellText(keyCell));
    if (key === "") continue;
    const first = seen.get(key);
    if (first !== undefined) {
      issue(sheetRow, keyHeader, keyCell, {
        key: "settings.issue.duplicate",
        params: { row: String(first) },
      });
      continue;
    }
    const seg = SEGMENT_KEY.exec(key);
    const r = ROW_BY_KEY.get(key);
    if (seg) segments.set(Number(seg[1]), { sheetRow, raw: table.cell(i, valueCol) });
    else if (r) entries.set(r.key, { row: r, sheetRow, raw: table.cell(i, valueCol) });
    else {
      issue(sheetRow, keyHeader, keyCell, { key: "settings.issue.unknownKey" });
      continue;
    }
    seen.set(key, sheetRow);
  }

  // The date system decides how a numeric as-of date is read, so it goes first.
  const ordered = [...entries.values()].sort(
    (a, b) => Number(b.row.key === "dateSystem") - Number(a.row.key === "dateSystem"),
  );
  const weights: { criterion: Criterion; weight: number; sheetRow: number }[] = [];
  for (const e of ordered) {
    const fallback =
      e.row.kind === "weight" ? defaultWeight(e.row) : getPath(DEFAULT_SETTINGS, e.row.path);
    const parsed = parseValue(e.row, e.raw, settings.dateSystem);
    let value = fallback;
    if ("fail" in parsed) {
      const shown = e.row.kind === "weight" ? fallback : formatValue(e.row, fallback, "en");
      issue(e.sheetRow, valueHeader, e.raw, {
        key: parsed.fail,
        params: { ...parsed.params, default: shown === null || shown === "" ? "—" : String(shown) },
      });
    } else value = parsed.ok;
    if (e.row.kind === "weight") {
      weights.push({
        criterion: e.row.path[1] as Criterion,
        weight: value as number,
        sheetRow: e.sheetRow,
      });
    } else setPath(settings, e.row.path, value);
  }

  // Settings that must increase along a list: on a violation the whole group reverts.
  for (const group of ORDERED) {
    const rows = group.keys.map((k) => ROW_BY_KEY.get(normKey(k))!);
    const vals = rows.map((r) => getPath(settings, r.path) as number);
    const bad = vals.some((v, i) => i > 0 && (group.orEqual ? v < vals[i - 1] : v <= vals[i - 1]));
    if (!bad) continue;
    for (const r of rows) setPath(settings, r.path, getPath(DEFAULT_SETTINGS, r.path));
    const present = group.keys
      .map((k) => entries.get(k))
      .filter((e): e is Entry => e !== undefined);
    const at = present[present.length - 1];
    issue(at?.sheetRow ?? 0, at ? valueHeader : "", at?.raw, {
      key: "settings.issue.order",
      params: { keys: group.keys.join(group.orEqual ? " ≤ " : " < ") },
    });
  }

  // Scorecard weights: rows in sheet order, zero weights dropped, scaled to add up to 1.
  if (weights.length > 0) {
    weights.sort((a, b) => a.sheetRow - b.sheetRow);
    const used = weights.filter((w) => w.weight > 0);
    const sum = used.reduce((s, w) => s + w.weight, 0);
    const first = weights[0];
    if (sum <= 0) {
      issue(first.sheetRow, valueHeader, 0, { key: "settings.issue.weightsZero" });
      settings.scorecard.criteria = structuredClone(DEFAULT_SETTINGS.scorecard.criteria);
    } else {
      const scale = Math.abs(sum - 1) > WEIGHT_EPSILON;
      if (scale) {
        issue(first.sheetRow, valueHeader, sum, {
          key: "settings.issue.weightsNormalised",
          params: { sum: String(Number(sum.toPrecision(12))) },
        });
      }
      settings.scorecard.criteria = used.map((w) => ({
        criterion: w.criterion,
        weight: scale ? w.weight / sum : w.weight,
      }));
    }
  }

  // Named segments, in row-number order.
  if (segments.size > 0) {
    const rules: SegmentRule[] = [];
    for (const n of [...segments.keys()].sort((a, b) => a - b)) {
      const s = segments.get(n)!;
      const parsed = parseSegment(s.raw);
      if ("fail" in parsed) issue(s.sheetRow, valueHeader, s.raw, { key: parsed.fail });
      else rules.push(parsed.ok as SegmentRule);
    }
    if (rules.length > 0) settings.segments = rules;
    else {
      const last = [...segments.values()].pop()!;
      issue(last.sheetRow, valueHeader, last.raw, { key: "settings.issue.noSegments" });
    }
  }

  return { settings, issues };
}

function defaultWeight(r: SettingRow): number {
  return DEFAULT_SETTINGS.scorecard.criteria.find((c) => c.criterion === r.path[1])?.weight ?? 0;
}

const RANGES: Partial<Record<SettingKind, { test: (x: number) => boolean; range: string }>> = {
  share: { test: (x) => x > 0 && x <= 1, range: "(0, 1]" },
  rate: { test: (x) => x >= 0 && x < 1, range: "[0, 1)" },
  factor: { test: (x) => x >= 1, range: "≥ 1" },
  points: { test: (x) => x >= 0 && x <= 100, range: "0–100" },
  weight: { test: (x) => x >= 0, range: "≥ 0" },
};

function parseValue(r: SettingRow, raw: Cell, dateSystem: Settings["dateSystem"]): Parsed {
  const blank = isBlank(raw);
  switch (r.kind) {
    case "date": {
      if (blank) return { ok: null };
      const d = readDay(raw, dateSystem);
      return Number.isFinite(d) ? { ok: d } : { fail: "settings.issue.notDate" };
    }
    case "optionalText":
      return { ok: blank ? null : cellText(raw) };
    case "text":
      return blank ? { fail: "settings.issue.empty" } : { ok: cellText(raw) };
    case "windows":
      return parseWindows(raw);
    case "bool": {
      if (blank) return { fail: "settings.issue.empty" };
      const b = readBool(raw);
      return b === null ? { fail: "settings.issue.notBool" } : { ok: b };
    }
    case "option": {
      if (blank) return { fail: "settings.issue.empty" };
      const text = cellText(raw).toLowerCase().replace(/\s+/g, "");
      const hit = r.options!.find((o) => o.toLowerCase() === text) ?? r.aliases?.[text];
      return hit
        ? { ok: hit }
        : { fail: "settings.issue.option", params: { options: r.options!.join(" / ") } };
    }
    case "int": {
      if (blank) return { fail: "settings.issue.empty" };
      const x = readNumber(raw);
      if (Number.isNaN(x)) return { fail: "settings.issue.notNumber" };
      return Number.isInteger(x) && x >= 1 ? { ok: x } : { fail: "settings.issue.notInteger" };
    }
    default: {
      if (blank) return { fail: "settings.issue.empty" };
      const x = readNumber(raw);
      if (Number.isNaN(x)) return { fail: "settings.issue.notNumber" };
      const check = RANGES[r.kind]!;
      return check.test(x)
        ? { ok: x }
        : { fail: "settings.issue.range", params: { range: check.range } };
    }
  }
}

function parseWindows(raw: Cell): Parsed {
  if (isBlank(raw)) return { ok: [] };
  const out: [number, number][] = [];
  for (const part of toHalfWidth(cellText(raw)).split(/[,;，;、]/)) {
    if (part.trim() === "") continue;
    const m = /^\s*(\d{1,2})[:：](\d{2})\s*[-–—~至到]\s*(\d{1,2})[:：](\d{2})\s*$/.exec(part);
    if (!m) return { fail: "settings.issue.windows" };
    const [a, b] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])];
    if (Number(m[2]) > 59 || Number(m[4]) > 59 || a >= b || b > 24 * 60)
      return { fail: "settings.issue.windows" };
    out.push([a, b]);
  }
  return { ok: out };
}

function parseSegment(raw: Cell): Parsed {
  const parts = cellText(raw)
    .split(/[|｜]/)
    .map((p) => p.trim());
  if (parts.length !== 5 || parts[0] === "") return { fail: "settings.issue.segment" };
  const ranges: [number, number][] = [];
  for (const p of parts.slice(2)) {
    const m = /^(\d+)(?:\s*[-–—~～至到]\s*(\d+))?$/.exec(toHalfWidth(p));
    if (!m) return { fail: "settings.issue.segment" };
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > 5 || lo > hi) return { fail: "settings.issue.segmentRange" };
    ranges.push([lo, hi]);
  }
  const [name, zh] = parts;
  return { ok: { name, zh: zh === "" ? name : zh, r: ranges[0], f: ranges[1], m: ranges[2] } };
}

// --- small cell readers (the Settings sheet is tiny; the full value reader lives in values.ts) ---

function isBlank(c: Cell): boolean {
  return c === null || c === undefined || (typeof c === "string" && c.trim() === "");
}

function cellText(c: Cell): string {
  if (c === null || c === undefined) return "";
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? "" : c.toISOString().slice(0, 10);
  return String(c).trim();
}

const toHalfWidth = (s: string): string =>
  s
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ");

function readNumber(c: Cell): number {
  if (typeof c === "number") return Number.isFinite(c) ? c : NaN;
  if (typeof c !== "string") return NaN;
  let s = toHalfWidth(c).replace(/\s+/g, "");
  let scale = 1;
  if (s.endsWith("%")) {
    scale = 0.01;
    s = s.slice(0, -1);
  }
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return NaN;
  // Round away the binary noise of the percent scaling (80% → 0.8, not 0.8000000000000002).
  return scale === 1 ? Number(s) : Number((Number(s) * scale).toPrecision(15));
}

function readBool(c: Cell): boolean | null {
  if (typeof c === "boolean") return c;
  if (typeof c === "number") return c === 1 ? true : c === 0 ? false : null;
  const s = toHalfWidth(cellText(c)).toLowerCase();
  if (["yes", "y", "true", "1", "是", "对", "开", "on"].includes(s)) return true;
  if (["no", "n", "false", "0", "否", "不", "关", "off"].includes(s)) return false;
  return null;
}

/** Epoch day of a date cell, an Excel serial or date text; NaN when it is none of these. */
function readDay(c: Cell, dateSystem: Settings["dateSystem"]): number {
  if (c instanceof Date) return Math.floor(c.getTime() / DAY_MS);
  if (typeof c === "number") {
    if (!Number.isFinite(c) || c < 1) return NaN;
    const serial = Math.floor(c);
    if (dateSystem === "1904") return serial - 24107;
    // 1900 system: serial 1 = 1900-01-01; Excel's fictitious 1900-02-29 (60) reads as 03-01.
    return serial - (serial < 61 ? 25568 : 25569) + (serial === 60 ? 1 : 0);
  }
  if (typeof c !== "string") return NaN;
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(
      toHalfWidth(c.trim()),
    );
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return NaN;
  return ms / DAY_MS;
}

function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj as Record<string, unknown>;
  for (const p of path) cur = cur?.[p] as Record<string, unknown>;
  return cur;
}

function setPath(obj: object, path: readonly string[], value: unknown): void {
  let cur = obj as Record<string, unknown>;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
  cur[path[path.length - 1]] = structuredClone(value);
}
