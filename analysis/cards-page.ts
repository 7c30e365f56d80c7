/**
 * cards.html: today's customer cards (issue 17 §3) and the review (§4) as one printable,
 * self-contained page — no script, nothing fetched; the revenue charts are small inline SVGs
 * drawn here (24 bars need no chart library). Pure (no node module, no DOM): `crm cards`
 * writes it (node/cards-html.ts re-exports it) and the task pane's printable view shows the
 * same page (built in its analysis worker, addin/desk.ts).
 *
 * Decisions:
 * - Print: A4 portrait, 12 mm margins; a card is never split across pages (break-inside:
 *   avoid) and as many whole cards as fit share a page; the review starts on a page of its own.
 * - Every string from the data goes through `esc()`; the customer ID is written as the text it
 *   is ("00042" keeps its zeros).
 * - lang="zh-CN" for Chinese so that browsers pick Simplified Chinese glyphs, as report.html.
 */
import type { Analysis } from "./pipeline.js";
import { reviewDue as isDue, type CustomerCard, type Review } from "./cards.js";
import { CHANNELS, INTERACTION_TYPES, type Lang, type Message } from "./types.js";
import { formatDay, formatMoney, formatPct, t } from "./messages/index.js";
import { stageHealth, stageLabel } from "./lifecycle.js";
import { STAGES } from "./stages.js";
import { segmentLabel } from "./segment.js";
import { formatSlot } from "./followup.js";
import { cadence } from "./output/grades.js";
import { HEALTH_COLOURS } from "./workbook.js";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape text for HTML content and double-quoted attributes (as node/report.ts's esc). */
function esc(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

export interface CardsPage {
  analysis: Analysis;
  cards: CustomerCard[];
  review: Review;
  lang: Lang;
  /** The day the cards are for. */
  date: number;
  /** The owner asked for, as typed (trimmed), or null for all. */
  owner: string | null;
  /** Who printed it: the command line (default) or the task pane (other footer and hints). */
  from?: "cli" | "pane";
}

/** Customers listed per grade in the review before "… and n more". */
export const REVIEW_LIST_LIMIT = 40;

export function renderCardsHtml(p: CardsPage): string {
  const { lang, analysis: a } = p;
  const tr = (m: Message | string) => esc(t(lang, m, { currency: a.settings.currency }));
  const who = p.owner
    ? t(lang, { key: "cards.owner.one", params: { owner: p.owner } })
    : t(lang, "cards.owner.all");
  const overdue = p.cards.filter((c) => !c.stale && c.daysOverdue! > 0).length;
  const stale = p.cards.filter((c) => c.stale).length;
  const head = `<header class="page-head">
<h1>${tr("cards.title")}</h1>
<p class="sub">${esc(t(lang, { key: "cards.subtitle", params: { owner: who, date: p.date, asOf: a.asOf } }))}</p>
<p class="count">${tr({ key: "cards.count", params: { n: p.cards.length, overdue, today: p.cards.length - overdue - stale, stale } })}</p>
</header>`;
  const cards = p.cards.length
    ? p.cards.map((c) => card(c, p)).join("\n")
    : `<p class="none">${tr({ key: "cards.none", params: { date: p.date } })}</p>`;
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${tr("cards.title")} · ${esc(formatDay(p.date, lang))}</title>
<style>${CSS}</style>
</head>
<body>
${head}
<main>
${cards}
${reviewSection(p)}
</main>
<footer class="page-foot">${tr(p.from === "pane" ? "desk.print.footer" : "cards.footer")}</footer>
</body>
</html>
`;
}

function badge(c: CustomerCard, lang: Lang): { cls: string; text: string } {
  const days = c.daysOverdue ?? 0;
  if (c.stale) return { cls: "red", text: t(lang, { key: "cards.badge.stale", params: { days } }) };
  if (days > 0)
    return { cls: "red", text: t(lang, { key: "cards.badge.overdue", params: { days } }) };
  if (days === 0) return { cls: "yellow", text: t(lang, "cards.badge.today") };
  return { cls: "plain", text: t(lang, { key: "cards.badge.ahead", params: { days: -days } }) };
}

const dash = "—";

/** Characters of an outcome note printed on a card: a long note would push the card past a page. */
export const OUTCOME_CHARS = 160;
/** The note cut to OUTCOME_CHARS (by code points, so no surrogate pair is split), "…" when cut. */
const clip = (s: string) => {
  const cps = [...s];
  return cps.length > OUTCOME_CHARS ? cps.slice(0, OUTCOME_CHARS - 1).join("") + "…" : s;
};
const orDash = (s: string) => (s.trim() ? esc(s) : dash);

function card(c: CustomerCard, p: CardsPage): string {
  const { lang, analysis: a } = p;
  const ctx = { currency: a.settings.currency };
  const tr = (m: Message | string) => esc(t(lang, m, ctx));
  const b = badge(c, lang);
  const health = stageHealth(c.stage);
  const colour = HEALTH_COLOURS[health];
  const fact = (label: string, value: string, cls = "") =>
    `<div class="fact${cls ? ` ${cls}` : ""}"><dt>${tr(label)}</dt><dd>${value}</dd></div>`;
  const grade = c.grade
    ? `<span class="grade g-${c.grade}">${esc(c.grade)}</span>`
    : `<span class="muted">${tr("cards.noGrade")}</span>`;
  const rfm = c.r === null ? dash : `R ${c.r} · F ${c.f} · M ${c.m}`;
  const segment = c.segment ? esc(segmentLabel(c.segment, a.settings.segments, lang)) : dash;
  const next =
    c.nextContact === null
      ? tr("cards.noNext")
      : `<strong>${esc(formatDay(c.nextContact, lang))}</strong> · ${tr(c.nextReason)}`;
  const slot = c.slot
    ? esc(t(lang, { key: "cards.slot", params: { day: c.slot.day, window: formatSlot(c.slot) } }))
    : dash;
  return `<article class="card ${b.cls}" aria-labelledby="c-${c.index}">
<header class="card-head">
<span class="id" title="${tr("cards.f.id")}">${esc(c.id)}</span>
<h2 id="c-${c.index}">${orDash(c.name)}</h2>
<span class="badge ${b.cls}">${esc(b.text)}</span>
</header>
<div class="next-line"><span class="k">${tr("cards.f.next")}</span> ${next}<br><span class="k">${tr("cards.f.slot")}</span> <strong>${slot}</strong></div>
<dl class="facts">
${fact("cards.f.contact", orDash(c.contact))}
${fact("cards.f.phone", c.phone.trim() ? `<strong>${esc(c.phone)}</strong>` : dash)}
${fact("cards.f.email", orDash(c.email))}
${fact("cards.f.region", orDash(c.region))}
${fact("cards.f.industry", orDash(c.industry))}
${fact("cards.f.owner", orDash(c.owner))}
</dl>
<div class="cols">
<div class="col">
<p><span class="k">${tr("cards.f.stage")}</span> <span class="stage" style="background:#${colour.fill};color:#${colour.font}">${esc(stageLabel(c.stage, lang))}</span> ${tr(c.stageReason)}</p>
<p><span class="k">${tr("cards.f.grade")}</span> ${grade}${c.gradeStrategy ? ` ${tr(c.gradeStrategy)}` : ""}</p>
${c.creditPolicy ? `<p><span class="k">${tr("cards.f.credit")}</span> ${tr(c.creditPolicy)}</p>` : ""}
<p class="scores"><span><span class="k">${tr("cards.f.rfm")}</span> ${esc(rfm)}</span> <span><span class="k">${tr("cards.f.segment")}</span> ${segment}</span> <span><span class="k">${tr("cards.f.pAlive")}</span> ${c.pAlive === null ? dash : esc(formatPct(c.pAlive, lang, 0))}</span> <span><span class="k">${tr("cards.f.clv")}</span> ${c.clv === null ? dash : esc(formatMoney(c.clv, lang, a.settings.currency))}</span></p>
</div>
<figure class="col spark">
<figcaption>${tr("cards.chart.title")}</figcaption>
${sparkline(c, lang, a.settings.currency)}
</figure>
</div>
${interactionsTable(c, lang)}
<div class="cols small">
<div class="col"><h3>${tr("cards.deal")}</h3><p>${
    c.openDeal
      ? tr({
          key: `cards.deal.${c.openDeal.status}`,
          params: { day: c.openDeal.day, outcome: clip(c.openDeal.outcome) || dash },
        })
      : `<span class="muted">${tr("cards.noDeal")}</span>`
  }</p></div>
<div class="col"><h3>${tr("cards.complaints")}</h3>${
    c.complaints.length
      ? `<ul>${c.complaints
          .map(
            (x) =>
              `<li><span class="tag ${x.open ? "red" : "plain"}">${tr(x.open ? "cards.complaint.open" : "cards.complaint.answered")}</span> ${esc(formatDay(x.day, lang))} ${orDash(clip(x.outcome))}</li>`,
          )
          .join("")}</ul>`
      : `<p class="muted">${tr("cards.noComplaints")}</p>`
  }</div>
</div>
</article>`;
}

function interactionsTable(c: CustomerCard, lang: Lang): string {
  const title = `<h3>${esc(t(lang, "cards.interactions"))}</h3>`;
  if (!c.interactions.length)
    return `<div class="log">${title}<p class="muted">${esc(t(lang, "cards.noInteractions"))}</p></div>`;
  const rows = c.interactions
    .map(
      (x) =>
        `<tr><td class="d">${esc(formatDay(x.day, lang))}</td><td class="c">${esc(CHANNELS[x.channel][lang])}</td><td class="c">${esc(INTERACTION_TYPES[x.type][lang])}</td><td>${orDash(clip(x.outcome))}${
          x.nextContact !== null
            ? ` <span class="muted">(${esc(t(lang, { key: "cards.nextPlanned", params: { day: x.nextContact } }))})</span>`
            : ""
        }</td></tr>`,
    )
    .join("");
  return `<div class="log">${title}<table><tbody>${rows}</tbody></table></div>`;
}

/** 24 monthly bars; the zero line where the values cross it; first and last month below. */
export function sparkline(c: CustomerCard, lang: Lang, currency: string): string {
  const w = 260;
  const h = 56;
  const values = c.monthly.map((m) => m.revenue);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const zero = (max / span) * h;
  const bw = w / values.length;
  const bars = values
    .map((v, i) => {
      if (v === 0) return "";
      const bh = Math.max(1, (Math.abs(v) / span) * h);
      const y = v > 0 ? zero - bh : zero;
      return `<rect x="${(i * bw + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="${v > 0 ? "#2f6fb3" : "#d64545"}"/>`;
    })
    .join("");
  const first = c.monthly[0]?.month ?? "";
  const last = c.monthly[c.monthly.length - 1]?.month ?? "";
  const total = values.reduce((s, v) => s + v, 0);
  const label = t(
    lang,
    {
      key: "cards.chart.alt",
      params: { from: first, to: last, max },
    },
    { currency },
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h + 14}" width="${w}" height="${h + 14}" role="img" aria-label="${esc(label)}">
<line x1="0" x2="${w}" y1="${zero.toFixed(1)}" y2="${zero.toFixed(1)}" stroke="#9aa5b1" stroke-width="1"/>${bars}
<text x="0" y="${h + 12}" font-size="10" fill="#52606d">${esc(first)}</text>
<text x="${w}" y="${h + 12}" font-size="10" fill="#52606d" text-anchor="end">${esc(last)}</text>
</svg>
<div class="muted total">${esc(t(lang, { key: "cards.chart.total", params: { total, max } }, { currency }))}</div>`;
}

function reviewSection(p: CardsPage): string {
  const { lang, analysis: a, review: r } = p;
  const tr = (m: Message | string) => esc(t(lang, m));
  const grades = r.grades
    .map((g) => {
      const cad = cadence(g.reviewDays, lang);
      const head = t(lang, {
        key: "cards.review.grade",
        params: { grade: g.grade, cadence: cad, n: g.customers.length },
      });
      const when = g.due
        ? t(lang, { key: "cards.review.due", params: { date: r.date } })
        : t(lang, { key: "cards.review.notDue", params: { next: nextReview(p, g.grade) } });
      const shown = g.due ? g.customers.slice(0, REVIEW_LIST_LIMIT) : [];
      const list = shown.length
        ? `<table class="names"><tbody>${shown
            .map((c) => {
              const next = a.followups.nextContact[c];
              return `<tr><td class="id">${esc(a.dataset.customerIds[c])}</td><td>${orDash(a.dataset.records[c]?.name ?? "")}</td><td class="nw">${esc(stageLabel(a.lifecycle.display[c], lang))}</td><td class="nw">${Number.isFinite(next) ? `${tr("cards.f.next")} ${esc(formatDay(next, lang))}` : dash}</td></tr>`;
            })
            .join("")}${
            g.customers.length > shown.length
              ? `<tr><td colspan="4" class="muted">${tr({ key: "cards.review.more", params: { n: g.customers.length - shown.length } })}</td></tr>`
              : ""
          }</tbody></table>`
        : "";
      return `<div class="review-grade"><h3><span class="grade g-${g.grade}">${g.grade}</span> ${esc(head)} <span class="tag ${g.due ? "yellow" : "plain"}">${esc(when)}</span></h3>${list}</div>`;
    })
    .join("\n");
  let changes: string;
  if (r.previous === null)
    changes = `<p class="muted">${tr(p.from === "pane" ? "desk.review.noHistory" : "cards.review.noHistory")}</p>`;
  else if (!r.changes.length)
    changes = `<h3>${tr({ key: "cards.review.changes", params: { from: r.previous } })}</h3><p class="muted">${tr("cards.review.noChanges")}</p>`;
  else {
    const stage = (k: keyof typeof STAGES) => esc(STAGES[k][lang]);
    const rows = r.changes
      .map(
        (x) =>
          `<tr class="${x.move}"><td class="id">${esc(x.id)}</td><td>${orDash(x.name)}</td><td>${stage(x.fromStage)} → ${stage(x.toStage)}</td><td>${esc(x.fromGrade ?? dash)} → ${esc(x.toGrade ?? dash)}</td><td>${tr(`cards.review.${x.move}`)}</td></tr>`,
      )
      .join("");
    changes = `<h3>${tr({ key: "cards.review.changes", params: { from: r.previous } })}</h3>
<table class="changes"><thead><tr><th>${tr("cards.review.col.id")}</th><th>${tr("cards.review.col.name")}</th><th>${tr("cards.review.col.stage")}</th><th>${tr("cards.review.col.grade")}</th><th>${tr("cards.review.col.move")}</th></tr></thead><tbody>${rows}</tbody></table>`;
  }
  return `<section class="review" aria-labelledby="review-h">
<h2 id="review-h">${tr("cards.review.title")}</h2>
<p>${tr({ key: "cards.review.intro", params: { date: r.date } })}</p>
${grades}
${changes}
</section>`;
}

/** The next day after the review date on which the grade's cards are due (within a year). */
function nextReview(p: CardsPage, grade: keyof Analysis["settings"]["grades"]): number {
  const g = p.review.grades.find((x) => x.grade === grade)!;
  for (let d = p.review.date + 1; d <= p.review.date + 366; d++)
    if (isDue(g.reviewDays, d)) return d;
  return p.review.date + g.reviewDays;
}

const CSS = `
:root { --ink:#1f2933; --muted:#52606d; --line:#d9dee4; --soft:#f5f7fa; --blue:#2f6fb3; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 190mm; padding: 16px; color: var(--ink);
  font: 13px/1.45 "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 20px; margin: 0 0 2px; }
h2 { font-size: 16px; margin: 0; }
h3 { font-size: 12px; margin: 6px 0 3px; color: var(--muted); font-weight: 600; }
p { margin: 3px 0; }
.page-head { border-bottom: 2px solid var(--ink); padding-bottom: 6px; margin-bottom: 10px; }
.page-head .sub, .page-head .count { color: var(--muted); }
.card { border: 1px solid var(--line); border-left: 6px solid var(--line); border-radius: 6px;
  padding: 8px 10px; margin: 0 0 10px; break-inside: avoid; page-break-inside: avoid; }
.card.red { border-left-color: #d64545; }
.card.yellow { border-left-color: #e0a526; }
.card-head { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.card-head h2 { flex: 1 1 auto; }
.id { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 12px; background: var(--soft);
  border: 1px solid var(--line); border-radius: 3px; padding: 0 4px; white-space: nowrap; }
.badge, .tag { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; white-space: nowrap; }
.red { } .badge.red, .tag.red { background: #ffc7ce; color: #9c0006; }
.badge.yellow, .tag.yellow { background: #ffeb9c; color: #9c5700; }
.badge.plain, .tag.plain { background: var(--soft); color: var(--muted); }
.next-line { background: var(--soft); border-radius: 4px; padding: 4px 8px; margin: 6px 0; }
.k { color: var(--muted); font-size: 12px; margin-right: 4px; }
.facts { display: grid; grid-template-columns: 1fr 1fr 1.5fr; gap: 2px 12px; margin: 4px 0; }
.fact { display: flex; gap: 6px; min-width: 0; }
.fact dt { color: var(--muted); font-size: 12px; white-space: nowrap; }
.fact dd { margin: 0; overflow-wrap: anywhere; }
.cols { display: flex; gap: 14px; align-items: flex-start; }
.col { flex: 1 1 0; min-width: 0; }
.spark { flex: 0 0 262px; margin: 0; }
.spark figcaption { color: var(--muted); font-size: 12px; font-weight: 600; }
.spark svg { display: block; }
.total { font-size: 11px; }
.stage { border-radius: 3px; padding: 0 5px; font-weight: 600; }
.grade { display: inline-block; min-width: 18px; text-align: center; border-radius: 3px; font-weight: 700; }
.g-A, .g-B { background: #c6efce; color: #006100; } .g-C { background: #ffeb9c; color: #9c5700; }
.g-D { background: #ffc7ce; color: #9c0006; }
.scores span { margin-right: 10px; white-space: nowrap; }
.muted { color: var(--muted); }
.log table { width: 100%; border-collapse: collapse; font-size: 12px; }
.log td { border-top: 1px solid var(--line); padding: 2px 6px 2px 0; vertical-align: top; }
.log td.d, .log td.c { white-space: nowrap; width: 1%; padding-right: 12px; }
.small { font-size: 12px; }
.small ul { margin: 0; padding-left: 0; list-style: none; }
.review { break-before: page; page-break-before: always; margin-top: 16px; }
.review h2 { border-bottom: 2px solid var(--ink); padding-bottom: 4px; margin-bottom: 6px; }
.review-grade h3 { color: var(--ink); font-size: 13px; }
table.names { border-collapse: collapse; width: 100%; margin: 2px 0 8px; font-size: 12px; }
table.names td { border-bottom: 1px solid var(--line); padding: 2px 8px 2px 0; }
.nw { white-space: nowrap; }
table.changes { border-collapse: collapse; width: 100%; font-size: 12px; }
table.changes th, table.changes td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; }
table.changes tr.down td { background: #fff2f4; }
table.changes tr.up td { background: #f0f9f2; }
.none { padding: 20px; background: var(--soft); border-radius: 6px; }
.page-foot { color: var(--muted); font-size: 11px; margin-top: 16px; border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4 portrait; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11.5px; }
  .card { margin-bottom: 6mm; }
  a { color: inherit; text-decoration: none; }
}
`;
