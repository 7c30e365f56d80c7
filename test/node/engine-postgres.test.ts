/**
 * Orders in PostgreSQL (issue 19 §3–§4): bad inputs told clearly (server unreachable, login
 * refused, no such table, a query that fails or finds nothing, a column of the wrong type,
 * missing columns), and the same answer as the in-memory path on the same data.
 *
 * The server: CRM_TEST_PG (.ci/run starts one), else a temporary cluster of our own when
 * Debian's PostgreSQL is installed (test/helpers/postgres.ts); without either these tests are
 * skipped, saying why.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { main } from "../../analysis/node/cli.js";
import { SUMMARY_COLUMNS } from "../../analysis/node/summary-file.js";
import { close, differences } from "../helpers/compare.js";
import { UnusableInputError } from "../../analysis/errors.js";
import { t } from "../../analysis/messages/index.js";
import {
  describeSource,
  mapColumns,
  openSession,
  postgresSql,
  queryFrom,
  readPostgres,
  redactUrl,
  requireRows,
  serverName,
  type PgSession,
} from "../../analysis/node/engine-postgres.js";
import {
  PG_PASSWORD,
  loadTable,
  runSql,
  startPostgres,
  type PgTestColumn,
  type TestPostgres,
} from "../helpers/postgres.js";
import { runAnalysis, type RunResult } from "../../analysis/index.js";
import { dateOrderQuery } from "../../analysis/sql/aggregate.js";
import { makeSettings, type DeepPartial, type Settings } from "../../analysis/settings.js";
import type { RawTable } from "../../analysis/types.js";
import type { OutValue } from "../../analysis/workbook.js";
import { cellSource, cellText } from "../../analysis/source.js";
import { readCsvText } from "../../analysis/node/csv.js";
import { CSV_COLUMNS, customerCsvRow } from "../../analysis/output/customers.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import { dayFromIso, isoDay } from "../../analysis/dates.js";
import { generateOrdersCsv } from "../../analysis/node/bench-path.js";
import { CDNOW_AS_OF, HAVE_CDNOW, cdnowLines } from "../helpers/cdnow.js";

const started = await startPostgres("crm_engine_test");
if (started.reason) console.warn(`engine-postgres tests skipped: ${started.reason}`);
const server = started.pg as TestPostgres;
afterAll(async () => {
  await server?.stop();
});

/** The server's socket folder and port, when its URL names one (ours and .ci/run's do). */
function socketOf(pgs: TestPostgres | null): { host: string; port: string } | null {
  const q = new URLSearchParams(pgs?.url.split("?")[1] ?? "");
  const host = q.get("host");
  return host?.startsWith("/") ? { host, port: q.get("port") ?? "5432" } : null;
}

/** The message of the UnusableInputError a promise rejects with, in both languages. */
async function failure(p: Promise<unknown>): Promise<{ en: string; zh: string; key: string }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UnusableInputError);
  const msg = (e as UnusableInputError).msg;
  return { en: t("en", msg), zh: t("zh", msg), key: msg.key };
}

describe("a --query as the FROM item", () => {
  test("its trailing semicolons go, also before a trailing comment; the comment stays", () => {
    const from = (q: string) => queryFrom(q).replace(/^\(|\n\) AS crm_source$/g, "");
    expect(from("SELECT * FROM orders;  ")).toBe("SELECT * FROM orders");
    expect(from("SELECT * FROM orders; -- done")).toBe("SELECT * FROM orders  -- done");
    expect(from("SELECT * FROM orders;\n-- done\n")).toBe("SELECT * FROM orders \n-- done");
    expect(from("SELECT 1 /* x; */;")).toBe("SELECT 1 /* x  */");
    // a string literal is no comment: nothing of it goes
    expect(from("SELECT 'a--b' AS x")).toBe("SELECT 'a--b' AS x");
    // the closing parenthesis on a line of its own, after any comment
    expect(queryFrom("SELECT 1 -- last")).toBe("(SELECT 1 -- last\n) AS crm_source");
  });
});

describe("connection URLs", () => {
  test("the server is named by host and port or socket, never with the password", () => {
    const s = serverName("postgres://ann:pa55@db.example.com:6543/sales");
    expect(s).toMatchObject({
      where: "db.example.com:6543",
      user: "ann",
      database: "sales",
      password: "pa55",
    });
    expect(serverName("postgresql:///sales?host=/var/run/postgresql").where).toBe(
      "/var/run/postgresql/.s.PGSQL.5432",
    );
    expect(redactUrl("postgres://ann:pa55@db:1/x")).toBe("postgres://ann:***@db:1/x");
    expect(redactUrl("postgres://ann@db:1/x")).toBe("postgres://ann@db:1/x");
  });

  test("an unreachable server: host and port named, the password never shown", async () => {
    // port 1 on the loopback: nothing listens there
    const f = await failure(openSession(`postgres://ann:${PG_PASSWORD}@127.0.0.1:1/sales`));
    expect(f.key).toBe("postgres.error.unreachable");
    expect(f.en).toContain("127.0.0.1:1");
    expect(f.zh).toContain("127.0.0.1:1");
    expect(f.en).toMatch(/Cannot reach the PostgreSQL server/);
    expect(f.zh).toMatch(/无法连接/);
    for (const s of [f.en, f.zh]) expect(s).not.toContain(PG_PASSWORD);
  });

  test("a URL that is not one: named without its password", async () => {
    const f = await failure(openSession("postgres://ann:pa55word@db:port/sales"));
    expect(f.key).toBe("postgres.error.badUrl");
    expect(f.en).toContain("“postgres://ann:***@db:port/sales” is not a PostgreSQL connection URL");
    expect(f.en + f.zh).not.toContain("pa55word");
  });

  test("a server that never answers: the wait given up, host and port named", async () => {
    // a listener that accepts the connection and says nothing
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const f = await failure(openSession(`postgres://ann:${PG_PASSWORD}@127.0.0.1:${port}/x`, 1));
      expect(f.key).toBe("postgres.error.timeout");
      expect(f.en).toBe(
        `The PostgreSQL server at 127.0.0.1:${port} did not answer within 1 second. Check the host and port, and that a firewall lets the connection through.`,
      );
      expect(f.zh).toContain("1 秒内没有应答");
      expect(f.en + f.zh).not.toContain(PG_PASSWORD);
    } finally {
      silent.close();
    }
  });

  test("a socket folder without a server names the socket", async () => {
    const f = await failure(openSession("postgres:///sales?host=/nonexistent-crm-socket"));
    expect(f.key).toBe("postgres.error.unreachable");
    expect(f.en).toContain("/nonexistent-crm-socket/.s.PGSQL.5432");
  });
});

describe.skipIf(!server)("PostgreSQL: bad inputs", () => {
  /** A fresh session per test: a failed statement ends its transaction, as it ends a run. */
  let s: PgSession;
  beforeEach(async () => {
    s = await openSession(server.url);
  });
  afterEach(async () => {
    await s.close();
  });
  beforeAll(async () => {
    await loadTable(server.url, "orders_ok", [
      { name: "Customer ID", type: "text", values: ["a", "b"] },
      { name: "Order Date", type: "date", values: [19000, 19001] },
      { name: "Amount", type: "double precision", values: [10, 20] },
    ]);
    await loadTable(server.url, "orders_time_date", [
      { name: "customer_id", type: "text", values: ["a"] },
      { name: "order_date", type: "text", values: ["10:30"] },
      { name: "amount", type: "numeric", values: [10] },
    ]);
    await runSql(
      server.url,
      `ALTER TABLE orders_time_date ALTER COLUMN order_date TYPE time USING CAST(order_date AS time)`,
    );
    await loadTable(server.url, "orders_bool_amount", [
      { name: "客户编号", type: "text", values: ["a"] },
      { name: "日期", type: "date", values: [19000] },
      { name: "金额", type: "text", values: ["true"] },
    ]);
    await runSql(
      server.url,
      `ALTER TABLE orders_bool_amount ALTER COLUMN "金额" TYPE boolean USING true`,
    );
    await loadTable(server.url, "no_orders_here", [
      { name: "name", type: "text", values: ["x"] },
      { name: "city", type: "text", values: ["y"] },
    ]);
    await loadTable(server.url, "empty_orders", [
      { name: "Customer ID", type: "text", values: [] },
      { name: "Date", type: "date", values: [] },
      { name: "Amount", type: "double precision", values: [] },
    ]);
  });

  test("a wrong password: the login refused, the user named, the password never shown", async () => {
    if (!server.tcpUrl) return; // CRM_TEST_PG_TCP not given: no password login to refuse
    const wrong = withPassword(server.tcpUrl, "not-the-Pa55word");
    const right = decodeURIComponent(new URL(server.tcpUrl).password);
    const f = await failure(openSession(wrong));
    expect(f.key).toBe("postgres.error.auth");
    expect(f.en).toContain(`${server.tcp!.host}:${server.tcp!.port}`);
    expect(f.en).toContain("“crm”");
    for (const x of [f.en, f.zh]) {
      expect(x).not.toContain("not-the-Pa55word");
      expect(x).not.toContain(right);
    }
  });

  test.skipIf(!socketOf(server))(
    "the socket written as postgres:///db?host=/folder (no host before the path)",
    async () => {
      const { host, port } = socketOf(server)!;
      const sock = await openSession(
        `postgres:///crm_engine_test?host=${host}&port=${port}&user=crm`,
      );
      const [[db]] = await sock.query<[string]>("SELECT current_database()");
      await sock.close();
      expect(db).toBe("crm_engine_test");
    },
  );

  test("a database that is not there", async () => {
    const f = await failure(openSession(server.url.replace("/crm_engine_test", "/no_such_db")));
    expect(f.key).toBe("postgres.error.noDatabase");
    expect(f.en).toContain("“no_such_db”");
  });

  test("a table that is not there: named, with the tables that are", async () => {
    const f = await failure(describeSource(s, { table: "orderz" }));
    expect(f.key).toBe("postgres.error.noTable");
    expect(f.en).toContain("“orderz”");
    expect(f.en).toContain("orders_ok");
    expect(f.zh).toContain("没有表或视图“orderz”");
  });

  test("a table named exactly, in any case or script, and a schema-qualified one", async () => {
    await loadTable(server.url, "Order Lines", [
      { name: "Customer", type: "text", values: ["a"] },
      { name: "Date", type: "date", values: [19000] },
      { name: "Sales", type: "integer", values: [1] },
    ]);
    expect((await describeSource(s, { table: "Order Lines" })).from).toBe('"Order Lines"');
    expect((await describeSource(s, { table: "ORDERS_OK" })).from).toBe("orders_ok");
    expect((await describeSource(s, { table: "public.orders_ok" })).from).toBe("orders_ok");
  });

  test("a query that fails: the server's reason", async () => {
    const f = await failure(describeSource(s, { query: "SELECT * FROM nowhere" }));
    expect(f.key).toBe("postgres.error.query");
    expect(f.en).toMatch(/relation "nowhere" does not exist/);
  });

  test("a query cannot change the database (read-only session)", async () => {
    const f = await failure(describeSource(s, { query: "DELETE FROM orders_ok RETURNING *" }));
    expect(f.key).toBe("postgres.error.query");
    const again = await openSession(server.url);
    const [[n]] = await again.query<[number]>("SELECT count(*) FROM orders_ok");
    await again.close();
    expect(n).toBe(2);
  });

  test("the columns found, their types and the roles they play", async () => {
    const d = await describeSource(s, { table: "orders_ok" });
    expect(d.columns.map((c) => [c.name, c.type])).toEqual([
      ["Customer ID", "text"],
      ["Order Date", "date"],
      ["Amount", "double precision"],
    ]);
    expect(mapColumns(d, "en")).toEqual({
      customerId: { name: "Customer ID", kind: "text" },
      date: { name: "Order Date", kind: "date" },
      amount: { name: "Amount", kind: "float" },
      quantity: null,
      unitPrice: null,
      orderId: null,
      cost: null,
    });
  });

  test("missing needed columns: which, and the columns found", async () => {
    const d = await describeSource(s, { table: "no_orders_here" });
    const f = await failure(Promise.resolve().then(() => mapColumns(d, "en")));
    expect(f.key).toBe("reading.missing.orders.customerId_date_amount");
    expect(f.en).toContain("Headers found: name, city");
    const q = await describeSource(s, {
      query: `SELECT "Customer ID", "Amount" FROM orders_ok;`,
    });
    const g = await failure(Promise.resolve().then(() => mapColumns(q, "zh")));
    expect(g.key).toBe("reading.missing.orders.date");
    expect(g.zh).toContain("Customer ID, Amount");
  });

  test("a column of the wrong type: named with its type and what it must be", async () => {
    const d = await describeSource(s, { table: "orders_time_date" });
    const f = await failure(Promise.resolve().then(() => mapColumns(d, "en")));
    expect(f.key).toBe("postgres.error.wrongType");
    expect(f.en).toContain(
      "Column “order_date” of the table “orders_time_date” is of type time without time zone",
    );
    expect(f.en).toContain("the order date must be a date, a timestamp, or text");
    expect(f.en).toContain('CAST("order_date" AS date)');
    const b = await describeSource(s, { table: "orders_bool_amount" });
    const g = await failure(Promise.resolve().then(() => mapColumns(b, "zh")));
    expect(g.zh).toContain("列“金额”类型为 boolean");
    expect(g.zh).toContain("金额必须是数值");
  });

  test("a query that returns no rows, and an empty table", async () => {
    const q = await describeSource(s, {
      query: `SELECT * FROM orders_ok WHERE "Amount" > 1000`,
    });
    const f = await failure(requireRows(s, q, "en"));
    expect(f.key).toBe("postgres.error.noRows");
    expect(f.en).toBe(
      "Nothing to analyse: the query in the database “crm_engine_test” returned no rows.",
    );
    const e = await describeSource(s, { table: "empty_orders" });
    const g = await failure(requireRows(s, e, "zh"));
    expect(g.zh).toContain("表“empty_orders”没有返回任何行");
    await requireRows(s, await describeSource(s, { table: "orders_ok" }), "en");
  });
});

// ---------------------------------------------------------------------------------------------
// One answer whichever path (issue 19 §4)

/** A table's columns typed as a database would hold them: dates, numbers, else text. */
function typedColumns(raw: RawTable): PgTestColumn[] {
  return raw.headers.map((name, j) => {
    const cells = raw.rows.map((r) => r[j]).filter((v) => v !== null && v !== undefined);
    const type: PgTestColumn["type"] = cells.every((v) => v instanceof Date)
      ? "date"
      : cells.every((v) => typeof v === "number")
        ? "double precision"
        : "text";
    return {
      name,
      type,
      values: raw.rows.map((r) => {
        const v = r[j];
        if (v === null || v === undefined) return null;
        if (type === "date") return Math.round((v as Date).getTime() / 86_400_000);
        if (type === "double precision") return v as number;
        return cellText(v);
      }),
    };
  });
}

/** The same columns as CSV text (ISO dates, numbers as JavaScript writes them). */
function csvOf(cols: PgTestColumn[]): string {
  const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const n = cols[0].values.length;
  const lines = [cols.map((c) => q(c.name)).join(",")];
  for (let i = 0; i < n; i++)
    lines.push(
      cols
        .map((c) => {
          const v = c.values[i];
          if (v === null) return "";
          if (c.type === "date") return isoDay(v as number);
          return q(String(v));
        })
        .join(","),
    );
  return lines.join("\n") + "\n";
}

/**
 * The URL with another password: whatever the server's is (the test helper's own cluster uses
 * PG_PASSWORD, .ci/run's server one of its own).
 */
function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

/** customers.csv's rows by customer ID (the Postgres path orders orders-only customers by ID). */
function customerRows(run: RunResult): Map<string, OutValue[]> {
  const currency = run.analysis.settings.currency;
  return new Map(run.analysis.customers.map((c) => [c.id, customerCsvRow(c, "en", currency)]));
}

/** The test database's URL for another user (the socket trusts every local user). */
const asUser = (user: string) => server.url.replace(/^postgres:\/\/[^@/]*@/, `postgres://${user}@`);

interface Case {
  table: string;
  columns: PgTestColumn[];
  customers?: RawTable;
  interactions?: RawTable;
  overrides?: DeepPartial<Settings>;
  /** Read as this user (by the socket, trusted) instead of the tables' owner. */
  user?: string;
}

/** The in-memory path on the CSV of the data and the Postgres path on its table: equal. */
async function expectSameAnswer(c: Case): Promise<{ customers: number; rows: number }> {
  await loadTable(server.url, c.table, c.columns);
  if (c.user) await runSql(server.url, `GRANT SELECT ON ${c.table} TO ${c.user}`);
  const lang = "en" as const;
  const memory = runAnalysis(
    {
      orders: readCsvText(csvOf(c.columns), `${c.table}.csv`),
      customers: c.customers,
      interactions: c.interactions,
    },
    { lang, overrides: c.overrides },
  );
  const settings = makeSettings(c.overrides ?? {});
  const dataset = await readPostgres(
    {
      url: c.user ? asUser(c.user) : server.url,
      source: { table: c.table },
      customers: c.customers ? cellSource(c.customers) : null,
      interactions: c.interactions ? cellSource(c.interactions) : null,
      lang,
    },
    settings,
  );
  expect(dataset.orders.n).toBe(0);
  const pgRun = runAnalysis(
    {
      orders: { source: c.table, headerRow: 1, firstColumn: 1, headers: [], rows: [] },
      customers: c.customers,
      dataset,
    },
    { lang, overrides: c.overrides },
  );
  // summary.json: every figure
  expect(differences(memory.summary, pgRun.summary)).toEqual([]);
  // customers.csv: the same IDs, and row by row the same values
  const a = customerRows(memory);
  const b = customerRows(pgRun);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  const diffs: string[] = [];
  for (const [id, row] of a) {
    const other = b.get(id)!;
    row.forEach((v, j) => {
      const same =
        CSV_COLUMNS[j] === "stage_reason"
          ? String(v ?? "") === String(other[j] ?? "")
          : close(v ?? "", other[j] ?? "", 1e-9);
      if (!same && diffs.length < 20)
        diffs.push(`${id} ${CSV_COLUMNS[j]}: ${String(v)} ≠ ${String(other[j])}`);
    });
  }
  expect(diffs).toEqual([]);
  // customers not in the Customers table: the same, each named at the same row (the table's
  // physical order is its export's)
  const unknown = (r: RunResult) =>
    r.issues
      .filter((i) => i.reason.key === "reading.unknownCustomer")
      .map((i) => `${i.value}@${i.row}`)
      .sort();
  expect(unknown(pgRun)).toEqual(unknown(memory));
  if (c.customers) expect(unknown(memory).length).toBeGreaterThan(0); // the demo has some
  // customers of the Customers table keep its order; the others follow, by ID here
  const listed = c.customers?.rows.length ?? 0;
  expect(pgRun.analysis.customers.slice(0, listed).map((x) => x.id)).toEqual(
    memory.analysis.customers.slice(0, listed).map((x) => x.id),
  );
  return { customers: a.size, rows: c.columns[0].values.length };
}

describe.skipIf(!server)(
  "PostgreSQL: the same answer as the in-memory path",
  { timeout: 180_000 },
  () => {
    test("the demo's orders (line items, cancellations, cost, bad rows), customers, interactions", async () => {
      const wb = sampleWorkbook({ lang: "en" });
      const r = await expectSameAnswer({
        table: "demo_orders",
        columns: typedColumns(wb.orders),
        customers: wb.customers,
        interactions: wb.interactions,
      });
      expect(r.customers).toBeGreaterThan(300);
    });

    test("the demo's orders at an earlier as-of date (later orders held out)", async () => {
      const wb = sampleWorkbook({ lang: "en" });
      await expectSameAnswer({
        table: "demo_orders_asof",
        columns: typedColumns(wb.orders),
        customers: wb.customers,
        interactions: wb.interactions,
        overrides: { asOf: dayFromIso("2025-06-30") },
      });
    });

    test("a role without the TEMP privilege (nothing staged): the same answer", async () => {
      const db = "crm_engine_test";
      await runSql(
        server.url,
        `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_reader') THEN CREATE ROLE crm_reader LOGIN; END IF; END $$`,
        `REVOKE TEMPORARY ON DATABASE ${db} FROM PUBLIC`,
      );
      try {
        const wb = sampleWorkbook({ lang: "en" });
        await expectSameAnswer({
          table: "demo_orders_reader",
          columns: typedColumns(wb.orders),
          customers: wb.customers,
          interactions: wb.interactions,
          user: "crm_reader",
        });
        // the role could indeed not stage: its temporary table is refused
        const c = new pg.Client({ connectionString: asUser("crm_reader") });
        await c.connect();
        await expect(c.query("CREATE TEMPORARY TABLE t (a int)")).rejects.toThrow(
          /permission denied/,
        );
        await c.end();
      } finally {
        await runSql(server.url, `GRANT TEMPORARY ON DATABASE ${db} TO PUBLIC`);
      }
    });

    test.skipIf(!HAVE_CDNOW)(
      "CDNOW (IDs with leading zeros, calibration and holdout)",
      async () => {
        const lines = cdnowLines();
        const r = await expectSameAnswer({
          table: "cdnow",
          columns: [
            { name: "Customer ID", type: "text", values: lines.map((l) => l.id) },
            { name: "Date", type: "date", values: lines.map((l) => l.day) },
            { name: "CDs", type: "integer", values: lines.map((l) => l.cds) },
            { name: "Amount", type: "double precision", values: lines.map((l) => l.amount) },
          ],
          overrides: { asOf: CDNOW_AS_OF },
        });
        expect(r.customers).toBe(2357);
      },
    );

    test("a bench file held as text columns, as a CSV imported as is", async () => {
      const csv = generateOrdersCsv(30_000, 4_000);
      const rows = csv
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(","));
      const r = await expectSameAnswer({
        table: "bench_orders",
        columns: ["order_id", "customer_id", "date", "amount"].map((name, j) => ({
          name,
          type: "text" as const,
          values: rows.map((x) => x[j]),
        })),
      });
      expect(r.rows).toBe(30_000);
    });
  },
);

// ---------------------------------------------------------------------------------------------
// The command line: crm analyze postgres://…, crm sql, crm analyze --summary

const tmp = mkdtempSync(join(tmpdir(), "crm-pg-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run crm in this process: exit code, stdout, stderr. */
async function crm(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: { LANG: "en_US.UTF-8" },
  });
  return { code, out, err };
}

/** customers.csv of a run's folder by customer ID, and its summary.json. */
function outputs(dir: string): { rows: Map<string, string[]>; summary: Record<string, unknown> } {
  const text = readFileSync(join(dir, "customers.csv"), "utf8").replace(/^\uFEFF/, "");
  const src = readCsvText(text, "customers.csv");
  const rows = new Map<string, string[]>();
  for (let r = 0; r < src.rowCount; r++) {
    const row = src.headers.map((_, c) => src.text(r, c));
    rows.set(row[0], row);
  }
  return { rows, summary: JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) };
}

function expectSameCustomers(a: Map<string, string[]>, b: Map<string, string[]>): void {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  const diffs: string[] = [];
  for (const [id, row] of a)
    row.forEach((v, j) => {
      const w = b.get(id)![j];
      const same = v === w || close(v, w);
      if (!same && diffs.length < 20) diffs.push(`${id} ${CSV_COLUMNS[j]}: ${v} ≠ ${w}`);
    });
  expect(diffs).toEqual([]);
}

describe.skipIf(!server)(
  "crm analyze postgres://… and crm analyze --summary",
  { timeout: 180_000 },
  () => {
    const wb = sampleWorkbook({ lang: "en" });
    const columns = typedColumns(wb.orders);
    const ordersCsv = join(tmp, "orders.csv");
    const customersCsv = join(tmp, "customers-in.csv");
    const interactionsCsv = join(tmp, "interactions-in.csv");
    const rawCsv = (raw: RawTable) => csvOf(typedColumns(raw));
    let memory: ReturnType<typeof outputs>;
    /** crm analyze of these orders, with the demo's customers and interactions, csv and json into out. */
    const analyze = (orders: string[], out: string, ...more: string[]) =>
      crm(
        "analyze",
        ...orders,
        "--customers",
        customersCsv,
        "--interactions",
        interactionsCsv,
        "--out",
        out,
        "--outputs",
        "csv,json",
        ...more,
      );

    beforeAll(async () => {
      await loadTable(server.url, "cli_orders", columns);
      writeFileSync(ordersCsv, csvOf(columns));
      writeFileSync(customersCsv, rawCsv(wb.customers));
      writeFileSync(interactionsCsv, rawCsv(wb.interactions));
      const out = join(tmp, "memory");
      const r = await analyze([ordersCsv], out, "-q");
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      memory = outputs(out);
    });

    test("--table: the same customers.csv and summary.json as the CSV in memory", async () => {
      const out = join(tmp, "pg-table");
      const r = await analyze([server.url, "--table", "cli_orders"], out);
      expect(r.code).toBe(0);
      expect(r.err).toContain("Aggregating the table “cli_orders” inside the database");
      const pgOut = outputs(out);
      expectSameCustomers(memory.rows, pgOut.rows);
      expect(differences(memory.summary, pgOut.summary)).toEqual([]);
    });

    test("--query: the same answer", async () => {
      const out = join(tmp, "pg-query");
      const r = await analyze([server.url, "--query", "SELECT * FROM cli_orders;"], out, "-q");
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const q = outputs(out);
      expectSameCustomers(memory.rows, q.rows);
      // a query's rows have no number: the figures are the same, the examples' rows are 0
      expect(differences(memory.summary, q.summary)).toEqual([]);
    });

    test("bad input through the command line: exit 1 or 2 and one clear line, no password", async () => {
      const unreachable = await crm(
        "analyze",
        `postgres://ann:${PG_PASSWORD}@127.0.0.1:1/sales`,
        "--table",
        "orders",
        "--out",
        join(tmp, "x"),
        "--lang",
        "zh",
        "-q",
      );
      expect(unreachable.code).toBe(1);
      expect(unreachable.err).toMatch(/^crm: 无法连接到 127\.0\.0\.1:1 的 PostgreSQL 服务器/);
      expect(unreachable.err.trim().split("\n")).toHaveLength(1);
      expect(unreachable.err + unreachable.out).not.toContain(PG_PASSWORD);
      if (server.tcpUrl) {
        const wrong = await crm(
          "analyze",
          withPassword(server.tcpUrl, "Wr0ng-Pa55"),
          "--table",
          "cli_orders",
          "--out",
          join(tmp, "x"),
        );
        expect(wrong.code).toBe(1);
        expect(wrong.err).toContain("refused the login of user “crm”");
        expect(wrong.err + wrong.out).not.toMatch(/Wr0ng-Pa55|s3cret/);
        expect(wrong.err + wrong.out).not.toContain(
          decodeURIComponent(new URL(server.tcpUrl).password),
        );
        // the progress line names the server without the password too
        expect(wrong.err).toContain(`Connecting to PostgreSQL at 127.0.0.1:${server.tcp!.port}`);
      }
      const noTable = await crm("analyze", server.url, "--table", "nope", "--out", join(tmp, "x"));
      expect(noTable.code).toBe(1);
      expect(noTable.err).toContain("There is no table or view “nope”");
      const none = await crm("analyze", server.url, "--out", join(tmp, "x"));
      expect(none.code).toBe(2);
      expect(none.err).toContain("needs --table NAME or --query");
      const both = await crm("analyze", server.url, "--table", "a", "--query", "SELECT 1");
      expect(both.code).toBe(2);
      const fileWithTable = await crm("analyze", ordersCsv, "--table", "orders");
      expect(fileWithTable.code).toBe(2);
      expect(fileWithTable.err).toContain("are for a database input");
      const empty = await crm(
        "analyze",
        server.url,
        "--query",
        "SELECT * FROM cli_orders WHERE false",
        "--out",
        join(tmp, "x"),
      );
      expect(empty.code).toBe(1);
      expect(empty.err).toContain("Nothing to analyse: the query");
      expect(existsSync(join(tmp, "x", "customers.csv"))).toBe(false);
    });

    test("crm sql → the database → a summary file → crm analyze --summary: the same answer", async () => {
      const asOf = String(memory.summary.as_of);
      // the SQL as an analyst would get it for a warehouse, with the table's columns named
      const names = columns.map(
        (c) => `${c.name}:${c.type === "date" ? "date" : c.type === "text" ? "text" : "float"}`,
      );
      const printed = await crm(
        "sql",
        "--dialect",
        "postgres",
        "--table",
        "cli_orders",
        "--columns",
        names.join(","),
        "--as-of",
        asOf,
      );
      expect(printed.code).toBe(0);
      expect(printed.out).toMatch(/^-- The per-customer order summary of crm/);
      expect(printed.out).toContain(
        `crm analyze --summary customers_summary.parquet --as-of ${asOf}`,
      );
      // the same SQL, with the columns read from the table itself
      const fromTable = await crm("sql", server.url, "--table", "cli_orders", "--as-of", asOf);
      expect(fromTable.code).toBe(0);
      // run it "on the warehouse" and export its result as CSV
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      const res = await c.query({ text: printed.out, rowMode: "array" });
      await c.end();
      const header = res.fields.map((f) => f.name);
      expect(header).toEqual([...SUMMARY_COLUMNS]);
      const cell = (v: unknown) => (v === null ? "" : String(v));
      const summaryCsv = join(tmp, "customers_summary.csv");
      writeFileSync(
        summaryCsv,
        [header.join(","), ...res.rows.map((r: unknown[]) => r.map(cell).join(","))].join("\n") +
          "\n",
      );
      // crm analyze --summary F with the run's as-of date, customers and interactions
      const fromSummary = (file: string, out: string) =>
        analyze(["--summary", file, "--as-of", asOf], out, "-q");
      const out = join(tmp, "from-summary");
      const r = await fromSummary(summaryCsv, out);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const s = outputs(out);
      expectSameCustomers(memory.rows, s.rows);
      // the figures of the rules are the same; the counts of rows read and skipped are not in a
      // per-customer table
      const { counts: _a, ...rulesMemory } = memory.summary;
      const { counts: _b, ...rulesSummary } = s.summary;
      expect(differences(rulesMemory, rulesSummary)).toEqual([]);

      // the same summary as Parquet (read by DuckDB): the same answer
      const duck = await import("@duckdb/node-api");
      const db = await duck.DuckDBInstance.create(":memory:");
      const con = await db.connect();
      const parquet = join(tmp, "customers_summary.parquet");
      await con.run(
        `COPY (SELECT * FROM read_csv('${summaryCsv}', header = true, types = {'customer_id': 'VARCHAR'})) TO '${parquet}' (FORMAT parquet)`,
      );
      const outP = join(tmp, "from-parquet");
      const p = await fromSummary(parquet, outP);
      expect(p.err).toBe("");
      expect(p.code).toBe(0);
      expectSameCustomers(memory.rows, outputs(outP).rows);

      // the same summary as Spark writes a table: a folder of part files (in no order of the
      // customers) beside its _SUCCESS and .crc files; read whole, the same answer
      const spark = join(tmp, "customers_summary.spark.parquet");
      mkdirSync(spark);
      for (let k = 0; k < 3; k++) {
        const part = `part-0000${k}-5f0e6c1a-c000`;
        await con.run(
          `COPY (SELECT * FROM '${parquet}' WHERE hash(customer_id) % 3 = ${k}) TO '${join(spark, `${part}.snappy.parquet`)}' (FORMAT parquet)`,
        );
        writeFileSync(join(spark, `.${part}.snappy.parquet.crc`), "not a part");
      }
      writeFileSync(join(spark, "_SUCCESS"), "");
      const outS = join(tmp, "from-spark");
      const sp = await fromSummary(spark, outS);
      expect(sp.err).toBe("");
      expect(sp.code).toBe(0);
      const sparkRun = outputs(outS);
      expectSameCustomers(memory.rows, sparkRun.rows);
      const { counts: _c, ...rulesSpark } = sparkRun.summary;
      expect(differences(rulesMemory, rulesSpark)).toEqual([]);

      // the DuckDB dialect's SQL, run by DuckDB on the same orders (all columns as text): the
      // same per-customer rows as Postgres gave
      const duckSql = await crm(
        "sql",
        "--dialect",
        "duckdb",
        "--table",
        "cli_orders",
        "--columns",
        columns.map((col) => `${col.name}:text`).join(","),
        "--as-of",
        asOf,
      );
      expect(duckSql.code).toBe(0);
      await con.run(
        `CREATE TABLE cli_orders AS SELECT * FROM read_csv('${ordersCsv}', header = true, all_varchar = true)`,
      );
      const rows = (await con.runAndReadAll(duckSql.out)).getRowsJS();
      con.closeSync();
      db.closeSync();
      expect(rows.length).toBe(res.rows.length);
      const byId = new Map(res.rows.map((r: unknown[]) => [String(r[0]), r]));
      const bad: string[] = [];
      for (const r of rows) {
        const q = byId.get(String(r[0]));
        r.forEach((v, j) => {
          const a = v === null ? null : typeof v === "bigint" ? Number(v) : v;
          // pg gives bigint counts as text
          const raw = q?.[j] ?? null;
          const b = typeof a === "number" && typeof raw === "string" ? Number(raw) : raw;
          if (!(a === b || close(a, b)) && bad.length < 10)
            bad.push(`${String(r[0])} ${header[j]}: ${String(a)} ≠ ${String(b)}`);
        });
      }
      expect(bad).toEqual([]);
    });

    test("--summary: missing columns listed, a bad value named by row and column, --as-of needed", async () => {
      const f = join(tmp, "bad-summary.csv");
      writeFileSync(f, "customer_id,rows,amount\nA,1,10\n");
      const r = await crm(
        "analyze",
        "--summary",
        f,
        "--as-of",
        "2024-01-01",
        "--out",
        join(tmp, "y"),
      );
      expect(r.code).toBe(1);
      expect(r.err).toContain("lacks the summary column(s) first_purchase, last_purchase, orders");
      expect(r.err).toContain("Columns found: customer_id, rows, amount");
      const g = join(tmp, "bad-value.csv");
      const head = SUMMARY_COLUMNS.join(",");
      const ok = SUMMARY_COLUMNS.map((c) => (c === "customer_id" ? "A" : "1")).join(",");
      const bad = SUMMARY_COLUMNS.map((c) =>
        c === "customer_id" ? "B" : c === "orders" ? "two" : "1",
      ).join(",");
      writeFileSync(g, `${head}\n${ok}\n${bad}\n`);
      const v = await crm(
        "analyze",
        "--summary",
        g,
        "--as-of",
        "2024-01-01",
        "--out",
        join(tmp, "y"),
        "--lang",
        "zh",
      );
      expect(v.code).toBe(1);
      expect(v.err).toContain("第 3 行“orders”列：“two”不是非负整数");
      const xlsx = join(tmp, "summary.xlsx");
      writeFileSync(xlsx, "not a summary");
      const wrongKind = await crm("analyze", "--summary", xlsx, "--as-of", "2024-01-01");
      expect(wrongKind.code).toBe(1);
      expect(wrongKind.err).toContain("use a .parquet or .csv file");
      const sqlNoAsOf = await crm("sql", "--dialect", "duckdb", "--table", "orders");
      expect(sqlNoAsOf.code).toBe(2);
      expect(sqlNoAsOf.err).toContain("crm sql needs --as-of");
      const sqlDialect = await crm("sql", "--dialect", "spark", "--as-of", "2024-01-01");
      expect(sqlDialect.code).toBe(2);
      expect(sqlDialect.err).toContain("--dialect takes duckdb, postgres, not “spark”");
      const noAsOf = await crm("analyze", "--summary", g);
      expect(noAsOf.code).toBe(2);
      expect(noAsOf.err).toContain("--summary needs --as-of");
    });
  },
);

// ---------------------------------------------------------------------------------------------
// Hostile input (the sweep of /work/notes/sweep-pg-log.md): each defect it found, fixed

/** crm's progress line that names what is read, without its "[crm 0.0s]" clock. */
const readingLine = (err: string) =>
  err
    .split("\n")
    .find((l) => / (reading|正在读取) /.test(l))
    ?.replace(/^\[crm [0-9.]+s\] /, "");

/** The first line crm wrote on standard error that is not a progress line. */
const errorLine = (err: string) => err.split("\n").find((l) => l.startsWith("crm: ")) ?? "";

describe.skipIf(!server)("PostgreSQL: hostile input", { timeout: 60_000 }, () => {
  const out = join(tmp, "hostile");
  /** crm analyze URL source… as a user runs it, quiet: it must end well and print nothing. */
  const runsQuietly = async (url: string, ...source: string[]) => {
    const r = await crm("analyze", url, ...source, "--out", out, "-q");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  };
  beforeAll(async () => {
    await loadTable(server.url, "sec_orders", [
      { name: "customer_id", type: "text", values: ["a", "b", "a"] },
      { name: "order_date", type: "date", values: [19000, 19010, 19020] },
      { name: "amount", type: "double precision", values: [10, 20, 30] },
    ]);
  });

  test("--query cannot write: several statements are refused, nothing is run", async () => {
    await runSql(
      server.url,
      "DROP TABLE IF EXISTS canary",
      "CREATE TABLE canary (x integer)",
      "INSERT INTO canary VALUES (1), (2)",
    );
    const escapes = [
      "SELECT * FROM sec_orders) AS x LIMIT 0; COMMIT; INSERT INTO canary VALUES (42); SELECT * FROM (SELECT * FROM sec_orders",
      "SELECT 1) AS x; COMMIT; DROP TABLE canary; SELECT * FROM (SELECT * FROM sec_orders",
    ];
    const expected = {
      en: "crm: --query must be one statement: the server refused a text of several statements (separated by “;”) and ran none of them. Give a single SELECT.",
      zh: "crm: --query 只能是一条语句：服务器拒绝了由“;”分隔的多条语句，一条也没有执行。请只给出一条 SELECT。",
    };
    for (const q of escapes)
      for (const lang of ["en", "zh"] as const) {
        const r = await crm("analyze", server.url, "--query", q, "--out", out, "--lang", lang);
        expect(r.code).toBe(1);
        expect(errorLine(r.err)).toBe(expected[lang]);
        expect(r.err.split("\n").filter((l) => l.startsWith("crm: "))).toHaveLength(1);
      }
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const rows = await c.query("SELECT x FROM canary ORDER BY x");
    await c.end();
    expect(rows.rows.map((r: { x: number }) => r.x)).toEqual([1, 2]);
  });

  test("--query ending in a -- comment: the comment does not swallow the wrapper", async () => {
    const s = await openSession(server.url);
    try {
      const d = await describeSource(s, { query: "SELECT * FROM sec_orders -- last year" });
      expect(d.columns.map((c) => c.name)).toEqual(["customer_id", "order_date", "amount"]);
      await requireRows(s, d, "en");
      // a semicolon before the comment: one statement still
      const e = await describeSource(s, { query: "SELECT * FROM sec_orders; -- done\n" });
      await requireRows(s, e, "en");
    } finally {
      await s.close();
    }
    await runsQuietly(server.url, "--query", "SELECT * FROM sec_orders -- last year");
  });

  test("a password is never shown: a raw @ in it, or given as ?password=", async () => {
    expect(redactUrl("postgres://crm:S3cr@t:p%25w@127.0.0.1:5432/db")).toBe(
      "postgres://crm:***@127.0.0.1:5432/db",
    );
    expect(redactUrl("postgres://crm:Top@Secret@db.example.com/sales?sslmode=disable")).toBe(
      "postgres://crm:***@db.example.com/sales?sslmode=disable",
    );
    expect(redactUrl("postgres://crm@127.0.0.1:5432/db?password=S3cr%40t%3Ap%25w")).toBe(
      "postgres://crm@127.0.0.1:5432/db?password=***",
    );
    expect(redactUrl("postgres://crm@h/db?sslmode=disable&PASSWORD=x&port=1")).toBe(
      "postgres://crm@h/db?sslmode=disable&PASSWORD=***&port=1",
    );
    // a user name with an @, no password: shown as is
    expect(redactUrl("postgres://ann%40corp@h/db")).toBe("postgres://ann%40corp@h/db");
    if (!server.tcp) return;
    const { port } = server.tcp;
    for (const [url, shown] of [
      [
        `postgres://crm:Top@Secret@127.0.0.1:${port}/crm_engine_test`,
        `postgres://crm:***@127.0.0.1:${port}/crm_engine_test`,
      ],
      [
        `postgres://crm@127.0.0.1:${port}/crm_engine_test?password=TopSecret99`,
        `postgres://crm@127.0.0.1:${port}/crm_engine_test?password=***`,
      ],
    ]) {
      const r = await crm("analyze", url, "--table", "sec_orders", "--out", out);
      expect(readingLine(r.err)).toBe(`reading ${shown}…`);
      expect(r.code).toBe(1);
      expect(errorLine(r.err)).toContain("refused the login of user “crm”");
      expect(r.err + r.out).not.toMatch(/Secret/);
    }
  });

  test("PGTZ sets the session's time zone: a timestamptz's day as the export under that zone", async () => {
    const stamps = [
      "2024-03-10 03:30:00+00",
      "2024-03-20 23:30:00+00",
      "2024-05-01 12:00:00+00",
      "2024-06-30 03:30:00+00",
    ];
    await loadTable(server.url, "tz_orders", [
      { name: "customer_id", type: "text", values: ["a", "b", "a", "c"] },
      { name: "order_date", type: "timestamptz", values: stamps },
      { name: "amount", type: "double precision", values: [10, 20, 30, 40] },
    ]);
    const saved = process.env.PGTZ;
    const firstOf: Record<string, string> = {};
    try {
      for (const zone of ["America/Los_Angeles", "UTC"]) {
        process.env.PGTZ = zone;
        // the export under that zone (psql with PGTZ set: \copy … TO 'orders.csv' CSV HEADER)
        const c = new pg.Client({ connectionString: server.url });
        await c.connect();
        await c.query("SELECT set_config('TimeZone', $1, false)", [zone]);
        const res = await c.query<{ id: string; d: string; a: number }>(
          "SELECT customer_id AS id, CAST(order_date AS text) AS d, amount AS a FROM tz_orders ORDER BY ctid",
        );
        await c.end();
        const csv =
          "customer_id,order_date,amount\n" +
          res.rows.map((r) => `${r.id},${r.d},${r.a}`).join("\n");
        const memory = runAnalysis(
          { orders: readCsvText(csv + "\n", "tz_orders.csv") },
          { lang: "en" },
        );
        const settings = makeSettings({});
        const dataset = await readPostgres(
          { url: server.url, source: { table: "tz_orders" }, lang: "en" },
          settings,
        );
        const pgRun = runAnalysis(
          {
            orders: { source: "tz_orders", headerRow: 1, firstColumn: 1, headers: [], rows: [] },
            dataset,
          },
          { lang: "en" },
        );
        expect(differences(memory.summary, pgRun.summary)).toEqual([]);
        const a = customerRows(memory);
        const b = customerRows(pgRun);
        expect([...b.entries()]).toEqual([...a.entries()]);
        firstOf[zone] = String(b.get("a")![CSV_COLUMNS.indexOf("first_purchase")]);
      }
    } finally {
      if (saved === undefined) delete process.env.PGTZ;
      else process.env.PGTZ = saved;
    }
    expect(firstOf).toEqual({ "America/Los_Angeles": "2024-03-09", UTC: "2024-03-10" });
  });

  test("PGTZ that names no time zone: told clearly", async () => {
    const saved = process.env.PGTZ;
    process.env.PGTZ = "Mars/Olympus_Mons";
    try {
      const f = await failure(openSession(server.url));
      expect(f.key).toBe("postgres.error.timeZone");
      expect(f.en).toBe(
        `PGTZ is “Mars/Olympus_Mons”, which the PostgreSQL server at ${serverName(server.url).where} does not know as a time zone: set it to a zone such as UTC or Europe/Berlin (SELECT name FROM pg_timezone_names lists them), or unset it to use the server's.`,
      );
      expect(f.zh).toContain("PGTZ 为“Mars/Olympus_Mons”");
    } finally {
      if (saved === undefined) delete process.env.PGTZ;
      else process.env.PGTZ = saved;
    }
  });

  test("an infinite date is a data issue of its row (as DuckDB reads it from Parquet), the run goes on", async () => {
    await loadTable(server.url, "inf_orders", [
      { name: "customer_id", type: "text", values: ["a", "b", "c", "a", "d"] },
      {
        name: "order_date",
        type: "date",
        values: ["2024-01-05", "infinity", "-infinity", "2024-02-01", null],
      },
      { name: "amount", type: "double precision", values: [10, 5, 7, 3, 1] },
    ]);
    const settings = makeSettings({});
    const issuesOf = async (source: { table: string } | { query: string }) => {
      const ds = await readPostgres({ url: server.url, source, lang: "en" }, settings);
      return ds.issues
        .filter((i) => i.severity !== "warning")
        .map((i) => `${i.row} ${i.column} ${i.value} ${i.reason.key}`);
    };
    expect(await issuesOf({ table: "inf_orders" })).toEqual([
      "3 order_date infinity reading.implausibleDate",
      "4 order_date -infinity reading.implausibleDate",
      "6 order_date  reading.missingDate",
    ]);
    // a query's rows have no number: row 0
    for (const type of ["timestamp", "timestamptz"])
      expect(
        (
          await issuesOf({
            query: `SELECT customer_id, CAST(order_date AS ${type}) AS order_date, amount FROM inf_orders`,
          })
        ).sort(),
      ).toEqual([
        "0 order_date  reading.missingDate",
        "0 order_date -infinity reading.implausibleDate",
        "0 order_date infinity reading.implausibleDate",
      ]);
    // the same rows as Parquet, read by DuckDB: the same reasons and counts
    const duck = await import("@duckdb/node-api");
    const db = await duck.DuckDBInstance.create(":memory:");
    const con = await db.connect();
    const parquet = join(tmp, "inf_orders.parquet");
    await con.run(
      `COPY (SELECT * FROM (VALUES ('a', DATE '2024-01-05', 10.0), ('b', CAST('infinity' AS DATE), 5.0), ('c', CAST('-infinity' AS DATE), 7.0), ('a', DATE '2024-02-01', 3.0), ('d', NULL, 1.0)) t(customer_id, order_date, amount)) TO '${parquet}' (FORMAT parquet)`,
    );
    con.closeSync();
    db.closeSync();
    const counts = async (input: string[], dir: string) => {
      const r = await crm("analyze", ...input, "--out", dir, "--outputs", "json", "-q");
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
      return s.counts;
    };
    const fromPg = await counts([server.url, "--table", "inf_orders"], join(tmp, "inf-pg"));
    const fromDuck = await counts([parquet], join(tmp, "inf-duck"));
    expect(fromPg.skipped_by_reason).toEqual({
      "reading.implausibleDate": 2,
      "reading.missingDate": 1,
    });
    expect(fromDuck.skipped_by_reason).toEqual(fromPg.skipped_by_reason);
    expect(fromDuck.rows_used).toBe(fromPg.rows_used);
  });

  test.skipIf(!server.tcpUrl)(
    "sslmode as libpq reads it, against a server without SSL: no warning printed",
    async () => {
      const probe = await openSession(server.tcpUrl!);
      const [[ssl]] = await probe.query<[string]>("SHOW ssl");
      await probe.close();
      if (ssl !== "off") return; // these cases need a server without SSL
      const warnings: unknown[] = [];
      const onWarning = (w: unknown) => warnings.push(w);
      process.on("warning", onWarning);
      const sep = server.tcpUrl!.includes("?") ? "&" : "?";
      try {
        for (const mode of ["disable", "allow", "prefer"]) {
          const s = await openSession(`${server.tcpUrl}${sep}sslmode=${mode}`);
          const [[encrypted]] = await s.query<[boolean]>(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
          );
          await s.close();
          expect(encrypted).toBe(false);
        }
        for (const mode of ["require", "verify-ca", "verify-full"]) {
          const f = await failure(openSession(`${server.tcpUrl}${sep}sslmode=${mode}`));
          expect(f.key).toBe("postgres.error.noSsl");
          expect(f.en).toBe(
            `The PostgreSQL server at 127.0.0.1:${server.tcp!.port} does not offer SSL, but the URL asks for sslmode=${mode}: use sslmode=prefer to fall back to an unencrypted connection, or enable SSL on the server.`,
          );
          expect(f.zh).toContain(`sslmode=${mode}`);
        }
        const bad = await failure(openSession(`${server.tcpUrl}${sep}sslmode=sometimes`));
        expect(bad.key).toBe("postgres.error.sslMode");
        // the command line: prefer connects and runs, with nothing on stderr
        await runsQuietly(`${server.tcpUrl}${sep}sslmode=prefer`, "--table", "sec_orders");
        await new Promise((r) => setImmediate(r));
        expect(warnings).toEqual([]);
      } finally {
        process.off("warning", onWarning);
      }
    },
  );

  /** fn run with these environment variables (undefined: unset), then the old ones back. */
  async function withEnv(vars: Record<string, string | undefined>, fn: () => Promise<void>) {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const put = (v: Record<string, string | undefined>) => {
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) delete process.env[k];
        else process.env[k] = x;
      }
    };
    put(vars);
    try {
      await fn();
    } finally {
      put(saved);
    }
  }

  test.skipIf(!server.tcp)("a server that asks for a password none was given for", async () => {
    await withEnv({ PGPASSWORD: undefined, PGPASSFILE: join(tmp, "no-such-pgpass") }, async () => {
      const where = `127.0.0.1:${server.tcp!.port}`;
      const f = await failure(openSession(`postgres://crm@${where}/crm_engine_test`));
      expect(f.key).toBe("postgres.error.needPassword");
      expect(f.en).toBe(
        `The PostgreSQL server at ${where} asks for a password for user “crm”, and none was given: put it in the URL (postgres://crm:PASSWORD@…), in the PGPASSWORD environment variable, or in ~/.pgpass (or the file PGPASSFILE names).`,
      );
      expect(f.zh).toBe(
        `${where} 的 PostgreSQL 服务器要求用户“crm”提供密码，但没有给出：请写在连接地址中（postgres://crm:密码@…），或设置环境变量 PGPASSWORD，或写入 ~/.pgpass（或 PGPASSFILE 指定的文件）。`,
      );
    });
  });

  test.skipIf(!server.tcpUrl)(
    "the password file gives the password, as for psql; one others may read is ignored",
    async () => {
      const password = decodeURIComponent(new URL(server.tcpUrl!).password);
      const { port } = server.tcp!;
      // host:port:database:user:password, ':' and '\' escaped; wildcards and other lines around
      const line = `127.0.0.1:${port}:*:crm:${password.replace(/[\\:]/g, "\\$&")}`;
      const file = join(tmp, "pgpass");
      writeFileSync(file, `# comment\nother.host:5432:*:*:nope\n${line}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      const url = `postgres://crm@127.0.0.1:${port}/crm_engine_test`;
      await withEnv({ PGPASSWORD: undefined, PGPASSFILE: file }, async () => {
        const s = await openSession(url);
        const [[user]] = await s.query<[string]>("SELECT current_user");
        await s.close();
        expect(user).toBe("crm");
        chmodSync(file, 0o644); // libpq (and pgpass) ignore it then
        expect((await failure(openSession(url))).key).toBe("postgres.error.needPassword");
      });
    },
  );

  test("a table another session holds locked: a clear message after the lock timeout", async () => {
    const holder = new pg.Client({ connectionString: server.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE sec_orders IN ACCESS EXCLUSIVE MODE");
      const where = serverName(server.url).where;
      const s = await openSession(server.url, { lockTimeoutS: 1 });
      const f = await failure(describeSource(s, { table: "sec_orders" }));
      await s.close();
      expect(f.key).toBe("postgres.error.lockedTable");
      expect(f.en).toBe(
        `The table “sec_orders” is locked by another session of the database “crm_engine_test” at ${where}: crm waited 1 second for it. Try again when that session has finished (pg_locks and pg_stat_activity show which one holds it).`,
      );
      expect(f.zh).toBe(
        `表“sec_orders”被 ${where} 的数据库“crm_engine_test”中的另一个会话锁定：crm 等待了 1 秒。请在该会话结束后重试（pg_locks 和 pg_stat_activity 可查看是哪个会话持有锁）。`,
      );
      const q = await openSession(server.url, { lockTimeoutS: 1 });
      const g = await failure(describeSource(q, { query: "SELECT * FROM sec_orders" }));
      await q.close();
      expect(g.key).toBe("postgres.error.lockedQuery");
      expect(g.en).toContain("A table the query reads is locked by another session");
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
  });

  test("SIGINT while a query runs: the query is cancelled on the server, then crm exits 130", async () => {
    const before = process.listeners("SIGINT");
    const exits: number[] = [];
    const s = await openSession(server.url, { exit: (code) => exits.push(code) });
    const running = s.query("SELECT pg_sleep(60)").then(
      () => null,
      (e: unknown) => e,
    );
    const watcher = new pg.Client({ connectionString: server.url });
    await watcher.connect();
    const active = async () =>
      Number(
        (
          await watcher.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(60)'",
          )
        ).rows[0].n,
      );
    try {
      for (let k = 0; k < 50 && (await active()) === 0; k++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await active()).toBe(1);
      const ours = process.listeners("SIGINT").filter((l) => !before.includes(l));
      expect(ours).toHaveLength(1);
      (ours[0] as (signal: string) => void)("SIGINT");
      const e = await running;
      expect(e).toBeInstanceOf(UnusableInputError);
      expect((e as UnusableInputError).msg.key).toBe("postgres.error.interrupted");
      for (let k = 0; k < 50 && exits.length === 0; k++)
        await new Promise((r) => setTimeout(r, 50));
      expect(exits).toEqual([130]);
      expect(await active()).toBe(0);
    } finally {
      await watcher.end();
      await s.close();
    }
    expect(process.listeners("SIGINT")).toEqual(before);
  });

  test("a port that is no number is a URL that is no URL: exit 2", async () => {
    for (const port of ["99999", "abc"]) {
      const r = await crm(
        "analyze",
        `postgres://crm:TopSecret99@127.0.0.1:${port}/db`,
        "--table",
        "orders",
        "--out",
        out,
      );
      expect(r.code).toBe(2);
      expect(errorLine(r.err)).toBe(
        `crm: “postgres://crm:***@127.0.0.1:${port}/db” is not a PostgreSQL connection URL: write postgres://user@host:port/database (or postgres:///database?host=/socket/folder).`,
      );
    }
  });

  test("the wrong-type hint is a command line that pastes: the query in single quotes", async () => {
    await loadTable(server.url, "bool_amounts", [
      { name: "customer_id", type: "text", values: ["a"] },
      { name: "order_date", type: "date", values: [19000] },
      { name: "amount", type: "text", values: ["true"] },
    ]);
    await runSql(
      server.url,
      `ALTER TABLE bool_amounts ALTER COLUMN amount TYPE boolean USING true`,
    );
    const r = await crm("analyze", server.url, "--table", "bool_amounts", "--out", out);
    expect(r.code).toBe(1);
    expect(errorLine(r.err)).toBe(
      `crm: Column “amount” of the table “bool_amounts” is of type boolean, but the amount must be a number (integer, numeric, real, double precision) or text such as 1234.50. Cast it in a query, e.g. --query 'SELECT …, CAST("amount" AS numeric) AS "amount" FROM …'.`,
    );
  });

  test("no such table: materialized views listed too, names psql would not take as written quoted", async () => {
    await runSql(
      server.url,
      "DROP SCHEMA IF EXISTS listing CASCADE",
      "CREATE SCHEMA listing",
      "CREATE TABLE listing.t_plain (a int)",
      'CREATE TABLE listing."Sales.Orders" (a int)',
      'CREATE TABLE listing."Orders Mixed" (a int)',
      'CREATE TABLE listing."订单" (a int)',
      "CREATE MATERIALIZED VIEW listing.mv_list AS SELECT 1 AS a",
    );
    const url = `${server.url}${server.url.includes("?") ? "&" : "?"}options=-c%20search_path%3Dlisting`;
    const s = await openSession(url);
    try {
      const f = await failure(describeSource(s, { table: "nope" }));
      expect(f.en).toContain(
        'Tables there: "Orders Mixed", "Sales.Orders", mv_list, t_plain, 订单, public.',
      );
    } finally {
      await s.close();
    }
  });

  test("the day/month order count is fenced like the row stages: the same counts", async () => {
    const n = 5000;
    await loadTable(server.url, "dmy_orders", [
      {
        name: "customer_id",
        type: "text",
        values: Array.from({ length: n }, (_, i) => `c${i % 97}`),
      },
      {
        name: "order_date",
        type: "text",
        values: Array.from(
          { length: n },
          (_, i) => `${1 + (i % 28)}.${1 + (i % 12)}.${2020 + (i % 4)}`,
        ),
      },
      { name: "amount", type: "double precision", values: Array.from({ length: n }, (_, i) => i) },
    ]);
    const src = {
      relation: "dmy_orders",
      rowNumber: null,
      columns: {
        customerId: { name: "customer_id", kind: "text" as const },
        date: { name: "order_date", kind: "text" as const },
        amount: { name: "amount", kind: "float" as const },
        quantity: null,
        unitPrice: null,
        orderId: null,
        cost: null,
      },
    };
    const sql = dateOrderQuery(src, "postgres");
    const fenced = postgresSql(sql);
    expect(fenced).toMatch(/ OFFSET 0\) q\n {2}OFFSET 0\n\)/);
    const s = await openSession(server.url);
    try {
      expect(await s.query(fenced)).toEqual(await s.query(sql));
      const [[mdy, dmy, ambiguous]] = await s.query<[number, number, number]>(fenced);
      expect(mdy).toBe(0);
      expect(dmy).toBeGreaterThan(0);
      expect(ambiguous).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });
});

// A server of the tests' own with SSL on, a self-signed certificate, and logins over TCP by SSL
// only (hostssl), as cloud databases often take them; the CI's server has no SSL.
const sslStarted = server ? await startPostgres("crm_ssl_test", { ssl: true }) : null;
if (server && sslStarted?.reason) console.warn(`SSL tests skipped: ${sslStarted.reason}`);
const sslServer = sslStarted?.pg ?? null;
afterAll(async () => {
  await sslServer?.stop();
});

describe.skipIf(!sslServer)("PostgreSQL over SSL, as libpq connects", () => {
  const base = () => sslServer!.tcpUrl!;
  /** Whether the session of a URL is encrypted, by the server's own account. */
  const encrypted = async (url: string) => {
    const s = await openSession(url);
    try {
      const [[ssl]] = await s.query<[boolean]>(
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
      );
      return ssl;
    } finally {
      await s.close();
    }
  };

  test("no sslmode is prefer: an SSL-only server is reached, encrypted (pg's default, plain, was refused)", async () => {
    expect(await encrypted(base())).toBe(true);
    expect(await encrypted(`${base()}?sslmode=prefer`)).toBe(true);
    expect(await encrypted(`${base()}?sslmode=require`)).toBe(true);
    expect(await encrypted(`${base()}?sslmode=allow`)).toBe(true); // plain refused, then SSL
    const plain = await failure(openSession(`${base()}?sslmode=disable`));
    expect(plain.key).toBe("postgres.error.auth");
    expect(plain.en).toContain("no encryption");
  });

  test("verify-ca and verify-full check the certificate: against its CA they connect, without it they say why", async () => {
    const ca = encodeURIComponent(sslServer!.sslCert!);
    expect(await encrypted(`${base()}?sslmode=verify-full&sslrootcert=${ca}`)).toBe(true);
    expect(await encrypted(`${base()}?sslmode=verify-ca&sslrootcert=${ca}`)).toBe(true);
    const unverified = await failure(openSession(`${base()}?sslmode=verify-full`));
    expect(unverified.key).toBe("postgres.error.sslVerify");
    expect(unverified.en).toMatch(
      /^The certificate of the PostgreSQL server at 127\.0\.0\.1:\d+ could not be verified \(sslmode=verify-full\): .+\. Give the CA that signed it with sslrootcert=FILE, or use sslmode=require to encrypt without verifying\.$/,
    );
    expect(unverified.en + unverified.zh).not.toContain(PG_PASSWORD);
  });

  test("the command line over SSL: the analysis runs, nothing on stderr", async () => {
    // (loaded over the socket: the tests' own pg client makes plain connections)
    await loadTable(sslServer!.url, "ssl_orders", [
      { name: "customer_id", type: "text", values: ["a", "b", "a"] },
      { name: "order_date", type: "date", values: [19000, 19010, 19020] },
      { name: "amount", type: "double precision", values: [10, 20, 30] },
    ]);
    const r = await crm(
      "analyze",
      base(),
      "--table",
      "ssl_orders",
      "--out",
      join(tmp, "ssl"),
      "-q",
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const customers = readFileSync(join(tmp, "ssl", "customers.csv"), "utf8");
    expect(customers.split(/\r?\n/).filter(Boolean)).toHaveLength(3); // header, a, b
  });
});
