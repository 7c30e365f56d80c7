/**
 * The Account managers view (客户经理, issue 17 §5) and the owner filter ("my customers") that
 * Today, Review and Follow-ups share. The figures are the Account managers sheet's table
 * (analysis/output/owners.ts, as owners.csv), every column of it, split into four narrow
 * tables (PANE_TABLES) so that each fits the pane's 320–360 px without scrolling sideways; the
 * chosen owner's rows are highlighted.
 */
import type { DeskOwner, OwnerChoice, PaneDesk } from "../desk.js";
import type { Lang, Message } from "../../analysis/types.js";
import type { OutColumn, OutValue } from "../../analysis/workbook.js";
import { formatMoney, formatNumber, formatPct, t } from "../../analysis/messages/index.js";
import { UNASSIGNED } from "../../analysis/owners.js";
import { h } from "./dom.js";

/**
 * The sheet's columns (indices into owners.csv's order) in the pane's tables, the owner first
 * in each: customers, grades, follow-up work, revenue and cadence kept.
 */
export const PANE_TABLES = [
  { title: "desk.owners.t.customers", columns: [0, 1, 2, 14, 13] },
  { title: "desk.owners.t.grades", columns: [0, 3, 4, 5, 6] },
  { title: "desk.owners.t.work", columns: [0, 7, 8, 9, 10] },
  { title: "desk.owners.t.revenue", columns: [0, 11, 12, 15] },
] as const;

/** The value of the chooser's "all" option (an owner key is never "*": keys are trimmed text). */
const ALL = "*";

/** How the choice is kept in the pane's storage: JSON, so that "" (unassigned) ≠ null (all). */
export const OWNER_KEY = "crm.owner";

export function readOwnerChoice(stored: string | null | undefined): OwnerChoice {
  if (!stored) return null;
  try {
    const v: unknown = JSON.parse(stored);
    return typeof v === "string" ? v : null;
  } catch {
    return null;
  }
}

export const writeOwnerChoice = (c: OwnerChoice): string => JSON.stringify(c);

/** The owner as shown: the name, or "(unassigned)". */
export function ownerDisplay(o: Pick<DeskOwner, "key" | "name">, lang: Lang): string {
  return o.key === UNASSIGNED ? t(lang, "owners.unassigned") : o.name;
}

/** The chooser: every account manager, each owner as named by the analysis, unassigned last. */
export function ownerChooser(
  desk: PaneDesk,
  lang: Lang,
  disabled: boolean,
  onChange: (c: OwnerChoice) => void,
): HTMLElement {
  const select = h(
    "select",
    {
      id: "owner",
      disabled,
      onchange: (e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        onChange(v === ALL ? null : v);
      },
    },
    h(
      "option",
      { value: ALL, selected: desk.owner === null },
      t(lang, { key: "desk.owner.all", params: { n: desk.owners.filter((o) => o.key).length } }),
    ),
    ...desk.owners.map((o) =>
      h(
        "option",
        { value: o.key, selected: desk.owner === o.key },
        t(lang, { key: "desk.owner.option", params: { name: ownerDisplay(o, lang), n: o.count } }),
      ),
    ),
  );
  const chosen = desk.owners.find((o) => o.key === desk.owner);
  return h(
    "div",
    { class: "owner-filter" },
    h("label", { for: "owner" }, t(lang, "desk.owner.label")),
    select,
    desk.notice
      ? h("p", { class: "msg notice small", role: "status" }, t(lang, desk.notice))
      : null,
    chosen && chosen.spellings.length > 1 ? spellingNote(chosen, lang) : null,
  );
}

/** "王磊 is written 2 ways in the Customers table (…); counted as one account manager." */
export function spellingNote(o: DeskOwner, lang: Lang): HTMLElement {
  const list = o.spellings
    .map((s) =>
      t(lang, {
        key:
          s.rows.length === 1 && !s.more ? "desk.owner.spellingItem1" : "desk.owner.spellingItem",
        params: { text: s.text, rows: s.rows.join(", ") + (s.more ? ", …" : "") },
      }),
    )
    .join(lang === "zh" ? "；" : "; ");
  const msg: Message = {
    key: "desk.owner.spelling",
    params: { owner: o.name, n: o.spellings.length, list },
  };
  return h("p", { class: "msg notice small owner-spelling", role: "status" }, t(lang, msg));
}

function cellText(v: OutValue, col: OutColumn, lang: Lang, currency: string): string {
  if (v === null || v === "") return "—";
  if (typeof v !== "number") return v;
  if (col.format === "money") return formatMoney(v, lang, currency);
  if (col.format === "pct") return formatPct(v, lang, 0);
  return formatNumber(v, lang, col.format === "int" ? 0 : 2);
}

/** The per-owner figures, as on the Account managers sheet. */
export function ownersView(desk: PaneDesk, lang: Lang, chooser: HTMLElement): HTMLElement {
  const tbl = desk.ownersTable;
  const tables = PANE_TABLES.map((spec, k) =>
    h(
      "div",
      { class: "table-wrap owners-table" },
      h(
        "table",
        { id: `owners-${k}` },
        h("caption", {}, t(lang, spec.title)),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...spec.columns.map((j) =>
              h(
                "th",
                { scope: "col", class: j === 0 ? "owner-col" : "num" },
                // a number stays with its unit: "7 天", "30 days"
                tbl.columns[j].header.replace(/(\d) /g, "$1\u00a0"),
              ),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          ...tbl.rows.map((r, i) =>
            h(
              "tr",
              {
                class: desk.owner !== null && tbl.keys[i] === desk.owner ? "mine" : null,
                "data-owner": tbl.keys[i],
              },
              ...spec.columns.map((j) =>
                j === 0
                  ? h("th", { scope: "row", class: "owner-col" }, String(r[0] ?? ""))
                  : h(
                      "td",
                      { class: "num" },
                      cellText(r[j] ?? null, tbl.columns[j], lang, desk.currency),
                    ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  // every owner written two ways (the chosen one's note is under the chooser already)
  const twoWays = desk.owners.filter((o) => o.spellings.length > 1 && o.key !== desk.owner);
  return h(
    "section",
    { class: "view desk owners-view", "aria-labelledby": "owners-title" },
    h("h2", { id: "owners-title" }, t(lang, "desk.owners.title")),
    chooser,
    h(
      "p",
      { class: "muted small" },
      t(lang, { key: "desk.owners.intro", params: { asOf: desk.asOf } }),
    ),
    ...tables,
    desk.movement ? null : h("p", { class: "muted small" }, t(lang, "desk.owners.noMovement")),
    ...twoWays.map((o) => spellingNote(o, lang)),
  );
}
