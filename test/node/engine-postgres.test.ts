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
import { UnusableInputError } from "../../analysis/errors.js";
import { t } from "../../analysis/messages/index.js";
import {
  describeSource,
  mapColumns,
  openSession,
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
  type TestPostgres,
} from "../helpers/postgres.js";

const started = await startPostgres("crm_engine_test");
if (started.reason) console.warn(`engine-postgres tests skipped: ${started.reason}`);
const server = started.pg as TestPostgres;

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
    await loadTable(server.url, "orders_text_date", [
      { name: "customer_id", type: "text", values: ["a"] },
      { name: "order_date", type: "text", values: ["2024-01-05"] },
      { name: "amount", type: "numeric", values: [10] },
    ]);
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
  afterAll(async () => {
    await server?.stop();
  });

  test("a wrong password: the login refused, the user named, the password never shown", async () => {
    if (!server.tcpUrl) return; // CRM_TEST_PG_TCP not given: no password login to refuse
    const wrong = server.tcpUrl.replace(`:${PG_PASSWORD}@`, ":not-the-Pa55word@");
    const f = await failure(openSession(wrong));
    expect(f.key).toBe("postgres.error.auth");
    expect(f.en).toContain(`${server.tcp!.host}:${server.tcp!.port}`);
    expect(f.en).toContain("“crm”");
    for (const x of [f.en, f.zh]) {
      expect(x).not.toContain("not-the-Pa55word");
      expect(x).not.toContain(PG_PASSWORD);
    }
  });

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
    expect(mapColumns(d, "en")).toMatchObject({
      customerId: "Customer ID",
      date: "Order Date",
      amount: "Amount",
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
    const d = await describeSource(s, { table: "orders_text_date" });
    const f = await failure(Promise.resolve().then(() => mapColumns(d, "en")));
    expect(f.key).toBe("postgres.error.wrongType");
    expect(f.en).toContain("Column “order_date” of the table “orders_text_date” is of type text");
    expect(f.en).toContain("must be a date or a timestamp");
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
