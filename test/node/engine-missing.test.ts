/** Without @duckdb/node-api installed, a Parquet or --engine duckdb run says which package to install. */
import { describe, expect, it, vi } from "vitest";
import { t } from "../../analysis/messages/index.js";

vi.mock("@duckdb/node-api", () => {
  throw new Error("Cannot find package '@duckdb/node-api'");
});

describe("DuckDB missing", () => {
  it("names the package and the command, in both languages; a CSV may use --engine memory", async () => {
    const { EngineError, loadDuckDb } = await import("../../analysis/node/engine-duckdb.js");
    for (const format of ["parquet", "csv"] as const) {
      const e = await loadDuckDb("orders.x", format).then(
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
});
