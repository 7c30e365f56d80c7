/**
 * `crm sql` (issue 19 §3): the per-customer order summary as SQL, for an analyst to run where
 * the orders are (a warehouse: BigQuery, Spark, Snowflake …), export as Parquet or CSV and
 * feed back with `crm analyze --summary FILE --as-of DATE` (summary-file.ts).
 *
 *   crm sql --dialect postgres|duckdb --table orders --as-of 2024-01-01 [--columns LIST]
 *   crm sql postgres://user@host/db --table orders --as-of 2024-01-01   (columns from the table)
 *
 * The columns: from the database when a postgres:// URL is given (exactly what `crm analyze
 * postgres://…` runs), else --columns "name[:kind],…" matched by the header aliases as for any
 * file (kinds text, integer, float, date, timestamp; by default IDs are text, the date a date,
 * amounts, quantities, prices and costs float), else the usual warehouse names
 * customer_id, order_id, order_date, amount.
 *
 * What the SQL cannot know ahead is fixed here and said in its header: an order ID "C" + digit
 * is a cancellation (in memory, when EVERY order ID has the prefix, it is a numbering scheme
 * instead); the as-of date is the one given (required: --summary needs the same).
 */
import { t } from "../messages/index.js";
import type { Lang } from "../types.js";
import type { Settings } from "../settings.js";
import { isoDay } from "../dates.js";
import { ORDER_COLUMNS, matchColumns } from "../headers.js";
import { UnusableInputError } from "../errors.js";
import {
  quoteIdent,
  SQL_KINDS,
  SQL_LAST_DAY,
  summaryQuery,
  type OrderColumnsSql,
  type SqlColumn,
  type SqlKind,
} from "../sql/aggregate.js";
import { DIALECTS, type Dialect } from "../sql/dialect.js";
import {
  describeSource,
  mapColumns,
  openSession,
  queryFrom,
  postgresSql,
  type PgSource,
} from "./engine-postgres.js";

export const isDialect = (x: unknown): x is Dialect => DIALECTS.includes(x as Dialect);

/** The usual warehouse column names, when neither a database nor --columns says otherwise. */
export const DEFAULT_COLUMNS = "customer_id,order_id,order_date:date,amount:float";

export interface SqlOptions {
  dialect: Dialect;
  source: PgSource;
  /** A postgres:// URL to read the source's columns from (then the dialect is postgres). */
  url?: string;
  /** "name[:kind],…" (DEFAULT_COLUMNS when absent and no URL). */
  columns?: string;
  settings: Settings;
  lang: Lang;
}

const DEFAULT_KIND: Record<keyof OrderColumnsSql, SqlKind> = {
  customerId: "text",
  orderId: "text",
  date: "date",
  amount: "float",
  quantity: "float",
  unitPrice: "float",
  cost: "float",
};

/** The roles' columns from a "name[:kind],…" list. */
export function columnsFromList(list: string, table: string): OrderColumnsSql {
  const given = list
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const m = /^(.*?)(?::(\w+))?$/.exec(x)!;
      const kind = m[2]?.toLowerCase();
      if (kind !== undefined && !SQL_KINDS.includes(kind as SqlKind))
        throw new UnusableInputError({
          key: "sql.error.kind",
          params: { column: m[1], kind: m[2], allowed: SQL_KINDS.join(", ") },
        });
      return { name: m[1].trim(), kind: kind as SqlKind | undefined };
    });
  const names = given.map((g) => g.name);
  const m = matchColumns(names, ORDER_COLUMNS);
  const missing: string[] = [];
  if (m.customerId < 0) missing.push("customerId");
  if (m.date < 0) missing.push("date");
  if (m.amount < 0 && !(m.quantity >= 0 && m.unitPrice >= 0)) missing.push("amount");
  if (missing.length)
    throw new UnusableInputError({
      key: `reading.missing.orders.${missing.join("_")}`,
      params: { table, found: names.join(", ") || "—" },
    });
  const col = (role: keyof OrderColumnsSql): SqlColumn | null => {
    const i = m[role];
    return i < 0 ? null : { name: given[i].name, kind: given[i].kind ?? DEFAULT_KIND[role] };
  };
  const amount = col("amount");
  return {
    customerId: col("customerId")!,
    date: col("date")!,
    amount,
    quantity: amount ? null : col("quantity"),
    unitPrice: amount ? null : col("unitPrice"),
    orderId: col("orderId"),
    cost: col("cost"),
  };
}

/**
 * A table name as the FROM item: dotted plain names as written (BigQuery's
 * project.dataset.table, a schema's table), anything else quoted as one name.
 */
export function tableRelation(table: string): string {
  return /^[A-Za-z_][\w$-]*(\.[A-Za-z_][\w$-]*)*$/.test(table) ? table : quoteIdent(table);
}

/** The summary SQL with its explanatory header, ready to print. */
export async function summarySql(o: SqlOptions): Promise<string> {
  const asOf = o.settings.asOf;
  if (asOf === null) throw new UnusableInputError({ key: "sql.error.needsAsOf" });
  let columns: OrderColumnsSql;
  let relation: string;
  let rowNumber: string | null = null;
  const name = "table" in o.source ? o.source.table : "query";
  if (o.url) {
    const s = await openSession(o.url);
    try {
      const d = await describeSource(s, o.source);
      columns = mapColumns(d, o.lang);
      relation = d.from;
      rowNumber = d.rowNumber;
    } finally {
      await s.close();
    }
  } else {
    columns = columnsFromList(o.columns ?? DEFAULT_COLUMNS, name);
    relation = "table" in o.source ? tableRelation(o.source.table) : queryFrom(o.source.query);
  }
  const rules = {
    lastOrderDay: SQL_LAST_DAY,
    dateOrder:
      o.settings.dateOrder === "auto" ? o.settings.dateOrderFallback : o.settings.dateOrder,
    decimalComma: o.settings.decimalComma,
  };
  const windowDays = o.settings.lifecycle.windowDays;
  const sql = summaryQuery({ relation, rowNumber, columns }, rules, o.dialect, {
    asOf,
    windowDays,
    prefixIsNumbering: false,
  });
  const header = t(o.lang, {
    key: "sql.header",
    params: {
      dialect: o.dialect,
      asOf: isoDay(asOf),
      window: windowDays,
      columns: Object.entries(columns)
        .filter(([, c]) => c !== null)
        .map(([role, c]) => `${role} = ${(c as SqlColumn).name} (${(c as SqlColumn).kind})`)
        .join(", "),
    },
  })
    .split("\n")
    .map((l) => `-- ${l}`.trimEnd())
    .join("\n");
  return `${header}\n${o.dialect === "postgres" ? postgresSql(sql) : sql};\n`;
}
