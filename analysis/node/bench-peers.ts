/**
 * The peers `npm run bench` measures on the same file, with the same rules: DuckDB (SQL straight
 * from the CSV or Parquet file), pandas (when a Python with pandas is on the machine) and arquero.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * A peer measured several times: each call of `run` times one run. `customers`: those in the
 * Pareto curve (positive value), which every peer and ours count alike, as a check that they
 * all did the same work.
 */
export type PeerRun = () => Promise<{ ms: number; customers: number; top20: number }>;

export async function duckdb(path: string): Promise<PeerRun | string> {
  let mod: typeof import("@duckdb/node-api");
  try {
    mod = await import("@duckdb/node-api");
  } catch {
    return "not installed (npm install --include=dev)";
  }
  const instance = await mod.DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  const file = path.replace(/'/g, "''");
  // a Parquet file carries its column types; the CSV's are given
  const source = /\.parquet$/i.test(path)
    ? `SELECT order_id, customer_id, date, amount FROM read_parquet('${file}')`
    : `SELECT * FROM read_csv('${file}', header = true,
        columns = {'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'})`;
  const sql = `
    CREATE OR REPLACE TEMP TABLE res AS
    WITH o AS (${source}),
    cutoff AS (SELECT max(date) AS d FROM o),
    m AS (
      SELECT customer_id,
        max(date) FILTER (WHERE NOT (order_id LIKE 'C%' OR amount < 0)) AS last,
        count(DISTINCT order_id) FILTER (WHERE NOT (order_id LIKE 'C%' OR amount < 0)) AS f,
        sum(amount) AS m
      FROM o GROUP BY customer_id
    ),
    s AS (SELECT m.*, (SELECT d FROM cutoff) - last AS r FROM m WHERE f > 0),
    n AS (SELECT count(*) AS n FROM s),
    sc AS (
      SELECT s.*,
        least(5, 1 + floor(5 * (rank() OVER (ORDER BY r DESC) - 1) / (SELECT n FROM n))) AS rs,
        least(5, 1 + floor(5 * (rank() OVER (ORDER BY f) - 1) / (SELECT n FROM n))) AS fs,
        least(5, 1 + floor(5 * (rank() OVER (ORDER BY m) - 1) / (SELECT n FROM n))) AS ms
      FROM s
    ),
    tot AS (SELECT sum(m) AS t FROM m WHERE m > 0),
    g AS (
      SELECT sc.*,
        coalesce(sum(m) FILTER (WHERE m > 0) OVER (ORDER BY m DESC, customer_id
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) / (SELECT t FROM tot) AS before
      FROM sc
    )
    SELECT *, CASE WHEN m <= 0 THEN 'D' WHEN before < 0.8 THEN 'A' WHEN before < 0.95 THEN 'B' ELSE 'C' END AS grade
    FROM g`;
  const paretoSql = `
    WITH m_pos AS (SELECT m FROM res WHERE m > 0),
    p AS (SELECT m, row_number() OVER (ORDER BY m DESC) AS i, count(*) OVER () AS n,
                 sum(m) OVER (ORDER BY m DESC ROWS UNBOUNDED PRECEDING) / sum(m) OVER () AS cum
          FROM m_pos)
    SELECT max(cum) FILTER (WHERE i = greatest(1, round(0.2 * n))) AS top20,
           min(i) FILTER (WHERE cum >= 0.8) / max(n) AS for80,
           count(*) AS customers
    FROM p`;
  return async () => {
    const t0 = performance.now();
    await con.run(sql);
    const reader = await con.runAndReadAll(paretoSql);
    const ms = performance.now() - t0;
    const row = reader.getRowObjects()[0] as Record<string, unknown>;
    return { ms, customers: Number(row.customers), top20: Number(row.top20) };
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- arquero's table expressions take untyped rows */
/** The same rules written with arquero (the data-frame library of the design card), for comparison. */
export async function arqueroPeer(
  path: string,
): Promise<{ ms: number; customers: number; top20: number } | string> {
  let aq: typeof import("arquero");
  try {
    aq = await import("arquero");
  } catch {
    return "not installed (npm install --include=dev)";
  }
  const { op } = aq;
  const t0 = performance.now();
  const text = readFileSync(path, "utf8");
  const score = (d: unknown, $: { n: number }) =>
    op.least(5, 1 + op.floor((5 * (op.rank() - 1)) / $.n));
  const t = aq
    .fromCSV(text, {
      parse: { order_id: String, customer_id: String, date: (s: string) => Date.parse(s) / 864e5 },
    })
    .derive({ cancel: (d: any) => op.startswith(d.order_id, "C") || d.amount < 0 });
  const asOf = t.rollup({ m: (d: any) => op.max(d.date) }).get("m", 0);
  const buy = t
    .filter((d: any) => !d.cancel)
    .groupby("customer_id")
    .rollup({ last: (d: any) => op.max(d.date), f: (d: any) => op.distinct(d.order_id) });
  const money = t.groupby("customer_id").rollup({ m: (d: any) => op.sum(d.amount) });
  const scored = buy
    .join(money, "customer_id")
    .params({ asOf, n: buy.numRows() })
    .derive({ r: (d: any, $: any) => $.asOf - d.last })
    .orderby(aq.desc("r"))
    .derive({ rs: score })
    .orderby("f")
    .derive({ fs: score })
    .orderby("m")
    .derive({ ms: score });
  const pos = scored.filter((d: any) => d.m > 0);
  const total = pos.rollup({ t: (d: any) => op.sum(d.m) }).get("t", 0);
  const graded = pos
    .params({ total })
    .orderby(aq.desc("m"), "customer_id")
    .derive({ cum: aq.rolling((d: any) => op.sum(d.m)) })
    .derive({
      grade: (d: any, $: any) =>
        (d.cum - d.m) / $.total < 0.8 ? "A" : (d.cum - d.m) / $.total < 0.95 ? "B" : "C",
    });
  const k = Math.max(1, Math.round(0.2 * graded.numRows()));
  const top20 = graded.get("cum", k - 1) / total;
  return { ms: performance.now() - t0, customers: graded.numRows(), top20 };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const PANDAS = `
import sys, time, numpy as np, pandas as pd
t0 = time.perf_counter()
o = pd.read_csv(sys.argv[1], dtype={"order_id": str, "customer_id": str}, parse_dates=["date"])
asof = o["date"].max()
o["cancel"] = o["order_id"].str.startswith("C") | (o["amount"] < 0)
buy = o[~o["cancel"]]
g = buy.groupby("customer_id").agg(last=("date", "max"), f=("order_id", "nunique"))
g["m"] = o.groupby("customer_id")["amount"].sum()
g["r"] = (asof - g["last"]).dt.days
n = len(g)
g["rs"] = np.minimum(5, 1 + (5 * (g["r"].rank(method="min", ascending=False) - 1) // n))
g["fs"] = np.minimum(5, 1 + (5 * (g["f"].rank(method="min") - 1) // n))
g["ms"] = np.minimum(5, 1 + (5 * (g["m"].rank(method="min") - 1) // n))
p = g[g["m"] > 0].reset_index().sort_values(["m", "customer_id"], ascending=[False, True])
before = (p["m"].cumsum() - p["m"]) / p["m"].sum()
p["grade"] = np.where(before < 0.8, "A", np.where(before < 0.95, "B", "C"))
cum = p["m"].cumsum() / p["m"].sum()
top20 = cum.iloc[max(1, round(0.2 * len(p))) - 1]
print(f"{(time.perf_counter() - t0) * 1000:.1f} {len(p)} {top20:.6f}")
`;

export function pandas(path: string): PeerRun | string {
  for (const py of ["python3", "/usr/bin/python3"]) {
    const probe = spawnSync(py, ["-c", "import pandas"], { encoding: "utf8" });
    if (probe.status !== 0) continue;
    return async () => {
      const out = execFileSync(py, ["-c", PANDAS, path], { encoding: "utf8" }).trim().split(" ");
      return { ms: Number(out[0]), customers: Number(out[1]), top20: Number(out[2]) };
    };
  }
  return "not available (no Python with pandas on this machine)";
}
