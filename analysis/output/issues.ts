/** 数据问题 Data issues: the sheet, data-issues.csv rows and the report table. */
import type { Issue, Lang } from "../types.js";
import { t } from "../messages/index.js";
import type { OutColumn, OutValue, SheetModel } from "../workbook.js";
import { OWNED_SHEETS } from "../workbook.js";

/** Machine header of data-issues.csv (SPEC §10). */
export const ISSUE_CSV_COLUMNS = ["source", "row", "column", "value", "reason"] as const;

/**
 * The key of an engine's line standing for the rows of one reason beyond its first examples
 * (engine-duckdb.ts checkIssues: "5 more rows like the 20 above"); the reason is its `also`.
 */
export const MORE_ROWS_KEY = "engine.moreRows";

/**
 * The reason an issue stands for and how many rows or values: one of its own reason, an
 * engine's "more rows" line its n of the reason it carries (params.reason).
 */
export function issueTally(i: Issue): { reason: string; rows: number } {
  return i.reason.key === MORE_ROWS_KEY
    ? { reason: String(i.reason.params?.reason ?? ""), rows: Number(i.reason.params?.n ?? 0) }
    : { reason: i.reason.key, rows: 1 };
}

/** The rows and values the issues stand for (issueTally). */
export function issueCount(issues: readonly Issue[]): number {
  let n = 0;
  for (const i of issues) n += issueTally(i).rows;
  return n;
}

export function issueRows(issues: Issue[], lang: Lang): OutValue[][] {
  return issues.map((i) => [i.source, i.row || null, i.column, i.value, t(lang, i.reason)]);
}

export function issueColumns(lang: Lang): OutColumn[] {
  return [
    { header: t(lang, "issues.col.source"), format: "text" },
    { header: t(lang, "issues.col.row"), format: "int" },
    { header: t(lang, "issues.col.column"), format: "text" },
    { header: t(lang, "issues.col.value"), format: "text" },
    { header: t(lang, "issues.col.reason"), format: "text" },
  ];
}

export function issuesSheet(issues: Issue[], lang: Lang): SheetModel {
  return {
    key: "issues",
    name: OWNED_SHEETS.issues[lang],
    blocks: [
      {
        id: "issues",
        title: null,
        anchor: { row: 0, col: 0 },
        columns: issueColumns(lang),
        rows: issues.length
          ? issueRows(issues, lang)
          : [[t(lang, "issues.none"), null, "", "", ""]],
      },
    ],
    charts: [],
    freezeRows: 1,
  };
}
