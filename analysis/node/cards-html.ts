/**
 * cards.html of `crm cards`: the page itself is built in analysis/cards-page.ts (pure, no node
 * module), which the task pane's printable view shares.
 */
export { OUTCOME_CHARS, REVIEW_LIST_LIMIT, renderCardsHtml, sparkline } from "../cards-page.js";
export type { CardsPage } from "../cards-page.js";
