/**
 * Where blocks and charts go on an owned sheet: sections stacked from the top, each a block at
 * the left edge with its charts right beside it (one empty column between), the next section
 * below both. So no chart sits right of a wide table it has nothing to do with, and each chart
 * is anchored from the width of the block beside it (issue 18 §8: the Pareto chart started
 * 1,400 px from the left, the CLV charts beyond 2,000 px).
 */
import type { ChartModel, SheetBlock } from "../workbook.js";

/** Rows a block takes: its title, header and data rows. */
export function blockHeight(b: Pick<SheetBlock, "title" | "rows">): number {
  return (b.title ? 1 : 0) + 1 + b.rows.length;
}

/** Blocks with more columns than this get their charts below them rather than beside. */
export const WIDE_BLOCK = 5;

export class SheetLayout {
  readonly blocks: SheetBlock[] = [];
  readonly charts: ChartModel[] = [];
  /** First free row (0-based). */
  row = 0;

  /** Add a block below what is there, with `charts` stacked right beside it; returns the block. */
  section(
    block: Omit<SheetBlock, "anchor">,
    charts: Omit<ChartModel, "anchor">[] = [],
    gap = 2,
  ): SheetBlock {
    const b: SheetBlock = { ...block, anchor: { row: this.row, col: 0 } };
    this.blocks.push(b);
    // beside a narrow block; below a wide one, whose right edge is far from the left
    const below = b.columns.length > WIDE_BLOCK;
    let r = below ? this.row + blockHeight(b) + 1 : this.row;
    const col = below ? 0 : b.columns.length + 1;
    for (const c of charts) {
      this.charts.push({ ...c, anchor: { row: r, col } });
      r += c.size.rows + 1;
    }
    this.row = Math.max(this.row + blockHeight(b), r) + gap;
    return b;
  }
}

/**
 * The points of a curve chart's data (vega-lite data.values of { x, y }), at most `max` of them
 * evenly taken, the first and last kept: enough for a native line chart, few rows to print.
 */
export function curvePoints(spec: Record<string, unknown>, max = 51): { x: number; y: number }[] {
  const data = spec.data as { values?: unknown } | undefined;
  const values = Array.isArray(data?.values) ? (data.values as { x?: unknown; y?: unknown }[]) : [];
  const all = values
    .filter((v) => typeof v.x === "number" && typeof v.y === "number")
    .map((v) => ({ x: v.x as number, y: v.y as number }));
  if (all.length <= max) return all;
  const step = (all.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => all[Math.round(i * step)]);
}
