/**
 * The task pane: plain TypeScript and DOM. It receives the workbook as a `WorkbookPort` and
 * never touches Office itself (the boot file decides whether that port is Excel or the
 * playground's in-memory workbook).
 *
 * Views: home (actions, progress, summary after a run), follow-ups, settings. Language follows
 * Office's display language (zh-* → 简体中文, else English) unless the user picks one.
 */
import { analyzeWorkbook, type PaneFollowupList, type PaneSummary } from "../analyze.js";
import { cardForSelection, type CardView } from "../card-model.js";
import { cardElement } from "./card-view.js";
import { contactForm, updateFollowupEntry } from "./contact-form.js";
import { ANALYZE_STEPS } from "../analysis-run.js";
import type { Analyser } from "../worker-client.js";
import { excelErrorMessage } from "../excel-adapter.js";
import {
  AddinError,
  CancelledError,
  type PlainRange,
  type Progress,
  type SelectedRow,
  type WorkbookPort,
} from "../workbook-port.js";
import { formatDay, formatNumber, langFromLocale, t } from "../../analysis/messages/index.js";
import { sampleWorkbook, SAMPLE_SHEETS } from "../../analysis/sample.js";
import {
  OWNED_SHEETS,
  ownedSheetNames,
  type OutColumn,
  type OutValue,
} from "../../analysis/workbook.js";
import type { Issue, Lang, Message } from "../../analysis/types.js";
import { STAGES, STAGES4 } from "../../analysis/stages.js";
import { ownerKey } from "../../analysis/owners.js";
import type { DeskRow, OwnerChoice, PaneDesk } from "../desk.js";
import { todayView } from "./today-view.js";
import { reviewView } from "./review-view.js";
import {
  OWNER_KEY,
  ownerChooser,
  ownerDisplay,
  ownersView,
  readOwnerChoice,
  writeOwnerChoice,
} from "./owners-view.js";
import { printView } from "./print-view.js";

export type View = "home" | "followups" | "settings" | "today" | "review" | "owners";
/** The views that show the desk (desk.ts): they need its answer for the chosen owner. */
const DESK_VIEWS: readonly View[] = ["today", "review", "owners", "followups"];

export interface PaneEnv {
  port: WorkbookPort;
  /** Office.context.displayLanguage, e.g. "zh-CN". */
  displayLanguage: string;
  /** Where the language choice is remembered (localStorage in Office). */
  storage?: Pick<Storage, "getItem" | "setItem"> | null;
  view?: View;
  /** Called after every change to the workbook (the playground redraws). */
  onWorkbookChanged?: () => void;
  /** Where Analyze runs the analysis (the boot file gives a Web Worker); default this thread. */
  analyser?: Analyser;
}

type LangChoice = "auto" | Lang;
const LANG_KEY = "crm.lang";

interface State {
  choice: LangChoice;
  view: View;
  busy: boolean;
  progress: Progress | null;
  error: Message | null;
  notices: Message[];
  summary: PaneSummary | null;
  plain: PlainRange[];
  abort: AbortController | null;
  /** The selected row's customer card, or why there is none (issue 17 §1). */
  card: CardView | null;
  /** "My customers" (issue 17 §5): null = all owners, "" = unassigned, else an owner key. */
  owner: OwnerChoice;
  /** The desk for `deskFor` (owner and language) from the last analysis; null until asked. */
  desk: PaneDesk | null;
  deskFor: string | null;
  deskFailed: boolean;
  /** The printable page of today's cards, while it is open. */
  print: { html: string; cards: number; total: number } | null;
}

/** A tiny element builder: h("button", { class: "x", onclick }, "text"). */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string | null | false | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function")
      el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "class") el.className = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function mountPane(root: HTMLElement, env: PaneEnv): { render(): void; state: State } {
  const stored = env.storage?.getItem(LANG_KEY);
  const state: State = {
    choice: stored === "zh" || stored === "en" ? stored : "auto",
    view: env.view ?? "home",
    busy: false,
    progress: null,
    error: null,
    notices: [],
    summary: null,
    plain: [],
    abort: null,
    card: null,
    owner: readOwnerChoice(env.storage?.getItem(OWNER_KEY)),
    desk: null,
    deskFor: null,
    deskFailed: false,
    print: null,
  };
  const lang = (): Lang =>
    state.choice === "auto" ? langFromLocale(env.displayLanguage) : state.choice;
  const tr = (m: Message | string) => t(lang(), m);

  const fail = (e: unknown) => {
    state.error =
      e instanceof AddinError || (e as { msg?: Message })?.msg
        ? (e as { msg: Message }).msg
        : excelErrorMessage(e);
  };

  /** Run a task with the buttons disabled; `cancellable` shows Cancel from the start. */
  async function run(task: () => Promise<void>, cancellable = false): Promise<void> {
    if (state.busy) return;
    state.busy = true;
    state.error = null;
    state.notices = [];
    state.progress = null;
    state.abort = cancellable ? new AbortController() : null;
    render();
    try {
      await task();
    } catch (e) {
      fail(e);
    } finally {
      state.busy = false;
      state.progress = null;
      state.abort = null;
      render();
      env.onWorkbookChanged?.();
    }
  }

  const analyze = () =>
    run(async () => {
      const summary = await analyzeWorkbook(env.port, {
        lang: lang(),
        signal: state.abort?.signal,
        analyser: env.analyser,
        onProgress: (p) => {
          state.progress = p;
          renderProgress();
        },
      });
      state.summary = summary;
      state.card = null; // the card of the previous analysis
      state.desk = null; // and its desk
      state.deskFor = null;
      state.print = null;
      state.plain = summary.plainRanges;
      state.notices = summary.notices;
      state.view = "home";
    }, true);

  const createSample = () =>
    run(async () => {
      const l = lang();
      const sample = sampleWorkbook({ lang: l });
      const tables = (["customers", "orders", "interactions"] as const).map((k) => {
        const data = sample[k];
        const dateColumns = data.headers
          .map((_, j) => j)
          .filter((j) => data.rows.some((r) => r[j] instanceof Date));
        return { sheet: SAMPLE_SHEETS[k][l], table: tableName(k), data, dateColumns };
      });
      await env.port.addTables(tables, { dateSystem: "1900" });
      state.notices = [
        { key: "addin.sample.done", params: { sheets: tables.map((x) => x.sheet).join(", ") } },
      ];
    });

  const convert = (p: PlainRange) =>
    run(async () => {
      const name = await env.port.convertToTable(p);
      state.plain = state.plain.filter((x) => x !== p);
      state.notices = [{ key: "addin.plain.converted", params: { table: name } }];
    });

  const openSheet = (key: keyof typeof OWNED_SHEETS) =>
    run(async () => {
      const ok = await env.port.activate([OWNED_SHEETS[key][lang()], ...ownedSheetNames(key)]);
      if (!ok && key === "settings")
        state.notices = [
          { key: "addin.settings.missing", params: { sheet: OWNED_SHEETS.settings[lang()] } },
        ];
    });

  // Logging a contact from the card (issue 17 §2): the form keeps its state between renders;
  // a save updates the card and the customer's Follow-ups entry at once (contact-form.ts).
  const contact = contactForm({
    port: env.port,
    lang,
    summary: () => state.summary,
    dateSystem: () => state.summary?.dateSystem ?? "1900",
    render: () => render(),
    onLogged: (u) => {
      if (state.card?.kind === "card" && state.card.card.id === u.card.id)
        state.card = { ...state.card, card: u.card };
      if (state.summary?.followups)
        updateFollowupEntry(state.summary.followups, u.card.id, u.followup, u.card.currency);
      // Today and Review follow the kept analysis, updated in the worker: ask again
      state.deskFor = null;
      // the playground redraws its grid once the updated card has been drawn
      requestAnimationFrame(() => setTimeout(() => env.onWorkbookChanged?.(), 0));
    },
  });

  // The customer card follows the selection; a later selection wins over a slower earlier one.
  let cardSeq = 0;
  let scrollToCard = false;
  const showSelection = async (sel: SelectedRow) => {
    const seq = ++cardSeq;
    const view = await cardForSelection(sel, state.summary);
    if (seq !== cardSeq) return;
    // nothing to say about a selection outside the tables before there is a card
    if (view.kind === "message" && !state.card && view.msg.key === "addin.card.notTable") return;
    state.card = view;
    render();
    // a click in Today or Review selected it: bring its card (above the list) into view
    if (scrollToCard) root.querySelector(".cust-card")?.scrollIntoView({ block: "start" });
    scrollToCard = false;
  };
  void env.port.onSelection((sel) => void showSelection(sel)).catch(() => {});

  const goToIssue = (i: Issue) => run(() => env.port.select(i.source, i.row, i.column));

  const setView = (v: View) => {
    state.view = v;
    state.print = null;
    render();
  };

  // --- the desk: Today, Review, Account managers, owner filter (issue 17 §3–§5) ---

  const deskKey = () => `${lang()}|${writeOwnerChoice(state.owner)}`;
  let deskSeq = 0;
  /** Ask the kept analysis for the desk of the chosen owner, once per owner and language. */
  const loadDesk = () => {
    const s = state.summary;
    if (!s || !DESK_VIEWS.includes(state.view) || state.deskFor === deskKey()) return;
    const key = deskKey();
    state.deskFor = key;
    state.deskFailed = false;
    const seq = ++deskSeq;
    void s
      .desk({ kind: "desk", owner: state.owner, lang: lang() })
      .then((a) => (a?.kind === "desk" ? a.desk : null))
      .catch(() => null)
      .then((desk) => {
        if (seq !== deskSeq || state.summary !== s) return;
        state.desk = desk;
        state.deskFailed = desk === null;
        render();
      });
  };

  const setOwner = (c: OwnerChoice) => {
    state.owner = c;
    state.desk = null;
    env.storage?.setItem(OWNER_KEY, writeOwnerChoice(c));
    state.print = null;
    render();
  };

  /** Select a desk entry's row in the Customers table; its card follows the selection. */
  const selectRow = (x: DeskRow) => {
    const sheet = state.desk?.customersSheet;
    if (!x.id.trim()) {
      state.notices = [{ key: "desk.select.noId" }];
      render();
      return;
    }
    if (x.row === null || !sheet) {
      state.notices = [{ key: "addin.followups.notInTable" }];
      render();
      return;
    }
    const row = x.row;
    scrollToCard = true;
    void run(async () => {
      await env.port.select(sheet, row, "");
      if (x.dupRows.length)
        state.notices = [
          {
            key: "desk.select.dup",
            params: { id: x.id, sheet, rows: [row, ...x.dupRows].join(", "), row },
          },
        ];
    });
  };

  const openPrint = () =>
    run(async () => {
      const a = await state.summary?.desk({ kind: "print", owner: state.owner, lang: lang() });
      if (a?.kind !== "print") throw new AddinError({ key: "desk.error" });
      state.print = { html: a.html, cards: a.cards, total: a.total };
    });

  // --- rendering ---

  let progressBox: HTMLElement | null = null;

  function renderProgress(): void {
    if (!progressBox) return;
    const p = state.progress;
    const bar = progressBox.querySelector("progress");
    const label = progressBox.querySelector(".progress-label");
    if (!bar || !label) return;
    if (!p) {
      label.textContent = "";
      bar.removeAttribute("value");
      return;
    }
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    // read 0–40%, analyse 40–60% (by step: done = step index), write 60–100%
    const overall =
      p.phase === "read" ? frac * 0.4 : p.phase === "analyze" ? 0.4 + frac * 0.2 : 0.6 + frac * 0.4;
    bar.value = Math.round(overall * 100);
    label.textContent =
      p.phase === "read"
        ? tr({ key: "addin.progress.read", params: { done: p.done, total: p.total } })
        : p.phase === "analyze"
          ? tr({
              key: "addin.progress.step",
              params: {
                n: p.done + 1,
                total: p.total,
                step: tr(`addin.step.${ANALYZE_STEPS[p.done] ?? "clean"}`),
              },
            })
          : tr({ key: "addin.progress.write", params: { pct: frac } });
  }

  function header(): HTMLElement {
    const select = h(
      "select",
      {
        id: "lang",
        onchange: (e: Event) => {
          state.choice = (e.target as HTMLSelectElement).value as LangChoice;
          env.storage?.setItem(LANG_KEY, state.choice);
          render();
        },
      },
      h("option", { value: "auto", selected: state.choice === "auto" }, tr("addin.lang.auto")),
      h("option", { value: "zh", selected: state.choice === "zh", lang: "zh-CN" }, "简体中文"),
      h("option", { value: "en", selected: state.choice === "en", lang: "en" }, "English"),
    );
    return h(
      "header",
      { class: "top" },
      h(
        "div",
        { class: "brand" },
        h("span", { class: "logo", "aria-hidden": "true" }),
        h("h1", {}, tr("addin.title")),
      ),
      h("div", { class: "lang" }, h("label", { for: "lang" }, tr("addin.lang.label")), select),
    );
  }

  function actions(): HTMLElement {
    const btn = (
      id: string,
      label: string,
      onclick: () => void,
      primary = false,
      pressed?: boolean,
    ) =>
      h(
        "button",
        {
          id,
          class: primary ? "btn primary" : "btn",
          type: "button",
          disabled: state.busy,
          onclick,
          "aria-pressed": pressed === undefined ? undefined : String(pressed),
        },
        label,
      );
    // a view's button opens it, or goes back home when it is open
    const toggle = (v: "followups" | "settings" | "today" | "review" | "owners") =>
      btn(
        v,
        tr(
          v === "today" || v === "review" || v === "owners"
            ? `desk.button.${v}`
            : `addin.button.${v}`,
        ),
        () => setView(state.view === v ? "home" : v),
        false,
        state.view === v,
      );
    return h(
      "nav",
      { class: "actions", "aria-label": tr("addin.title") },
      btn("analyze", tr("addin.button.analyze"), analyze, true),
      toggle("today"),
      toggle("followups"),
      toggle("review"),
      toggle("owners"),
      toggle("settings"),
      btn("sample", tr("addin.button.sample"), createSample),
    );
  }

  function progress(): HTMLElement {
    progressBox = h(
      "section",
      { class: "progress", hidden: !state.busy, "aria-live": "polite" },
      h("div", { class: "progress-label", id: "progress-label" }),
      h("progress", { max: "100", "aria-labelledby": "progress-label" }),
      state.abort
        ? h(
            "button",
            {
              id: "cancel",
              class: "btn subtle",
              type: "button",
              onclick: () => state.abort?.abort(),
            },
            tr("addin.button.cancel"),
          )
        : null,
    );
    return progressBox;
  }

  function messages(): HTMLElement {
    return h(
      "div",
      { class: "messages" },
      state.error
        ? h(
            "div",
            { class: "msg error", role: "alert" },
            h(
              "strong",
              {},
              tr(
                state.error.key === "addin.error.cancelled"
                  ? "addin.button.cancel"
                  : "addin.error.title",
              ),
            ),
            h("p", {}, tr(state.error)),
          )
        : null,
      ...state.notices.map((n) =>
        h("div", { class: "msg notice", role: "status" }, h("p", {}, tr(n))),
      ),
      ...state.plain.map((p) =>
        h(
          "div",
          { class: "msg notice" },
          h(
            "p",
            {},
            tr({
              key: "addin.plain.offer",
              params: { kind: tr(`addin.kind.${p.kind}`), sheet: p.sheet, address: p.address },
            }),
          ),
          h(
            "button",
            { class: "btn", type: "button", disabled: state.busy, onclick: () => convert(p) },
            tr("addin.button.convert"),
          ),
        ),
      ),
    );
  }

  function bars(
    items: { label: string; count: number; cls?: string }[],
    total: number,
  ): HTMLElement {
    return h(
      "ul",
      { class: "bars" },
      ...items.map((it) =>
        h(
          "li",
          {},
          h("span", { class: `chip ${it.cls ?? ""}` }, it.label),
          h(
            "span",
            { class: "bar", "aria-hidden": "true" },
            h("span", { style: `width:${total ? Math.round((100 * it.count) / total) : 0}%` }),
          ),
          h("span", { class: "count" }, formatNumber(it.count, lang(), 0)),
        ),
      ),
    );
  }

  function summaryView(s: PaneSummary): HTMLElement {
    const l = lang();
    const tile = (label: string, value: string) =>
      h(
        "div",
        { class: "tile" },
        h("div", { class: "value" }, value),
        h("div", { class: "label" }, label),
      );
    const where = (i: Issue) =>
      i.column
        ? tr({
            key: "addin.issue.where",
            params: { sheet: i.source, row: String(i.row), column: i.column },
          })
        : tr({ key: "addin.issue.whereRow", params: { sheet: i.source, row: String(i.row) } });
    const totalStages = s.stages.reduce((a, x) => a + x.count, 0);
    const totalGrades = s.grades.reduce((a, x) => a + x.count, 0);
    return h(
      "section",
      { class: "summary", "aria-labelledby": "summary-title" },
      h(
        "h2",
        { id: "summary-title" },
        tr("addin.summary.title"),
        h(
          "span",
          { class: "muted" },
          ` · ${tr({ key: "addin.summary.asOf", params: { day: s.asOf } })}`,
        ),
      ),
      h(
        "div",
        { class: "tiles" },
        tile(tr("addin.summary.customers"), formatNumber(s.customers - s.prospects, l, 0)),
        tile(tr("addin.summary.prospects"), formatNumber(s.prospects, l, 0)),
      ),
      h("h3", {}, tr("addin.summary.stages")),
      bars(
        s.stages.map((x) => ({ label: x.label, count: x.count, cls: x.health })),
        totalStages,
      ),
      h("h3", {}, tr("addin.summary.grades")),
      bars(
        s.grades.map((x) => ({ label: x.label, count: x.count, cls: `grade-${x.grade}` })),
        totalGrades,
      ),
      h("h3", {}, tr("addin.summary.pareto")),
      h("p", {}, tr({ key: "addin.summary.top20", params: { share: s.top20Share } })),
      h(
        "p",
        {},
        tr({ key: "addin.summary.for80", params: { n: s.countFor80, share: s.shareFor80 } }),
      ),
      h(
        "p",
        { class: "muted" },
        tr({ key: "addin.summary.gini", params: { gini: formatNumber(s.gini, l, 2) } }),
      ),
      h("h3", {}, tr("addin.summary.issues")),
      s.skipped + s.warnings === 0
        ? h("p", {}, tr("addin.summary.issuesNone"))
        : h(
            "div",
            {},
            h(
              "p",
              {},
              tr({
                key: "addin.summary.issuesCount",
                params: { skipped: s.skipped, warnings: s.warnings, sheet: s.issuesSheet },
              }),
            ),
            s.firstIssue
              ? h(
                  "p",
                  {},
                  h(
                    "button",
                    {
                      id: "first-issue",
                      class: "link",
                      type: "button",
                      onclick: () => goToIssue(s.firstIssue!),
                    },
                    tr("addin.button.firstIssue"),
                  ),
                  h(
                    "span",
                    { class: "muted" },
                    ` — ${where(s.firstIssue)}: ${tr(s.firstIssue.reason)}`,
                  ),
                )
              : null,
          ),
      h(
        "p",
        { class: "muted small" },
        tr({
          key: "addin.summary.written",
          params: {
            columns: s.written.columns.length,
            sheets: s.written.sheets.length,
            charts: s.written.charts,
          },
        }),
        " ",
        tr({ key: "addin.done", params: { seconds: formatNumber(s.seconds, l, 1) } }),
      ),
      h(
        "p",
        { class: "muted small" },
        tr({
          key: "addin.summary.read",
          params: {
            list: s.read
              .map((f) =>
                tr({
                  key: "addin.summary.readItem",
                  params: { kind: tr(`addin.kind.${f.kind}`), sheet: f.sheet, rows: f.rows },
                }),
              )
              .join(l === "zh" ? "；" : "; "),
          },
        }),
      ),
    );
  }

  function cellText(v: OutValue, col: OutColumn): string {
    if (v === null || v === "") return "";
    if (typeof v === "number")
      return col.format === "date"
        ? formatDay(v, lang())
        : formatNumber(v, lang(), col.format === "int" ? 0 : 2);
    return v;
  }

  /** A column of a Follow-ups list by its key (headers are in the language of the run). */
  function columnOf(list: PaneFollowupList, key: string): number {
    const names = [t("zh", `followup.col.${key}`), t("en", `followup.col.${key}`)];
    return list.columns.findIndex((c) => names.includes(c.header));
  }

  /** Fields joined by " · "; `nowrap` keeps each on one line (a phone number never breaks). */
  const joined = (
    parts: (HTMLElement | string)[],
    empty: string,
    nowrap = true,
  ): (Node | string)[] => {
    const out: (Node | string)[] = [];
    for (const p of parts.filter(Boolean)) {
      if (out.length) out.push(" · ");
      out.push(typeof p === "string" && nowrap ? h("span", { class: "nowrap" }, p) : p);
    }
    return out.length ? out : [empty];
  };

  const selectCustomer = (sheet: string, row: number) => run(() => env.port.select(sheet, row, ""));

  /**
   * One card per customer: name, grade and stage; owner, contact person and phone; days
   * overdue (or due in) and the suggested call; the reason. A click selects the customer's
   * row in the Customers table (customers seen only in orders have no row: no click).
   */
  function followupCards(list: PaneFollowupList, sheet: string | null, limit: number): HTMLElement {
    const at = (r: OutValue[], key: string) => {
      const j = columnOf(list, key);
      return j < 0 ? "" : cellText(r[j] ?? null, list.columns[j]);
    };
    const field = (label: string, value: string) =>
      value ? tr({ key: "addin.followups.field", params: { label, value } }) : "";
    const header = (key: string) => tr(`followup.col.${key}`);
    return h(
      "ol",
      { class: "cards" },
      ...list.rows.slice(0, limit).map((r, i) => {
        const c = list.contacts[i] ?? { phone: "", contact: "", row: null };
        const daysCol = columnOf(list, "daysOverdue");
        const days = daysCol < 0 ? null : r[daysCol];
        const when =
          typeof days !== "number"
            ? ""
            : days > 0
              ? tr({ key: "addin.followups.overdue", params: { n: days } })
              : days === 0
                ? tr("addin.followups.dueToday")
                : tr({ key: "addin.followups.dueIn", params: { n: -days } });
        const call = [at(r, "callDay"), at(r, "callTime")].filter(Boolean).join(" ");
        const stage = at(r, "stage");
        const body = [
          h(
            "div",
            { class: "card-head" },
            h("strong", {}, at(r, "name") || at(r, "customerId")),
            at(r, "grade")
              ? h("span", { class: `chip grade-${at(r, "grade")}` }, at(r, "grade"))
              : null,
            stage ? h("span", { class: `chip ${stageHealth(stage)}` }, stage) : null,
          ),
          h(
            "div",
            { class: "muted small card-who" },
            ...joined(
              [
                field(header("owner"), at(r, "owner")),
                field(tr("addin.followups.contact"), c.contact),
                field(tr("addin.followups.phone"), c.phone),
              ],
              at(r, "customerId"),
            ),
          ),
          h(
            "div",
            { class: "small card-when" },
            ...joined(
              [
                when
                  ? h(
                      "span",
                      { class: days !== null && Number(days) > 0 ? "overdue" : "due" },
                      when,
                    )
                  : "",
                call ? field(header("call"), call) : "",
              ],
              "",
              false,
            ),
          ),
          h("div", { class: "small" }, at(r, "reason")),
          c.row === null || !sheet
            ? h("div", { class: "muted small" }, tr("addin.followups.notInTable"))
            : null,
        ];
        return h(
          "li",
          {},
          c.row !== null && sheet
            ? h(
                "button",
                {
                  class: "card",
                  type: "button",
                  disabled: state.busy,
                  "data-row": String(c.row),
                  title: tr({ key: "addin.followups.select", params: { sheet, row: c.row } }),
                  onclick: () => selectCustomer(sheet, c.row!),
                },
                ...body,
              )
            : h("div", { class: "card" }, ...body),
        );
      }),
    );
  }

  /** The list's rows of the chosen owner (owner names compared as owners.ts does). */
  function ownFollowups(list: PaneFollowupList): PaneFollowupList {
    if (state.owner === null) return list;
    const j = columnOf(list, "owner");
    if (j < 0) return list;
    const keep = list.rows.map((r) => ownerKey(String(r[j] ?? "")) === state.owner);
    return {
      ...list,
      rows: list.rows.filter((_, i) => keep[i]),
      contacts: list.contacts.filter((_, i) => keep[i]),
    };
  }

  /** Today, Review or Account managers for the chosen owner; the printable page over Today. */
  function deskView(): HTMLElement {
    const v = state.view as "today" | "review" | "owners";
    const title = tr(`desk.button.${v}`);
    const section = (...c: (Node | string | null)[]) =>
      h("section", { class: "view desk" }, h("h2", {}, title), ...c);
    if (!state.summary)
      return section(h("p", {}, tr({ key: "desk.needRun", params: { view: title } })));
    const desk = state.desk;
    if (!desk)
      return section(
        state.deskFailed
          ? h("p", { class: "msg error", role: "alert" }, tr("desk.error"))
          : h("p", { class: "muted" }, tr("desk.loading")),
      );
    const env = { lang: lang(), busy: state.busy, onSelect: selectRow };
    const chooser = ownerChooser(desk, lang(), state.busy, setOwner);
    if (v === "owners") return ownersView(desk, lang(), chooser);
    if (v === "review") return reviewView(desk, { ...env, chooser });
    if (state.print)
      return printView({
        lang: lang(),
        html: state.print.html,
        cards: state.print.cards,
        total: state.print.total,
        onClose: () => {
          state.print = null;
          render();
        },
        onBlocked: () => {
          state.notices = [{ key: "desk.print.blocked" }];
          render();
        },
      });
    return todayView(desk, { ...env, chooser, onPrint: () => void openPrint() });
  }

  function followupsView(): HTMLElement {
    const sheet = OWNED_SHEETS.followups[lang()];
    const f = state.summary?.followups;
    const open = h(
      "button",
      { class: "btn", type: "button", disabled: state.busy, onclick: () => openSheet("followups") },
      tr({ key: "addin.button.openSheet", params: { sheet } }),
    );
    if (!f)
      return h(
        "section",
        { class: "view" },
        h("h2", {}, tr("addin.followups.title")),
        h("p", {}, tr({ key: "addin.followups.needRun", params: { sheet } })),
      );
    const limit = 25;
    const cur = ownFollowups(f.current);
    const stale = f.stale && ownFollowups(f.stale);
    const chosen = state.desk?.owners.find((o) => o.key === state.owner);
    return h(
      "section",
      { class: "view" },
      h("h2", {}, tr("addin.followups.title")),
      state.desk ? ownerChooser(state.desk, lang(), state.busy, setOwner) : null,
      state.owner !== null
        ? h(
            "p",
            { class: "muted small followups-filtered" },
            tr({
              key: "desk.followups.filtered",
              params: {
                owner: chosen ? ownerDisplay(chosen, lang()) : state.owner,
                n: cur.rows.length + (stale?.rows.length ?? 0),
                total: f.current.rows.length + (f.stale?.rows.length ?? 0),
              },
            }),
          )
        : null,
      cur.rows.length === 0
        ? h("p", {}, tr("addin.followups.none"))
        : h(
            "div",
            {},
            h(
              "p",
              { class: "muted" },
              tr("addin.followups.intro"),
              f.customersSheet
                ? `${lang() === "zh" ? "" : " "}${tr({ key: "addin.followups.click", params: { sheet: f.customersSheet } })}`
                : null,
            ),
            h(
              "div",
              { "aria-label": tr("addin.followups.title"), class: "cards-wrap" },
              followupCards(cur, f.customersSheet, limit),
            ),
            cur.rows.length > limit
              ? h(
                  "p",
                  { class: "muted" },
                  tr({
                    key: "addin.followups.more",
                    params: { n: cur.rows.length - limit, sheet },
                  }),
                )
              : null,
          ),
      // Stale items (overdue beyond the setting) never lead today's list: apart, folded.
      stale && stale.rows.length
        ? h(
            "details",
            { class: "stale" },
            h(
              "summary",
              {},
              tr({ key: "addin.followups.stale", params: { n: stale.rows.length } }),
            ),
            stale.title ? h("p", { class: "muted small" }, stale.title) : null,
            followupCards(stale, f.customersSheet, limit),
            stale.rows.length > limit
              ? h(
                  "p",
                  { class: "muted" },
                  tr({
                    key: "addin.followups.more",
                    params: { n: stale.rows.length - limit, sheet },
                  }),
                )
              : null,
          )
        : null,
      open,
    );
  }

  function settingsView(): HTMLElement {
    const sheet = OWNED_SHEETS.settings[lang()];
    return h(
      "section",
      { class: "view" },
      h("h2", {}, tr("addin.settings.title")),
      h("p", {}, tr({ key: "addin.settings.intro", params: { sheet } })),
      h(
        "button",
        {
          class: "btn",
          type: "button",
          disabled: state.busy,
          onclick: () => openSheet("settings"),
        },
        tr({ key: "addin.button.openSheet", params: { sheet } }),
      ),
    );
  }

  function render(): void {
    loadDesk();
    const focused = document.activeElement?.id;
    document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
    root.replaceChildren(
      header(),
      h(
        "main",
        {},
        h("p", { class: "intro" }, tr("addin.tagline")),
        actions(),
        progress(),
        messages(),
        // the printable page stands alone: no card above it
        state.card && !(state.print && state.view === "today")
          ? cardElement(state.card, lang(), contact.element(state.card))
          : state.summary
            ? h("p", { class: "muted small card-hint" }, tr("addin.card.hint"))
            : null,
        state.view === "followups"
          ? followupsView()
          : state.view === "today" || state.view === "review" || state.view === "owners"
            ? deskView()
            : state.view === "settings"
              ? settingsView()
              : state.summary
                ? summaryView(state.summary)
                : h("p", { class: "muted" }, tr("addin.intro")),
      ),
    );
    renderProgress();
    if (focused) document.getElementById(focused)?.focus();
  }

  render();
  return { render, state };
}

/** The traffic light of a stage label (either language, six or four stages). */
function stageHealth(label: string): string {
  for (const s of [...Object.values(STAGES), ...Object.values(STAGES4)])
    // a manual stage reads "Maturity (manual)" / "成熟期（手动）"
    if (
      [s.zh, s.en].some(
        (x) => label === x || label.startsWith(`${x} (`) || label.startsWith(`${x}（`),
      )
    )
      return s.health;
  return "";
}

function tableName(k: "customers" | "orders" | "interactions"): string {
  return k === "customers" ? "Customers" : k === "orders" ? "Orders" : "Interactions";
}

/** The message shown when the pane is opened outside Excel. */
export function mountOutside(
  root: HTMLElement,
  displayLanguage: string,
  playgroundUrl: string | null,
): void {
  const lang = langFromLocale(displayLanguage || navigator.language);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  root.replaceChildren(
    h(
      "main",
      { class: "outside", role: "alert" },
      h(
        "div",
        { class: "brand" },
        h("span", { class: "logo", "aria-hidden": "true" }),
        h("h1", {}, t(lang, "addin.title")),
      ),
      h("h2", {}, t(lang, "addin.outside.title")),
      h("p", {}, t(lang, "addin.outside.body")),
      playgroundUrl
        ? h("a", { class: "btn primary", href: playgroundUrl }, t(lang, "addin.button.playground"))
        : null,
    ),
  );
}

export { CancelledError };
