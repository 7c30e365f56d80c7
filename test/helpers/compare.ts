/**
 * Comparing the engines' answers (issue 19 §4: "numbers within 1e-9 relative"): DuckDB and
 * PostgreSQL add a customer's amounts in no fixed order, so the last bits of a sum may differ
 * between engines, and between two runs of one.
 */

/** Numbers equal within `tol` relative (1e-9 unless told); everything else exactly. */
export function close(a: unknown, b: unknown, tol = 1e-9): boolean {
  if (typeof a === "number" && typeof b === "number")
    return a === b || Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-300);
  if (typeof a === "string" && typeof b === "string" && a !== b) {
    const x = Number(a);
    const y = Number(b);
    return a.trim() !== "" && b.trim() !== "" && Number.isFinite(x) && close(x, y, tol);
  }
  return a === b;
}

/** Paths where two JSON values differ beyond close(). */
export function differences(a: unknown, b: unknown, path = "$", out: string[] = []): string[] {
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys)
      differences(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
        out,
      );
  } else if (!close(a, b, 1e-9)) out.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
  return out;
}
