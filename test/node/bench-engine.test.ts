/**
 * The engine bench's data (bench-engine.ts): the Parquet files DuckDB writes once. No time is
 * asserted (SPEC §11); these check that the files hold what the bench says they hold.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  csvToParquet,
  freeBytes,
  runChild,
  writeHugeParquet,
} from "../../analysis/node/bench-engine.js";

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  try {
    return (await con.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

describe("engine bench data", () => {
  it("writes generated orders as Parquet: their shape, the same file for the same arguments", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crm-bench-engine-test-"));
    try {
      const a = join(dir, "a.parquet");
      const b = join(dir, "b.parquet");
      await writeHugeParquet(a, 20_000, 500);
      await writeHugeParquet(b, 20_000, 500);
      const [s] = await query(`
        SELECT count(*) AS n, count(DISTINCT customer_id) AS customers, min(date) AS first,
          max(date) AS last, count(*) FILTER (WHERE order_id LIKE 'C%') AS cancelled,
          count(*) FILTER (WHERE order_id LIKE 'C%' AND amount >= 0) AS cancelled_positive,
          count(*) FILTER (WHERE order_id LIKE 'SO%' AND amount <= 0) AS sold_not_positive,
          count(DISTINCT order_id) AS orders, max(customer_id) AS top
        FROM '${a}'`);
      expect(Number(s.n)).toBe(20_000);
      expect(Number(s.customers)).toBeGreaterThan(300);
      expect(String(s.top) <= "K00000499").toBe(true);
      expect([s.first, s.last]).toEqual(["2024-01-01", "2025-12-30"]);
      // about 2% of orders cancelled, negative; 1.4 rows an order
      expect(Number(s.cancelled) / 20_000).toBeGreaterThan(0.01);
      expect(Number(s.cancelled) / 20_000).toBeLessThan(0.03);
      expect(Number(s.cancelled_positive)).toBe(0);
      expect(Number(s.sold_not_positive)).toBe(0);
      expect(Number(s.orders)).toBe(Math.ceil((20_000 * 10) / 14));
      // one customer per order, and dates ascending in file order
      const [c] = await query(`
        SELECT (SELECT count(*) FROM (SELECT order_id FROM '${a}' GROUP BY order_id
                  HAVING count(DISTINCT customer_id) > 1)) AS split_orders,
               (SELECT count(*) FROM (SELECT date, lag(date) OVER () AS before FROM '${a}')
                  WHERE date < before) AS backwards`);
      expect([Number(c.split_orders), Number(c.backwards)]).toEqual([0, 0]);
      const [same] = await query(
        `SELECT count(*) AS differ FROM (SELECT * FROM '${a}' EXCEPT ALL SELECT * FROM '${b}')`,
      );
      expect(Number(same.differ)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("turns a CSV into Parquet with typed columns, once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crm-bench-engine-test-"));
    try {
      const csv = join(dir, "o.csv");
      const pq = join(dir, "o.parquet");
      writeFileSync(
        csv,
        "order_id,customer_id,date,amount\nSO1,K1,2024-01-05,12.50\nC2,K2,2024-01-06,-3.25\n",
      );
      await csvToParquet(csv, pq);
      const rows = await query(`SELECT * FROM '${pq}' ORDER BY order_id DESC`);
      expect(rows).toEqual([
        { order_id: "SO1", customer_id: "K1", date: "2024-01-05", amount: 12.5 },
        { order_id: "C2", customer_id: "K2", date: "2024-01-06", amount: -3.25 },
      ]);
      const [t] = await query(`SELECT typeof(date) AS d, typeof(amount) AS a FROM '${pq}' LIMIT 1`);
      expect(t).toEqual({ d: "DATE", a: "DOUBLE" });
      // kept: a second call leaves the file as it is, even when the CSV changed
      writeFileSync(csv, "order_id,customer_id,date,amount\nSO9,K9,2024-02-01,1\n");
      await csvToParquet(csv, pq);
      expect(Number((await query(`SELECT count(*) AS n FROM '${pq}'`))[0].n)).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("measures a child's peak memory, and the free disk", () => {
    const r = runChild([
      "-e",
      "const a = new Uint8Array(200 * 2 ** 20).fill(1); console.log(a[5])",
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("1");
    expect(r.rss).toBeGreaterThan(200 * 2 ** 20);
    expect(r.stderr).not.toMatch(/crm-bench-peak-rss/);
    expect(freeBytes(tmpdir())).toBeGreaterThan(0);
  });
});
