/**
 * Stage history (阶段历史): dated snapshots of stage and grade per customer, and the movement
 * between two snapshots (客户异动).
 *
 * Decisions:
 * - A snapshot row is (as-of date, customer ID, six-stage key, grade or null). The six-stage key
 *   is stored whatever model is displayed, so history survives a change of model.
 * - appendSnapshot replaces an existing snapshot of the same date (re-running on unchanged data
 *   gives identical output) and keeps snapshots in date order.
 * - "Moved down": to 衰退期 decline or 终止期 termination from a better stage (so decline →
 *   termination counts), or grade lowered (A → B …). "Up": from decline/termination to a
 *   better stage, or grade raised. Customers missing on either side count as entered / left.
 * - Reading: headers 日期/as_of, 客户编号/customer_id, 阶段/stage, 等级/grade (case, space and
 *   underscore insensitive); stage names of the six-stage model in either language, or keys.
 */
import type { Issue, Lang, TableSource, ValueOptions } from "./types.js";
import { GRADES, isGrade, type Grade } from "./settings.js";
import { STAGES, STAGE_KEYS, type Stage } from "./stages.js";
import { parseStageName } from "./lifecycle.js";
import { t } from "./messages/index.js";
import type { OutColumn, OutValue } from "./workbook.js";

export interface Snapshot {
  asOf: number;
  id: string;
  stage: Stage;
  grade: Grade | null;
}

export const GRADE_KEYS = Object.keys(GRADES) as Grade[];

const DEFAULT_VALUE_OPTIONS: ValueOptions = {
  decimalComma: false,
  dateOrder: "mdy",
  dateSystem: "1900",
};

const COLUMN_ALIASES = {
  asOf: ["日期", "快照日期", "asof", "asofdate", "date", "snapshotdate"],
  id: ["客户编号", "customerid", "customer", "id"],
  stage: ["阶段", "stage"],
  grade: ["等级", "grade"],
} as const;

const normHeader = (h: string) =>
  h
    .normalize("NFKC")
    .replace(/[\s_\-]+/g, "")
    .toLowerCase();

/** Column positions of a history table; -1 for a missing one. */
export interface HistoryColumns {
  asOf: number;
  id: number;
  stage: number;
  grade: number;
}

/** Where the history columns are, by header (null when date, customer or stage is missing). */
export function historyColumns(headers: readonly unknown[]): HistoryColumns | null {
  const heads = headers.map((h) => normHeader(String(h ?? "")));
  const find = (names: readonly string[]) => heads.findIndex((h) => names.includes(h));
  const col = {
    asOf: find(COLUMN_ALIASES.asOf),
    id: find(COLUMN_ALIASES.id),
    stage: find(COLUMN_ALIASES.stage),
    grade: find(COLUMN_ALIASES.grade),
  };
  return col.asOf < 0 || col.id < 0 || col.stage < 0 ? null : col;
}

/** Records an issue of row `row` (-1: the whole table), column `c` (-1: none). */
export type HistoryIssueSink = (
  row: number,
  c: number,
  value: string,
  key: string,
  severity: Issue["severity"],
  params?: Record<string, string>,
) => void;

/** An issue list and the sink that fills it, rows numbered as `src` numbers them. */
export function historyIssueSink(src: TableSource): { issues: Issue[]; issue: HistoryIssueSink } {
  const issues: Issue[] = [];
  const issue: HistoryIssueSink = (row, c, value, key, severity, params) =>
    issues.push({
      source: src.source,
      row: row < 0 ? 0 : src.headerRow + 1 + row,
      column: c < 0 ? "" : src.headers[c],
      value,
      reason: params ? { key, params } : { key },
      severity,
    });
  return { issues, issue };
}

/** Snapshot rows from a table (CSV given with --history, or the 阶段历史 sheet). */
export function readSnapshots(
  src: TableSource,
  opts: ValueOptions = DEFAULT_VALUE_OPTIONS,
): { snapshots: Snapshot[]; issues: Issue[] } {
  const col = historyColumns(src.headers);
  const { issues, issue } = historyIssueSink(src);
  if (!col) {
    issue(-1, -1, "", "lifecycle.history.missingColumns", "skipped", {
      found: src.headers.join(", "),
    });
    return { snapshots: [], issues };
  }
  const snapshots: Snapshot[] = [];
  for (let r = 0; r < src.rowCount; r++) {
    const s = snapshotRow(src, r, col, opts, issue);
    if (s) snapshots.push(s);
  }
  return { snapshots, issues };
}

/** How stage and grade texts are read (a large file's reader remembers what it has read). */
export interface SnapshotParsers {
  stage: (text: string) => Stage | undefined;
  grade: (text: string) => Grade | null;
}

const PLAIN_PARSERS: SnapshotParsers = {
  stage: (text) => parseStageName(text)?.six,
  grade: (text) => parseGrade(text),
};

/** Parsers that remember up to `limit` distinct texts each (a history has a handful). */
export function cachedParsers(limit = 1000): SnapshotParsers {
  const stages = new Map<string, Stage | undefined>();
  const grades = new Map<string, Grade | null>();
  const memo =
    <T>(m: Map<string, T>, f: (t: string) => T) =>
    (text: string): T => {
      if (m.has(text)) return m.get(text) as T;
      const v = f(text);
      if (m.size < limit) m.set(text, v);
      return v;
    };
  return { stage: memo(stages, PLAIN_PARSERS.stage), grade: memo(grades, PLAIN_PARSERS.grade) };
}

/**
 * Row `r` as a snapshot, or null when it cannot be one (blank, or a bad date, customer or
 * stage: told to `issue`). An unreadable grade is told and left empty.
 */
export function snapshotRow(
  src: TableSource,
  r: number,
  col: HistoryColumns,
  opts: ValueOptions,
  issue: HistoryIssueSink,
  parsers: SnapshotParsers = PLAIN_PARSERS,
): Snapshot | null {
  if (src.headers.every((_, c) => src.isBlank(r, c))) return null;
  const asOf = src.date(r, col.asOf, opts);
  if (!Number.isFinite(asOf)) {
    issue(r, col.asOf, src.text(r, col.asOf), "lifecycle.history.badDate", "skipped");
    return null;
  }
  const id = src.text(r, col.id);
  if (!id) {
    issue(r, col.id, "", "lifecycle.history.noCustomer", "skipped");
    return null;
  }
  const stageText = src.text(r, col.stage);
  const stage = parsers.stage(stageText);
  if (!stage) {
    issue(r, col.stage, stageText, "lifecycle.history.badStage", "skipped", { value: stageText });
    return null;
  }
  let grade: Grade | null = null;
  if (col.grade >= 0 && !src.isBlank(r, col.grade)) {
    const g = parsers.grade(src.text(r, col.grade));
    if (g) grade = g;
    else {
      const v = src.text(r, col.grade);
      issue(r, col.grade, v, "lifecycle.history.badGrade", "warning", { value: v });
    }
  }
  return { asOf, id, stage, grade };
}

/** A grade as written (A, b, Ａ, A类); null when it is none. */
export function parseGrade(text: string): Grade | null {
  const g = text.normalize("NFKC").replace(/\s+/g, "").replace(/类$/, "").toUpperCase();
  return isGrade(g) ? g : null;
}

/** The current run as snapshot rows (every customer, prospects included). */
export function makeSnapshot(
  ids: readonly string[],
  asOf: number,
  stage: readonly Stage[],
  grade: readonly (Grade | null)[],
): Snapshot[] {
  return ids.map((id, i) => ({ asOf, id, stage: stage[i], grade: grade[i] ?? null }));
}

/** Existing snapshots plus the current one; a snapshot of the same date is replaced. */
export function appendSnapshot(
  existing: readonly Snapshot[],
  current: readonly Snapshot[],
): Snapshot[] {
  const dates = new Set(current.map((s) => s.asOf));
  const kept = existing.filter((s) => !dates.has(s.asOf));
  // Stable sort: within a date the rows keep their order.
  return [...kept, ...current].sort((a, b) => a.asOf - b.asOf);
}

/** Snapshot dates, ascending. */
export function snapshotDates(all: readonly Snapshot[]): number[] {
  return [...new Set(all.map((s) => s.asOf))].sort((a, b) => a - b);
}

/** The latest snapshot strictly before `asOf` (empty when there is none). */
export function previousSnapshot(all: readonly Snapshot[], asOf: number): Snapshot[] {
  const before = snapshotDates(all).filter((d) => d < asOf);
  if (before.length === 0) return [];
  const d = before[before.length - 1];
  return all.filter((s) => s.asOf === d);
}

export interface MovedCustomer {
  id: string;
  fromStage: Stage;
  toStage: Stage;
  fromGrade: Grade | null;
  toGrade: Grade | null;
  stageDown: boolean;
  gradeDown: boolean;
}

export interface Movement {
  from: number;
  to: number;
  /** stage[from][to]: customers in both snapshots, indexed by STAGE_KEYS order. */
  stage: number[][];
  /** grade[from][to]: customers graded in both snapshots, indexed A–D. */
  grade: number[][];
  /** In the current snapshot only / in the previous one only. */
  entered: number;
  left: number;
  stageUp: number;
  stageDown: number;
  gradeUp: number;
  gradeDown: number;
  /** Customers who moved down (stage or grade), best previous grade first, then by ID. */
  movedDown: MovedCustomer[];
}

const RED: ReadonlySet<Stage> = new Set(["decline", "termination"]);
const gradeRank = (g: Grade) => GRADE_KEYS.indexOf(g);

/** Stage and grade movement from one snapshot to the next; null without a previous snapshot. */
export function movement(
  previous: readonly Snapshot[],
  current: readonly Snapshot[],
): Movement | null {
  if (previous.length === 0 || current.length === 0) return null;
  const before = new Map(previous.map((s) => [s.id, s]));
  const now = new Map(current.map((s) => [s.id, s]));
  const m: Movement = {
    from: previous[0].asOf,
    to: current[0].asOf,
    stage: STAGE_KEYS.map(() => STAGE_KEYS.map(() => 0)),
    grade: GRADE_KEYS.map(() => GRADE_KEYS.map(() => 0)),
    entered: 0,
    left: 0,
    stageUp: 0,
    stageDown: 0,
    gradeUp: 0,
    gradeDown: 0,
    movedDown: [],
  };
  for (const id of before.keys()) if (!now.has(id)) m.left++;
  for (const [id, cur] of now) {
    const old = before.get(id);
    if (!old) {
      m.entered++;
      continue;
    }
    const f = STAGES[old.stage].order;
    const to = STAGES[cur.stage].order;
    m.stage[f][to]++;
    const stageDown = RED.has(cur.stage) && to > f;
    const stageUp = RED.has(old.stage) && to < f;
    let gradeDown = false;
    if (old.grade && cur.grade) {
      const gf = gradeRank(old.grade);
      const gt = gradeRank(cur.grade);
      m.grade[gf][gt]++;
      gradeDown = gt > gf;
      if (gt < gf) m.gradeUp++;
    }
    if (stageDown) m.stageDown++;
    if (stageUp) m.stageUp++;
    if (gradeDown) m.gradeDown++;
    if (stageDown || gradeDown) {
      m.movedDown.push({
        id,
        fromStage: old.stage,
        toStage: cur.stage,
        fromGrade: old.grade,
        toGrade: cur.grade,
        stageDown,
        gradeDown,
      });
    }
  }
  const rank = (c: MovedCustomer) => {
    const g = c.fromGrade ?? c.toGrade;
    return g ? gradeRank(g) : GRADE_KEYS.length;
  };
  m.movedDown.sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return m;
}

/** Snapshots as a table for the 阶段历史 sheet: dates as epoch days, stage names in the language. */
export function historyTable(
  snapshots: readonly Snapshot[],
  lang: Lang,
): { columns: OutColumn[]; rows: OutValue[][] } {
  return {
    columns: [
      { header: t(lang, "lifecycle.history.colDate"), format: "date" },
      { header: t(lang, "lifecycle.history.colCustomer"), format: "text" },
      { header: t(lang, "lifecycle.history.colStage"), format: "text" },
      { header: t(lang, "lifecycle.history.colGrade"), format: "text" },
    ],
    rows: snapshots.map((s) => [s.asOf, s.id, STAGES[s.stage][lang], s.grade ?? ""]),
  };
}

/** The --history file's header, in the order snapshotCsvRows writes. */
export const HISTORY_CSV_HEADER = ["as_of", "customer_id", "stage", "grade"] as const;

/** An epoch day as ISO text (2024-03-31). */
export const isoDay = (day: number): string =>
  new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * One snapshot as the --history file's cells: ISO date, guarded ID, stage key, grade. `iso` is
 * the date's text when the caller has it already (a snapshot's rows share one date).
 */
export function snapshotCsvCells(
  s: Snapshot,
  iso = isoDay(s.asOf),
): [string, string, string, string] {
  return [iso, guardFormula(s.id), s.stage, s.grade ?? ""];
}

/** Snapshots as CSV cells for the --history file: machine header, ISO dates, stage keys. */
export function snapshotCsvRows(snapshots: readonly Snapshot[]): string[][] {
  return [[...HISTORY_CSV_HEADER], ...snapshots.map((s) => snapshotCsvCells(s))];
}

/*
 * Formula guard of the --history file. A spreadsheet runs text starting with = + - @ tab or CR
 * as a formula (=HYPERLINK(…) in a customer ID), so such text is written with a leading
 * apostrophe, as customers.csv writes it. Unlike customers.csv the history is read back: text
 * that already starts with apostrophes before such a character gets one more, so that reading
 * takes exactly one off and every ID comes back as it was.
 */
const GUARDED = /^'*[=+\-@\t\r]/;

/** Text as written to the --history file. */
export const guardFormula = (text: string): string => (GUARDED.test(text) ? `'${text}` : text);

/** Text as read from the --history file: the writer's guard removed. */
export const unguardFormula = (text: string): string =>
  text.startsWith("'") && GUARDED.test(text.slice(1)) ? text.slice(1) : text;
