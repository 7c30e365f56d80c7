/**
 * The card's form to log a contact (联系记录, issue 17 §2), drawn by card-view.ts under the
 * customer card: type, date and time (now by default), outcome note, deal status, complaint
 * flag, next contact date; Save. It validates (analysis/contact-log.ts) and shows each problem
 * under its field; writes ONE row through the port (the adapter's appendInteraction); asks in
 * the pane, never with window.confirm, before it creates a missing Interactions table; then
 * sends the contact to the analysis worker, which plans that customer's follow-up again and
 * rebuilds the card (contact-update.ts), and hands the update to the pane. After a save it says
 * which row was written and how to delete it: Excel's Undo does not cover add-in writes.
 *
 * The form keeps its own state between the pane's renders (the pane redraws everything on
 * each change), per customer: a new customer's card starts a fresh form.
 */
import type { CardView } from "../card-model.js";
import type { PaneFollowupList, PaneFollowups, PaneSummary } from "../analyze.js";
import type { LoggedFollowup, LoggedUpdate } from "../contact-update.js";
import { excelErrorMessage } from "../excel-adapter.js";
import { AddinError, type AppendResult, type WorkbookPort } from "../workbook-port.js";
import {
  CONTACT_TYPES,
  DEAL_STATUSES,
  entryInteraction,
  formatWhen,
  localNow,
  roleHeader,
  validateContact,
  type ContactEntry,
  type ContactField,
  type ContactForm,
  type ContactProblem,
} from "../../analysis/contact-log.js";
import { formatSlot } from "../../analysis/followup.js";
import { t } from "../../analysis/messages/index.js";
import type { Lang, Message } from "../../analysis/types.js";

export interface ContactFormEnv {
  port: WorkbookPort;
  lang: () => Lang;
  summary: () => Pick<PaneSummary, "log" | "asOf"> | null;
  /** The Excel date system of the last analysis (serials of the new row's dates). */
  dateSystem?: () => "1900" | "1904";
  /** The card and follow-up of a customer were updated by a logged contact: redraw. */
  onLogged: (update: LoggedUpdate) => void;
  /** Redraw the pane (the form's own state changed: busy, problems, the question, the result). */
  render: () => void;
  /** The clock (tests fix it). */
  now?: () => Date;
}

export interface FormState {
  id: string;
  fields: ContactForm;
  problems: ContactProblem[];
  busy: boolean;
  /** The Interactions table is missing: the question shown before creating it. */
  ask: { sheet: string; headers: string[]; entry: ContactEntry } | null;
  /** What the last save said (row written, how to remove it, notes). */
  done: Message[];
  error: Message | null;
}

export interface ContactFormController {
  /** The form for the card on show, or null when the view is not a card. */
  element(view: CardView | null): HTMLElement | null;
  /** The form's state for a customer's card (kept while the same customer's card shows). */
  open(id: string): FormState;
  /** Save as the Save button does (the bench and tests drive it). */
  save(create?: boolean): Promise<void>;
  readonly state: FormState | null;
}

function el(
  tag: string,
  attrs: Record<string, string | boolean> = {},
  ...kids: (Node | string | null)[]
): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    if (k === "class") e.className = String(v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids) if (k !== null) e.append(k);
  return e;
}

export function contactForm(env: ContactFormEnv): ContactFormController {
  let state: FormState | null = null;
  const now = () => (env.now ? env.now() : new Date());
  const fresh = (id: string): FormState => {
    const n = localNow(now());
    return {
      id,
      fields: {
        type: "call",
        when: formatWhen(n.day, n.minutes),
        note: "",
        deal: "none",
        complaint: false,
        next: "",
      },
      problems: [],
      busy: false,
      ask: null,
      done: [],
      error: null,
    };
  };

  async function write(s: FormState, entry: ContactEntry, create: boolean): Promise<void> {
    const lang = env.lang();
    const res: AppendResult = await env.port.appendInteraction(entry, {
      lang,
      create,
      dateSystem: env.dateSystem?.() ?? "1900",
    });
    if (res.status === "missing") {
      s.ask = { sheet: res.sheet, headers: res.headers, entry };
      return;
    }
    s.ask = null;
    const done: Message[] = [];
    if (res.created) done.push({ key: "contact.created", params: { sheet: res.sheet } });
    done.push({ key: "contact.saved", params: { sheet: res.sheet, row: res.row } });
    if (res.dropped.length)
      done.push({
        key: "contact.dropped",
        params: {
          columns: res.dropped
            .map((r) => roleHeader(r, res.lang))
            .join(res.lang === "zh" ? "、" : ", "),
        },
      });
    // The row is written: from here on the pane says so whatever else happens, and the form
    // is cleared so that a second Save cannot log it twice.
    s.done = [...done, { key: "contact.undo", params: { sheet: res.sheet, row: res.row } }];
    const keep = s.fields.type;
    s.fields = { ...fresh(s.id).fields, type: keep };
    // the worker adds it to the kept analysis: that customer's follow-up and card, at once
    const x = entryInteraction(entry, res.lang, res.row);
    let update: LoggedUpdate | null | undefined = null;
    try {
      update = await env.summary()?.log(s.id, {
        row: x.row,
        day: x.day,
        channel: x.channel,
        type: x.type,
        outcome: x.outcome,
        nextContact: x.nextContact,
      });
    } catch {
      update = null; // the worker is gone: the card stays as it was until the next Analyze
    }
    if (update) {
      if (update.afterAsOf) done.push({ key: "contact.afterAsOf", params: { asOf: update.asOf } });
      env.onLogged(update);
    } else done.push({ key: "contact.error.noCard" });
    s.done = [...done, { key: "contact.undo", params: { sheet: res.sheet, row: res.row } }];
  }

  async function save(create = false): Promise<void> {
    const s = state;
    if (!s || s.busy) return;
    s.error = null;
    s.done = [];
    let entry: ContactEntry;
    if (create && s.ask) entry = s.ask.entry;
    else {
      const v = validateContact(s.fields, s.id, localNow(now()), env.lang());
      s.problems = v.ok ? [] : v.problems;
      if (!v.ok) {
        env.render();
        return;
      }
      entry = v.entry;
    }
    s.busy = true;
    env.render();
    try {
      await write(s, entry, create);
    } catch (e) {
      s.ask = null;
      s.error = e instanceof AddinError ? e.msg : excelErrorMessage(e);
    } finally {
      s.busy = false;
      env.render();
    }
  }

  function open(id: string): FormState {
    if (!state || state.id !== id) state = fresh(id);
    return state;
  }

  function element(view: CardView | null): HTMLElement | null {
    if (!view || view.kind !== "card") return null;
    const s = open(view.card.id);
    const lang = env.lang();
    const tr = (m: Message | string) => t(lang, m);
    const problem = (f: ContactField) => s.problems.find((p) => p.field === f) ?? null;
    const errorOf = (f: ContactField) => {
      const p = problem(f);
      return p
        ? el("p", { class: "field-error", id: `contact-err-${f}`, role: "alert" }, tr(p.msg))
        : null;
    };
    const invalid = (f: ContactField): Record<string, string | boolean> =>
      problem(f) ? { "aria-invalid": "true", "aria-describedby": `contact-err-${f}` } : {};
    const field = (f: ContactField, label: string, control: HTMLElement, hint?: string) =>
      el(
        "div",
        { class: `cf-field cf-f-${f}` },
        el(
          "label",
          { for: `contact-${f}` },
          tr(label),
          hint ? el("span", { class: "muted" }, `${lang === "zh" ? "" : " "}${tr(hint)}`) : null,
        ),
        control,
        errorOf(f),
      );
    const bind = <E extends HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
      e: E,
      key: "when" | "note" | "deal" | "next",
    ): E => {
      e.value = s.fields[key];
      e.addEventListener("input", () => (s.fields[key] = e.value));
      e.addEventListener("change", () => (s.fields[key] = e.value));
      if (s.busy) e.disabled = true;
      return e;
    };

    const types = el(
      "div",
      {
        class: "cf-types",
        role: "radiogroup",
        id: "contact-type",
        "aria-label": tr("contact.f.type"),
        ...invalid("type"),
      },
      ...(Object.keys(CONTACT_TYPES) as (keyof typeof CONTACT_TYPES)[]).map((k) => {
        const input = el("input", {
          type: "radio",
          name: "contact-type",
          value: k,
          id: `contact-type-${k}`,
        }) as HTMLInputElement;
        input.checked = s.fields.type === k;
        input.disabled = s.busy;
        input.addEventListener("change", () => {
          if (input.checked) s.fields.type = k;
        });
        return el(
          "label",
          { class: "cf-chip", for: `contact-type-${k}` },
          input,
          tr(`contact.type.${k}`),
        );
      }),
    );
    const when = bind(
      el("input", {
        type: "datetime-local",
        id: "contact-when",
        ...invalid("when"),
      }) as HTMLInputElement,
      "when",
    );
    const note = bind(
      el("textarea", {
        id: "contact-note",
        rows: "3",
        placeholder: tr("contact.f.notePlaceholder"),
        ...invalid("note"),
      }) as HTMLTextAreaElement,
      "note",
    );
    const deal = bind(
      el(
        "select",
        { id: "contact-deal", ...invalid("deal") },
        ...(Object.keys(DEAL_STATUSES) as (keyof typeof DEAL_STATUSES)[]).map((k) =>
          el("option", { value: k }, tr(`contact.deal.${k}`)),
        ),
      ) as HTMLSelectElement,
      "deal",
    );
    const complaint = el("input", {
      type: "checkbox",
      id: "contact-complaint",
    }) as HTMLInputElement;
    complaint.checked = s.fields.complaint;
    complaint.disabled = s.busy;
    complaint.addEventListener("change", () => (s.fields.complaint = complaint.checked));
    const next = bind(
      el("input", { type: "date", id: "contact-next", ...invalid("next") }) as HTMLInputElement,
      "next",
    );

    const saveBtn = el(
      "button",
      { type: "submit", class: "btn primary", id: "contact-save", disabled: s.busy || !!s.ask },
      tr(s.busy ? "contact.saving" : "contact.save"),
    );
    const form = el(
      "form",
      {
        class: "contact-form",
        id: "contact-form",
        "aria-label": tr("contact.title"),
        novalidate: true,
      },
      el("h3", {}, tr("contact.title")),
      field("type", "contact.f.type", types),
      field("when", "contact.f.when", when),
      field("note", "contact.f.note", note),
      el(
        "div",
        { class: "cf-row" },
        field("deal", "contact.f.deal", deal),
        field("next", "contact.f.next", next, "contact.f.nextHint"),
      ),
      el(
        "label",
        { class: "cf-check", for: "contact-complaint" },
        complaint,
        tr("contact.f.complaint"),
      ),
      s.ask
        ? el(
            "div",
            {
              class: "msg notice cf-ask",
              role: "alertdialog",
              "aria-labelledby": "contact-ask-text",
            },
            el(
              "p",
              { id: "contact-ask-text" },
              tr({
                key: "contact.missing.ask",
                params: {
                  sheet: s.ask.sheet,
                  columns: s.ask.headers.join(lang === "zh" ? "、" : ", "),
                },
              }),
            ),
            el(
              "div",
              { class: "cf-buttons" },
              button(
                "contact-create",
                "btn primary",
                tr("contact.missing.create"),
                s.busy,
                () => void save(true),
              ),
              button("contact-cancel", "btn", tr("contact.cancel"), s.busy, () => {
                s.ask = null;
                env.render();
              }),
            ),
          )
        : null,
      s.error ? el("p", { class: "msg error cf-error", role: "alert" }, tr(s.error)) : null,
      el("div", { class: "cf-buttons" }, saveBtn),
      s.done.length
        ? el(
            "div",
            { class: "msg notice cf-done", role: "status" },
            ...s.done.map((m) => el("p", {}, tr(m))),
          )
        : null,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void save(false);
    });
    return form;
  }

  return {
    element,
    open,
    save,
    get state() {
      return state;
    },
  };
}

function button(
  id: string,
  cls: string,
  label: string,
  disabled: boolean,
  onclick: () => void,
): HTMLElement {
  const b = el("button", { type: "button", id, class: cls, disabled }, label);
  b.addEventListener("click", onclick);
  return b;
}

/**
 * The pane's Follow-ups lists after a logged contact: the customer's entry (if shown) takes
 * its new due date, days overdue, call and reason, moves to the list it now belongs to, or
 * leaves both when it is no longer due. Entries of other customers are untouched.
 */
export function updateFollowupEntry(
  f: PaneFollowups,
  id: string,
  u: LoggedFollowup,
  currency: string,
): void {
  const lists: [PaneFollowupList | null, "current" | "stale"][] = [
    [f.current, "current"],
    [f.stale, "stale"],
  ];
  for (const [list, name] of lists) {
    if (!list) continue;
    const col = (key: string) => {
      const names = [t("zh", `followup.col.${key}`), t("en", `followup.col.${key}`)];
      return list.columns.findIndex((c) => names.includes(c.header));
    };
    const idCol = col("customerId");
    const j = idCol < 0 ? -1 : list.rows.findIndex((r) => String(r[idCol] ?? "") === id);
    if (j < 0) continue;
    const row = [...list.rows[j]];
    const listLang: Lang = list.columns.some((c) => c.header === t("zh", "followup.col.customerId"))
      ? "zh"
      : "en";
    const set = (key: string, v: string | number | null) => {
      const c = col(key);
      if (c >= 0) row[c] = v;
    };
    set("due", u.nextContact);
    set("daysOverdue", u.daysOverdue);
    if (u.slot) {
      set("callDay", u.slot.day);
      set("callTime", formatSlot(u.slot));
    }
    set("reason", t(listLang, u.reason, { currency }));
    const contact = list.contacts[j];
    list.rows.splice(j, 1);
    list.contacts.splice(j, 1);
    const target =
      u.list === name
        ? list
        : u.list === "stale"
          ? f.stale
          : u.list === "current"
            ? f.current
            : null;
    if (target) {
      target.rows.splice(u.list === name ? j : target.rows.length, 0, row);
      target.contacts.splice(u.list === name ? j : target.contacts.length, 0, contact);
    }
    return;
  }
}
