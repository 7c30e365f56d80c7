/**
 * Review (issue 17 §4), the manager's weekly check, from analysis/cards.ts's `review` (the
 * model `crm cards` prints): the cards due for review on the date by grade cadence (Settings'
 * reviewDays: A daily, B weekly, C monthly by default), and, against the previous snapshot of
 * the stage history, the customers whose grade or stage changed, down first. A click on a
 * customer selects its row in the Customers table and shows its card.
 */
import type { DeskRow, PaneDesk } from "../desk.js";
import { t, formatDay } from "../../analysis/messages/index.js";
import { stageHealth, stageLabel } from "../../analysis/lifecycle.js";
import { STAGES } from "../../analysis/stages.js";
import { cadence } from "../../analysis/output/grades.js";
import { h } from "./dom.js";
import type { DeskViewEnv } from "./today-view.js";

const dash = "—";

/** A customer's ID and name as a link-like button that selects its row. */
function who(x: DeskRow, desk: PaneDesk, env: DeskViewEnv): HTMLElement {
  const label = [h("span", { class: "cust-id" }, x.id), " ", x.name || dash];
  if (x.row === null || !desk.customersSheet)
    return h("span", { title: t(env.lang, "addin.followups.notInTable") }, ...label);
  return h(
    "button",
    {
      class: "link pick",
      type: "button",
      disabled: env.busy,
      "data-row": String(x.row),
      title: t(env.lang, {
        key: "addin.followups.select",
        params: { sheet: desk.customersSheet, row: x.row },
      }),
      onclick: () => env.onSelect(x),
    },
    ...label,
  );
}

export function reviewView(
  desk: PaneDesk,
  env: DeskViewEnv & { chooser: HTMLElement },
): HTMLElement {
  const { lang } = env;
  const r = desk.review;
  const grades = r.grades.map((g) =>
    h(
      "div",
      { class: "review-grade", "data-grade": g.grade },
      h(
        "h3",
        {},
        h("span", { class: `chip grade-${g.grade}` }, g.grade),
        " ",
        t(lang, {
          key: "cards.review.grade",
          params: { grade: g.grade, cadence: cadence(g.reviewDays, lang), n: g.total },
        }),
        " ",
        h(
          "span",
          { class: `chip ${g.due ? "yellow" : ""}` },
          g.due
            ? t(lang, { key: "cards.review.due", params: { date: desk.date } })
            : t(lang, { key: "cards.review.notDue", params: { next: g.nextDue } }),
        ),
      ),
      g.entries.length
        ? h(
            "ul",
            { class: "review-list" },
            ...g.entries.map((x) =>
              h(
                "li",
                { "data-id": x.id },
                who(x, desk, env),
                h(
                  "span",
                  { class: "muted small nowrap" },
                  ` ${stageLabel(x.stage, lang)} · ${t(lang, "cards.f.next")} ${
                    x.nextContact === null ? dash : formatDay(x.nextContact, lang)
                  }`,
                ),
              ),
            ),
          )
        : null,
      g.due && g.total > g.entries.length
        ? h(
            "p",
            { class: "muted small" },
            t(lang, { key: "cards.review.more", params: { n: g.total - g.entries.length } }),
          )
        : null,
    ),
  );
  const stage = (k: keyof typeof STAGES) =>
    h("span", { class: `chip ${stageHealth(k)}` }, STAGES[k][lang]);
  let changes: HTMLElement;
  if (r.previous === null)
    changes = h("p", { class: "muted small review-nohistory" }, t(lang, "desk.review.noHistory"));
  else if (!r.changes.length)
    changes = h(
      "div",
      {},
      h("h3", {}, t(lang, { key: "cards.review.changes", params: { from: r.previous } })),
      h("p", { class: "muted" }, t(lang, "cards.review.noChanges")),
    );
  else
    changes = h(
      "div",
      {},
      h("h3", {}, t(lang, { key: "cards.review.changes", params: { from: r.previous } })),
      h(
        "ul",
        { class: "review-changes" },
        ...r.changes.map((x) =>
          h(
            "li",
            { class: `change ${x.move}`, "data-id": x.id, "data-move": x.move },
            h(
              "div",
              {},
              h("span", { class: `chip move ${x.move}` }, t(lang, `cards.review.${x.move}`)),
              " ",
              who(x, desk, env),
            ),
            h(
              "div",
              { class: "small" },
              stage(x.fromStage),
              " → ",
              stage(x.toStage),
              ` · ${t(lang, "cards.f.grade")} ${x.fromGrade ?? dash} → ${x.toGrade ?? dash}`,
            ),
          ),
        ),
      ),
      r.changesTotal > r.changes.length
        ? h(
            "p",
            { class: "muted small" },
            t(lang, {
              key: "desk.review.changesMore",
              params: { n: r.changesTotal - r.changes.length },
            }),
          )
        : null,
    );
  return h(
    "section",
    { class: "view desk review-view", "aria-labelledby": "review-title" },
    h("h2", { id: "review-title" }, t(lang, "desk.review.title")),
    env.chooser,
    h(
      "p",
      { class: "muted small" },
      t(lang, { key: "cards.review.intro", params: { date: desk.date } }),
    ),
    ...grades,
    changes,
  );
}
