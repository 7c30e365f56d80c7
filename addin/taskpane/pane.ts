/**
 * The task pane: plain TypeScript and DOM. It receives the workbook as a `WorkbookPort` and
 * never touches Office itself (the boot file decides whether that port is Excel or the
 * playground's in-memory workbook).
 *
 * Views: home (actions, progress, summary after a run), follow-ups, settings. Language follows
 * Office's display language (zh-* → 简体中文, else English) unless the user picks one.
 */
import { analyzeWorkbook, type PaneSummary } from "../analyze.js";
import { ANALYZE_STEPS } from "../analysis-run.js";
import type { Analyser } from "../worker-client.js";
import { excelErrorMessage } from "../excel-adapter.js";
import {
  AddinError,
  CancelledError,
  type PlainRange,
  type Progress,
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

export type View = "home" | "followups" | "settings";

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

  const goToIssue = (i: Issue) => run(() => env.port.select(i.source, i.row, i.column));

  const setView = (v: View) => {
    state.view = v;
    render();
  };

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
    const toggle = (v: "followups" | "settings") =>
      btn(
        v,
        tr(`addin.button.${v}`),
        () => setView(state.view === v ? "home" : v),
        false,
        state.view === v,
      );
    return h(
      "nav",
      { class: "actions", "aria-label": tr("addin.title") },
      btn("analyze", tr("addin.button.analyze"), analyze, true),
      toggle("followups"),
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
    if (f.rows.length === 0)
      return h(
        "section",
        { class: "view" },
        h("h2", {}, tr("addin.followups.title")),
        h("p", {}, tr("addin.followups.none")),
        open,
      );
    // One card per customer: name, grade and stage, due date and call window, then the reason.
    const field = (label: string, value: string) =>
      tr({ key: "addin.followups.field", params: { label, value } });
    const col = (r: OutValue[], j: number) =>
      j < f.columns.length ? cellText(r[j] ?? null, f.columns[j]) : "";
    const wide = f.columns.length >= 10;
    const shown = f.rows.slice(0, 25);
    return h(
      "section",
      { class: "view" },
      h("h2", {}, tr("addin.followups.title")),
      h("p", { class: "muted" }, tr("addin.followups.intro")),
      h(
        "ol",
        { class: "cards", "aria-label": tr("addin.followups.title") },
        ...shown.map((r) =>
          wide
            ? h(
                "li",
                { class: "card" },
                h(
                  "div",
                  { class: "card-head" },
                  h("strong", {}, col(r, 1) || col(r, 0)),
                  h("span", { class: "chip" }, col(r, 3)),
                  h("span", { class: "chip" }, col(r, 4)),
                ),
                h(
                  "div",
                  { class: "muted small" },
                  [5, 8].map((j) => field(f.columns[j].header, col(r, j))).join(" · "),
                ),
                h("div", { class: "small" }, col(r, 9)),
              )
            : h(
                "li",
                { class: "card" },
                f.columns.map((c, j) => field(c.header, col(r, j))).join(" · "),
              ),
        ),
      ),
      f.rows.length > shown.length
        ? h(
            "p",
            { class: "muted" },
            tr({ key: "addin.followups.more", params: { n: f.rows.length - shown.length, sheet } }),
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
        state.view === "followups"
          ? followupsView()
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
