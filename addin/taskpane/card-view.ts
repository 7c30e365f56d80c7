/**
 * The customer card (客户资料卡, issue 17 §1) as the pane draws it, from card-model.ts's view:
 * the same fields as `crm cards` prints (analysis/node/cards-html.ts), in the pane's width.
 * The monthly revenue chart is a small inline SVG drawn here: 24 bars need no chart library.
 */
import type { CardView } from "../card-model.js";
import type { PaneCard } from "../analysis-run.js";
import { formatDay, formatMoney, formatPct, t } from "../../analysis/messages/index.js";
import { CHANNELS, INTERACTION_TYPES, type Lang, type Message } from "../../analysis/types.js";
import { stageHealth, stageLabel } from "../../analysis/lifecycle.js";
import { DEAL_OUTCOMES, formatSlot } from "../../analysis/followup.js";

const SVG = "http://www.w3.org/2000/svg";
const dash = "—";

function el(tag: string, cls = "", ...children: (Node | string | null)[]): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const c of children) if (c !== null) e.append(c);
  return e;
}

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** 24 monthly bars (negative months below the zero line), first and last month under them. */
export function revenueChart(c: PaneCard, lang: Lang): SVGElement {
  const w = 260;
  const h = 48;
  const values = c.monthly.map((m) => m.revenue);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const zero = (max / span) * h;
  const bw = w / values.length;
  const first = c.monthly[0]?.month ?? "";
  const last = c.monthly[c.monthly.length - 1]?.month ?? "";
  const root = svg("svg", {
    viewBox: `0 0 ${w} ${h + 14}`,
    class: "rev-chart",
    role: "img",
    "aria-label": t(
      lang,
      { key: "cards.chart.alt", params: { from: first, to: last, max } },
      { currency: c.currency },
    ),
  });
  root.append(svg("line", { x1: 0, x2: w, y1: zero, y2: zero, stroke: "#9aa5b1" }));
  values.forEach((v, i) => {
    if (v === 0) return;
    const bh = Math.max(1, (Math.abs(v) / span) * h);
    const bar = svg("rect", {
      x: (i * bw + 1).toFixed(1),
      y: (v > 0 ? zero - bh : zero).toFixed(1),
      width: (bw - 2).toFixed(1),
      height: bh.toFixed(1),
      fill: v > 0 ? "#2f6fb3" : "#d64545",
    });
    const tip = svg("title", {});
    tip.textContent = `${c.monthly[i].month}: ${formatMoney(v, lang, c.currency)}`;
    bar.append(tip);
    root.append(bar);
  });
  for (const [x, text, anchor] of [
    [0, first, "start"],
    [w, last, "end"],
  ] as const) {
    const label = svg("text", {
      x,
      y: h + 12,
      "font-size": 10,
      fill: "#52606d",
      "text-anchor": anchor,
    });
    label.textContent = text;
    root.append(label);
  }
  return root;
}

/**
 * An open deal's outcome without the status word it starts with: a contact logged from the card
 * writes "进行中：…" / "open: …" (contact-log.ts), and the line already says "in progress".
 */
export function dealNote(outcome: string, status: "open" | "closing"): string {
  const words: readonly string[] = DEAL_OUTCOMES[status];
  const norm = (x: string) => x.normalize("NFKC").toLowerCase().trim();
  if (words.includes(norm(outcome))) return "";
  const m = /^([^:：]{1,16})[:：]\s*/.exec(outcome.trim());
  return m && words.includes(norm(m[1])) ? outcome.trim().slice(m[0].length) : outcome;
}

/**
 * The card, or the message saying why there is none; `form` (the contact form, contact-form.ts)
 * goes under the card.
 */
export function cardElement(
  view: CardView,
  lang: Lang,
  form: HTMLElement | null = null,
): HTMLElement {
  const tr = (m: Message | string, currency?: string) => t(lang, m, { currency: currency ?? "¥" });
  if (view.kind === "message")
    return el(
      "section",
      "cust-card",
      el("h2", "", tr("addin.card.title")),
      el("p", "msg notice cust-card-msg", tr(view.msg)),
    );
  const c = view.card;
  const cur = c.currency;
  const orDash = (s: string) => (s.trim() ? s : dash);
  const fact = (label: string, value: string | Node, cls = "") =>
    el("div", `fact ${cls}`, el("dt", "", tr(label)), el("dd", "", value));
  const stage = el("span", `chip ${stageHealth(c.stage)}`, stageLabel(c.stage, lang));
  const grade = c.grade
    ? el("span", `chip grade-${c.grade}`, c.grade)
    : el("span", "muted", tr("cards.noGrade"));
  const next =
    c.nextContact === null
      ? tr("cards.noNext")
      : `${formatDay(c.nextContact, lang)} · ${tr(c.nextReason)}`;
  const slot = c.slot
    ? tr({ key: "cards.slot", params: { day: c.slot.day, window: formatSlot(c.slot) } })
    : dash;
  const total = c.monthly.reduce((s, m) => s + m.revenue, 0);
  const max = Math.max(0, ...c.monthly.map((m) => m.revenue));
  const log = c.interactions.length
    ? el(
        "ul",
        "cust-log",
        ...c.interactions.map((x) =>
          el(
            "li",
            "",
            el("span", "d", formatDay(x.day, lang)),
            ` ${CHANNELS[x.channel][lang]} · ${INTERACTION_TYPES[x.type][lang]} · ${orDash(x.outcome)}`,
          ),
        ),
      )
    : el("p", "muted", tr("cards.noInteractions"));
  return el(
    "section",
    "cust-card",
    el("div", "cust-head", el("h2", "", orDash(c.name)), el("span", "cust-id", c.id)),
    el(
      "p",
      "muted small",
      tr({ key: "addin.card.from", params: { sheet: view.sel.sheet, row: String(view.sel.row) } }),
    ),
    view.stale ? el("p", "msg notice cust-stale", tr("addin.card.stale")) : null,
    el(
      "dl",
      "cust-facts",
      fact("cards.f.contact", orDash(c.contact)),
      fact("cards.f.phone", orDash(c.phone), "phone"),
      fact("cards.f.email", orDash(c.email)),
      fact("cards.f.region", orDash(c.region)),
      fact("cards.f.industry", orDash(c.industry)),
      fact("cards.f.owner", orDash(c.owner)),
    ),
    el("p", "", el("span", "k", tr("cards.f.stage")), " ", stage, " ", tr(c.stageReason)),
    el(
      "p",
      "",
      el("span", "k", tr("cards.f.grade")),
      " ",
      grade,
      c.gradeStrategy ? ` ${tr(c.gradeStrategy)}` : "",
    ),
    c.creditPolicy
      ? el("p", "", el("span", "k", tr("cards.f.credit")), ` ${tr(c.creditPolicy)}`)
      : null,
    el(
      "p",
      "cust-scores",
      el("span", "k", tr("cards.f.rfm")),
      ` ${c.r === null ? dash : `R ${c.r} · F ${c.f} · M ${c.m}`}  `,
      el("span", "k", tr("cards.f.segment")),
      ` ${c.segmentName ? c.segmentName[lang] : dash}  `,
      el("span", "k", tr("cards.f.pAlive")),
      ` ${c.pAlive === null ? dash : formatPct(c.pAlive, lang, 0)}  `,
      el("span", "k", tr("cards.f.clv")),
      ` ${c.clv === null ? dash : formatMoney(c.clv, lang, cur)}`,
    ),
    el("h3", "", tr("cards.chart.title")),
    revenueChart(c, lang),
    el("p", "muted small", tr({ key: "cards.chart.total", params: { total, max } }, cur)),
    el("h3", "", tr("cards.interactions")),
    log,
    el("h3", "", tr("cards.deal")),
    el(
      "p",
      c.openDeal ? "" : "muted",
      c.openDeal
        ? tr({
            key: `cards.deal.${c.openDeal.status}`,
            params: {
              day: c.openDeal.day,
              outcome: orDash(dealNote(c.openDeal.outcome, c.openDeal.status)),
            },
          })
        : tr("cards.noDeal"),
    ),
    el("h3", "", tr("cards.complaints")),
    c.complaints.length
      ? el(
          "ul",
          "cust-log",
          ...c.complaints.map((x) =>
            el(
              "li",
              "",
              el(
                "span",
                `chip ${x.open ? "red" : ""}`,
                tr(x.open ? "cards.complaint.open" : "cards.complaint.answered"),
              ),
              ` ${formatDay(x.day, lang)} ${orDash(x.outcome)}`,
            ),
          ),
        )
      : el("p", "muted", tr("cards.noComplaints")),
    el(
      "div",
      "cust-next",
      el("p", "", el("span", "k", tr("cards.f.next")), ` ${next}`),
      el("p", "", el("span", "k", tr("cards.f.slot")), ` ${slot}`),
    ),
    form,
  );
}
