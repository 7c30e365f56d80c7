/**
 * The printable page of today's cards (issue 17 §3) inside the pane: the page `crm cards`
 * writes (analysis/cards-page.ts: A4 portrait, a card never split across pages, the review on
 * a page of its own), built in the analysis worker for the chosen owner and shown here in a
 * frame drawn at A4 width and scaled down to the pane. Print prints that frame's document
 * only, with its own print CSS; "Open in a new window" gives it a window of its own where the
 * host allows one (Excel on the web, the playground). The page has no script: it can run
 * nowhere but in a frame that inherits the pane's Content Security Policy.
 */
import type { Lang } from "../../analysis/types.js";
import { t } from "../../analysis/messages/index.js";
import { h } from "./dom.js";

/** A4's width at 96 px per inch (210 mm): the frame is drawn at this width, then scaled. */
export const A4_PX = 794;

export interface PrintEnv {
  lang: Lang;
  html: string;
  cards: number;
  /** Cards due in all (more than `cards` when the page is capped, desk.ts PRINT_LIMIT). */
  total: number;
  onClose: () => void;
  /** Said when no window could be opened. */
  onBlocked: () => void;
}

/** Open the page in a window of its own; false when the host opened none. */
export function openPrintWindow(html: string): boolean {
  const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
  const w = window.open(url, "_blank");
  // the window has loaded it (or failed) long before a minute passes
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return !!w;
}

export function printView(env: PrintEnv): HTMLElement {
  const { lang } = env;
  const frame = h("iframe", {
    id: "print-frame",
    class: "print-frame",
    title: t(lang, "desk.print.title"),
    width: String(A4_PX),
  });
  frame.srcdoc = env.html;
  const wrap = h("div", { class: "print-frame-wrap" }, frame);
  // scale the A4-wide frame to the pane's width, its height to the page's
  const fit = () => {
    const doc = frame.contentDocument;
    const scale = Math.min(1, (wrap.clientWidth || A4_PX) / A4_PX);
    const height = doc?.documentElement.scrollHeight ?? 1123;
    frame.style.height = `${height}px`;
    frame.style.transform = `scale(${scale})`;
    wrap.style.height = `${Math.ceil(height * scale)}px`;
  };
  frame.addEventListener("load", fit);
  return h(
    "section",
    { class: "view desk print-view", "aria-labelledby": "print-title" },
    h("h2", { id: "print-title" }, t(lang, "desk.print.title")),
    h("p", { class: "muted small" }, t(lang, { key: "desk.print.hint", params: { n: env.cards } })),
    env.total > env.cards
      ? h(
          "p",
          { class: "msg notice small print-capped" },
          t(lang, { key: "desk.print.capped", params: { n: env.cards, total: env.total } }),
        )
      : null,
    h(
      "div",
      { class: "print-actions" },
      h(
        "button",
        {
          id: "print-now",
          class: "btn primary",
          type: "button",
          onclick: () => frame.contentWindow?.print(),
        },
        t(lang, "desk.print.print"),
      ),
      h(
        "button",
        {
          id: "print-open",
          class: "btn",
          type: "button",
          onclick: () => {
            if (!openPrintWindow(env.html)) env.onBlocked();
          },
        },
        t(lang, "desk.print.open"),
      ),
      h(
        "button",
        { id: "print-close", class: "btn subtle", type: "button", onclick: env.onClose },
        t(lang, "desk.print.close"),
      ),
    ),
    wrap,
  );
}
