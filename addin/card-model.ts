/**
 * What the pane's customer card (客户资料卡, issue 17 §1) shows for a selection, without DOM:
 * the card of the selected row's customer from the last analysis, or a message saying why
 * there is none. The pane renders it (taskpane/card-view.ts); tests read it directly.
 */
import type { PaneCard } from "./analysis-run.js";
import type { PaneSummary } from "./analyze.js";
import type { SelectedRow } from "./workbook-port.js";
import type { Message } from "../analysis/types.js";

export type CardView =
  | { kind: "card"; card: PaneCard; sel: SelectedRow; stale: boolean }
  | { kind: "message"; msg: Message; sel: SelectedRow | null };

/** The card (or the reason there is none) for a selected row. */
export async function cardForSelection(
  sel: SelectedRow,
  summary: Pick<PaneSummary, "card"> | null,
): Promise<CardView> {
  const where = { sheet: sel.sheet, row: String(sel.row) };
  if (!summary) return { kind: "message", msg: { key: "addin.card.noAnalysis" }, sel };
  if (
    sel.kind !== "customers" &&
    sel.kind !== "orders" &&
    sel.kind !== "interactions" &&
    sel.kind !== "followups"
  )
    return { kind: "message", msg: { key: "addin.card.notTable", params: where }, sel };
  if (sel.id === null)
    return { kind: "message", msg: { key: "addin.card.noId", params: where }, sel };
  const card = await summary.card(sel.id);
  // on the Follow-ups sheet a title or header row sits where IDs do: it carries no ID
  if (!card && sel.kind === "followups")
    return { kind: "message", msg: { key: "addin.card.noId", params: where }, sel };
  if (!card)
    return {
      kind: "message",
      msg: { key: "addin.card.unknown", params: { ...where, id: sel.id } },
      sel,
    };
  return { kind: "card", card, sel, stale: sel.stale };
}
