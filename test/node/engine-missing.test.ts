/** Without @duckdb/node-api installed, a Parquet or --engine duckdb run says which package to install. */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { t } from "../../analysis/messages/index.js";
import { EngineError, loadDuckDb } from "../../analysis/node/engine-duckdb.js";

describe("DuckDB missing", () => {
  it("names the package and the command, in both languages; a CSV may use --engine memory", async () => {
    // what require throws for a package that is not installed (MODULE_NOT_FOUND)
    const missing = () => createRequire(import.meta.url)("@duckdb/node-api-not-installed");
    for (const format of ["parquet", "csv"] as const) {
      const e = await loadDuckDb("orders.x", format, missing).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(EngineError);
      const msg = (e as InstanceType<typeof EngineError>).msg;
      expect(t("en", msg)).toContain("npm install @duckdb/node-api");
      expect(t("zh", msg)).toContain("npm install @duckdb/node-api");
      expect(t("en", msg).includes("--engine memory")).toBe(format === "csv");
    }
  });

  it("loads the installed package by default", async () => {
    const mod = await loadDuckDb("orders.x", "parquet");
    expect(typeof mod.DuckDBInstance.create).toBe("function");
  });
});
