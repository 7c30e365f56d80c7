/**
 * Today (issue 17 §3): the chosen owner's customers to contact on the analysis' as-of date, in
 * the order `crm cards` prints them (desk.ts): overdue, due today, long overdue; each group by
 * suggested call slot in the best windows. Each entry: name, customer ID, phone, a one-line
 * reason and the slot; a click selects the customer's row in the Customers table, whose card
 * the pane then shows (as a follow-up card's click does).
 */
import type { DeskRow, PaneDesk, TodayEntry } from "../desk.js";
import type { Lang } from "../../analysis/types.js";
import { t } from "../../analysis/messages/index.js";
import { formatSlot } from "../../analysis/followup.js";
import { stageHealth, stageLabel } from "../../analysis/lifecycle.js";
import { h } from "./dom.js";

export interface DeskViewEnv {
  lang: Lang;
  busy: boolean;
  /** Select the customer's row (and so show its card). */
  onSelect: (row: DeskRow) => void;
}

/** "Overdue 3 days" / "Due today" / "Long overdue (120 days)". */
function when(e: TodayEntry, lang: Lang): { text: string; cls: string } {
  if (e.stale)
    return {
      text: t(lang, { key: "desk.today.stale", params: { n: e.daysOverdue } }),
      cls: "overdue",
    };
  if (e.daysOverdue > 0)
    return {
      text: t(lang, { key: "addin.followups.overdue", params: { n: e.daysOverdue } }),
      cls: "overdue",
    };
  return { text: t(lang, "addin.followups.dueToday"), cls: "due" };
}

export function slotText(e: Pick<TodayEntry, "slot">, lang: Lang): string {
  return e.slot
    ? t(lang, { key: "cards.slot", params: { day: e.slot.day, window: formatSlot(e.slot) } })
    : t(lang, "desk.today.noSlot");
}

/** One entry: a button when the customer has a row to select. */
export function todayEntry(e: TodayEntry, desk: PaneDesk, env: DeskViewEnv): HTMLElement {
  const { lang } = env;
  const w = when(e, lang);
  const reason = t(lang, e.reason);
  const body = [
    h(
      "div",
      { class: "card-head" },
      h("strong", {}, e.name || e.id),
      e.grade ? h("span", { class: `chip grade-${e.grade}` }, e.grade) : null,
      h("span", { class: `chip ${stageHealth(e.stage)}` }, stageLabel(e.stage, lang)),
    ),
    h(
      "div",
      { class: "small today-who" },
      h("span", { class: "cust-id" }, e.id),
      e.phone ? h("span", { class: "phone nowrap" }, e.phone) : null,
      e.contact ? h("span", { class: "muted nowrap" }, e.contact) : null,
    ),
    h(
      "div",
      { class: "small card-when" },
      h("span", { class: w.cls }, w.text),
      " · ",
      h("span", { class: "slot nowrap" }, slotText(e, lang)),
    ),
    h("div", { class: "small one-line reason", title: reason }, reason),
  ];
  const sheet = desk.customersSheet;
  return h(
    "li",
    { "data-id": e.id },
    e.row !== null && sheet
      ? h(
          "button",
          {
            class: "card",
            type: "button",
            disabled: env.busy,
            "data-row": String(e.row),
            title: t(lang, { key: "addin.followups.select", params: { sheet, row: e.row } }),
            onclick: () => env.onSelect(e),
          },
          ...body,
        )
      : h(
          "div",
          { class: "card" },
          ...body,
          h("div", { class: "muted small" }, t(lang, "addin.followups.notInTable")),
        ),
  );
}

export function todayView(
  desk: PaneDesk,
  env: DeskViewEnv & { chooser: HTMLElement; onPrint: () => void },
): HTMLElement {
  const { lang } = env;
  const c = desk.todayCounts;
  return h(
    "section",
    { class: "view desk today-view", "aria-labelledby": "today-title" },
    h("h2", { id: "today-title" }, t(lang, "desk.today.title")),
    env.chooser,
    h(
      "p",
      { class: "muted small" },
      t(lang, { key: "desk.today.intro", params: { date: desk.date } }),
    ),
    c.total === 0
      ? h(
          "p",
          { class: "today-none" },
          t(lang, { key: "desk.today.none", params: { date: desk.date } }),
        )
      : h(
          "div",
          {},
          h(
            "p",
            { class: "today-count" },
            t(lang, {
              key: "desk.today.count",
              params: { n: c.total, overdue: c.overdue, due: c.due, stale: c.stale },
            }),
            desk.customersSheet
              ? `${lang === "zh" ? "" : " "}${t(lang, { key: "desk.today.click", params: { sheet: desk.customersSheet } })}`
              : "",
          ),
          h(
            "button",
            {
              id: "print-cards",
              class: "btn",
              type: "button",
              disabled: env.busy,
              onclick: env.onPrint,
            },
            t(lang, "desk.print.button"),
          ),
          h(
            "ol",
            { class: "cards today-list", "aria-label": t(lang, "desk.today.title") },
            ...desk.today.map((e) => todayEntry(e, desk, env)),
          ),
          c.total > desk.today.length
            ? h(
                "p",
                { class: "muted" },
                t(lang, { key: "desk.today.more", params: { n: c.total - desk.today.length } }),
              )
            : null,
        ),
  );
}
