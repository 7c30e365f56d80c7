/**
 * package.json promises Node ≥ 20.19 (issue 18 §18): every package the product needs at run time
 * (the lock file's entries not marked dev) must admit that version, as its own "engines" says.
 * vega-lite 6.5 declared Node ≥ 22; it is pinned to ~6.4.3, which declares ≥ 20.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^[^\d]*/, "")
    .split(".")
    .map((x) => parseInt(x, 10) || 0);
  return [a, b, c];
};
const cmp = (x: Version, y: Version) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** Whether a version satisfies an npm range of the forms engines use: >=, >, ^, ~, x.y, ||, spaces. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  const tight = range.replace(/(>=|<=|>|<|\^|~|=)\s+/g, "$1");
  return tight.split("||").some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((part) => {
        const m = /^(>=|<=|>|<|\^|~|=)?\s*v?(\d+(?:\.\d+){0,2})/.exec(part);
        if (!m) return part === "*" || part === "x";
        const op = m[1] ?? "";
        const bound = parse(m[2]);
        const given = m[2].split(".").length;
        switch (op) {
          case ">=":
            return cmp(v, bound) >= 0;
          case ">":
            return cmp(v, bound) > 0;
          case "<=":
            return cmp(v, bound) <= 0;
          case "<":
            return cmp(v, bound) < 0;
          case "^":
            return cmp(v, bound) >= 0 && v[0] === bound[0];
          case "~":
            return cmp(v, bound) >= 0 && v[0] === bound[0] && v[1] === bound[1];
          default:
            // "20" means 20.x.x, "20.19" means 20.19.x
            return (
              v[0] === bound[0] &&
              (given < 2 || v[1] === bound[1]) &&
              (given < 3 || v[2] === bound[2])
            );
        }
      }),
  );
}

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8"));

describe("Node version", () => {
  it("the range check reads engines as npm does", () => {
    expect(satisfies("20.19.0", ">=22")).toBe(false);
    expect(satisfies("20.19.0", ">=20")).toBe(true);
    expect(satisfies("20.19.0", "^20.19.0 || >=22.12.0")).toBe(true);
    expect(satisfies("20.18.0", "^20.19.0 || >=22.12.0")).toBe(false);
    expect(satisfies("20.19.0", "18 || 20 || >=22")).toBe(true);
    expect(satisfies("20.19.0", ">= 14.17")).toBe(true);
  });

  it("every run-time package admits the oldest Node that package.json promises", () => {
    const oldest = String(pkg.engines.node).replace(/^>=\s*/, "");
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(
      lock.packages as Record<
        string,
        { dev?: boolean; optional?: boolean; version?: string; engines?: { node?: unknown } }
      >,
    )) {
      if (!path || entry.dev || entry.optional) continue;
      const range = entry.engines?.node;
      if (typeof range === "string" && !satisfies(oldest, range))
        refused.push(
          `${path.replace(/^.*node_modules\//, "")}@${entry.version} wants node ${range}`,
        );
    }
    expect(refused).toEqual([]);
  });
});
