/**
 * Orders that live in PostgreSQL (issue 19 §3): `crm analyze postgres://user@host/db --table
 * orders` (or `--query "SELECT …"`) runs the order aggregation (analysis/sql/aggregate.ts,
 * dialect "postgres") inside the database. The order rows never leave it: what is fetched is
 * the column listing (a `LIMIT 0` query), whether there is one row at all (`LIMIT 1`, no
 * values), the type names of the columns, and the aggregate results (one row per customer, the
 * row checks' counts and first examples, the whole-table figures).
 *
 * - Connection URLs: postgres:// and postgresql://, with a host (TCP) or a Unix socket folder
 *   (`postgres:///db?host=/var/run/postgresql`); the usual PG* environment variables fill what
 *   the URL leaves out, as for psql. The password is never shown: the server is named as
 *   "host:port" (or the socket folder), and every server message is cleaned of the password
 *   before it is shown.
 * - Everything runs in one READ ONLY transaction: a --query cannot change the database.
 * - Columns are matched by the same header aliases as a file's (headers.ts ORDER_COLUMNS).
 * - Types are checked before the aggregation: the date must be a date or timestamp (a
 *   timestamp with time zone is taken in the session's time zone, as the server's TimeZone or
 *   PGTZ sets it), amounts, quantities, prices and costs numbers or text (text is read like a
 *   CSV's cells, by the SQL's checks), IDs text or numbers; anything else is refused naming
 *   the column and its type.
 */
import pg from "pg";
import type { Lang, Message } from "../types.js";
import { UnusableInputError } from "../errors.js";
import { ORDER_COLUMNS, matchColumns, type OrderRole } from "../headers.js";
import { t } from "../messages/index.js";

/** postgres:// or postgresql:// (any case). */
export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

/** How long a connection may take to be made before it is given up (seconds). */
export const CONNECT_TIMEOUT_S = 15;

/** The URL with any password replaced by "***", for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/?#@]*):[^@/?#]*@/i, "$1:***@");
}

/** What names the server in messages: host and port, or the socket folder; never a password. */
export interface ServerName {
  /** "127.0.0.1:5432", or the socket "/var/run/postgresql/.s.PGSQL.5432": alike in both languages. */
  where: string;
  user: string;
  database: string;
  password: string | null;
}

/** The server a URL names (pg's own reading of it, PG* environment variables included). */
export function serverName(url: string): ServerName {
  const c = new pg.Client({ connectionString: url });
  const host = c.host || "localhost";
  const socket = host.startsWith("/");
  return {
    where: socket
      ? `${host.replace(/\/+$/, "")}/.s.PGSQL.${c.port}`
      : `${host.includes(":") ? `[${host}]` : host}:${c.port}`,
    user: c.user ?? "",
    database: c.database ?? c.user ?? "",
    password: typeof c.password === "string" && c.password ? c.password : null,
  };
}

/** A server message without the password (also percent-encoded), nor its trailing period. */
function clean(text: string, server: ServerName): string {
  let s = String(text ?? "").trim();
  const pw = server.password;
  if (pw) {
    for (const form of new Set([pw, encodeURIComponent(pw)])) s = s.split(form).join("***");
  }
  return s.replace(/\.+$/, "");
}

interface PgError {
  code?: string;
  message?: string;
}

/** SQLSTATE classes and codes (PostgreSQL's Appendix A) the messages tell apart. */
const AUTH_CODES = new Set(["28P01", "28000"]);
const NO_DATABASE = "3D000";
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
  "ENOENT",
  "EACCES",
  "ETIMEDOUT",
]);

/** The connection error as the user's message. */
function connectError(e: unknown, server: ServerName): UnusableInputError {
  const err = e as PgError;
  const reason = clean(err.message ?? String(e), server);
  const msg = (key: string, extra: Record<string, string | number> = {}) =>
    new UnusableInputError({
      key,
      params: {
        where: server.where,
        user: server.user,
        database: server.database,
        reason,
        ...extra,
      },
    });
  if (err.code && AUTH_CODES.has(err.code)) return msg("postgres.error.auth");
  if (err.code === NO_DATABASE) return msg("postgres.error.noDatabase");
  if (/timeout/i.test(err.message ?? "") && !err.code)
    return msg("postgres.error.timeout", { seconds: CONNECT_TIMEOUT_S });
  if (err.code && UNREACHABLE.has(err.code)) return msg("postgres.error.unreachable");
  return msg("postgres.error.connect");
}

/** int8 (counts), numeric and float results as JS numbers; dates and times as their text. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    if (oid === 1082 || oid === 1114 || oid === 1184) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** An open, read-only session with the server, and how to name it in messages. */
export interface PgSession {
  client: pg.Client;
  server: ServerName;
  /** Run SQL; a server error becomes the user's message ("the query could not be run"). */
  query: <R extends unknown[] = unknown[]>(sql: string, params?: unknown[]) => Promise<R[]>;
  close: () => Promise<void>;
}

/** Connect and open a READ ONLY transaction. */
export async function openSession(url: string): Promise<PgSession> {
  const server = serverName(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_S * 1000,
    application_name: "crm",
    types: TYPES,
  });
  // a server that goes away later is reported by the query that was waiting, not as a crash
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw connectError(e, server);
  }
  const query = async <R extends unknown[]>(sql: string, params?: unknown[]): Promise<R[]> => {
    try {
      const res = await client.query<R>({ text: sql, values: params, rowMode: "array" });
      return res.rows;
    } catch (e) {
      throw queryError(e, server);
    }
  };
  await query("BEGIN TRANSACTION READ ONLY");
  return {
    client,
    server,
    query,
    close: async () => {
      await client.query("ROLLBACK").catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

function queryError(e: unknown, server: ServerName): UnusableInputError {
  const err = e as PgError;
  const reason = clean(err.message ?? String(e), server);
  const lost = !err.code || UNREACHABLE.has(err.code) || err.code.startsWith("08");
  return new UnusableInputError({
    key: lost ? "postgres.error.lost" : "postgres.error.query",
    params: { where: server.where, database: server.database, reason },
  });
}

/** Where the orders are: a table (or view) by name, or a query. */
export type PgSource = { table: string } | { query: string };

/** A column of the source: its name and its type as Postgres spells it. */
export interface PgColumn {
  name: string;
  type: string;
  /** The base type's OID (through domains), for the type checks. */
  baseOid: number;
  /** The base type's category (pg_type.typcategory: N numeric, S string, D date/time …). */
  category: string;
}

export interface DescribedSource {
  /** The FROM item of the aggregation: a quoted relation name, or the query in parentheses. */
  from: string;
  /** How messages name it ("the table “orders”" / "the query"). */
  label: Message;
  /** The name tables and data issues carry: the table's name, or "query". */
  name: string;
  columns: PgColumn[];
}

/** A query as a FROM item: its trailing semicolons and blanks dropped, in parentheses. */
function queryFrom(q: string): string {
  return `(${q.trim().replace(/[;\s]+$/, "")}) AS crm_source`;
}

/** Up to 30 tables and views of the search path, for "no such table". */
async function tableList(s: PgSession): Promise<string> {
  const rows = await s.query<[string]>(
    `SELECT CASE WHEN table_schema = current_schema() THEN table_name
                 ELSE table_schema || '.' || table_name END
       FROM information_schema.tables
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY table_schema <> current_schema(), 1
      LIMIT 31`,
  );
  const names = rows.map((r) => r[0]);
  return names.length ? names.slice(0, 30).join(", ") + (names.length > 30 ? ", …" : "") : "—";
}

/**
 * The table as a relation: its name as typed (unquoted names fold to lower case, as in psql:
 * `orders`, `sales.orders`), else as one exact name (`Order Lines`, `订单`).
 */
async function resolveTable(s: PgSession, table: string): Promise<string | null> {
  const quotedWhole = `"${table.replace(/"/g, '""')}"`;
  for (const form of [table, quotedWhole]) {
    // to_regclass fails on a name that cannot be one ("a.b.c.d"): kept from aborting the rest
    await s.query("SAVEPOINT crm_name");
    const [row] = await s
      .query<[string | null]>("SELECT CAST(to_regclass($1) AS text)", [form])
      .catch(async () => {
        await s.query("ROLLBACK TO SAVEPOINT crm_name");
        return [[null] as [string | null]];
      });
    if (row?.[0]) return row[0];
  }
  return null;
}

/** Find the source and list its columns with their types; nothing of its rows is read. */
export async function describeSource(s: PgSession, source: PgSource): Promise<DescribedSource> {
  let from: string;
  let label: Message;
  let name: string;
  if ("table" in source) {
    const rel = await resolveTable(s, source.table);
    if (!rel)
      throw new UnusableInputError({
        key: "postgres.error.noTable",
        params: {
          table: source.table,
          database: s.server.database,
          where: s.server.where,
          tables: await tableList(s),
        },
      });
    from = rel;
    name = source.table;
    label = { key: "postgres.source.table", params: { table: source.table } };
  } else {
    from = queryFrom(source.query);
    name = "query";
    label = { key: "postgres.source.query" };
  }
  const res = await s.client
    .query({ text: `SELECT * FROM ${from} LIMIT 0`, rowMode: "array" })
    .catch((e: unknown) => {
      throw queryError(e, s.server);
    });
  const oids = [...new Set(res.fields.map((f) => f.dataTypeID))];
  const types = await s.query<[number, string, number, string]>(
    `SELECT t.oid, format_type(t.oid, NULL),
            CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END,
            CAST(coalesce(b.typcategory, t.typcategory) AS text)
       FROM pg_type t LEFT JOIN pg_type b ON b.oid = t.typbasetype AND t.typtype = 'd'
      WHERE t.oid = ANY($1)`,
    [oids],
  );
  const byOid = new Map(types.map((r) => [Number(r[0]), r]));
  const columns = res.fields.map((f) => {
    const t = byOid.get(f.dataTypeID);
    return {
      name: f.name,
      type: t?.[1] ?? String(f.dataTypeID),
      baseOid: Number(t?.[2] ?? f.dataTypeID),
      category: t?.[3] ?? "X",
    };
  });
  return { from, label, name, columns };
}

/** The order roles' columns by name (null when the source has none). */
export type PgOrderColumns = Record<OrderRole, string | null>;

/** Base type OIDs (pg_type.dat): what each kind of role accepts. */
const DATE_OIDS = new Set([1082, 1114, 1184]); // date, timestamp, timestamptz
const NUMBER_OIDS = new Set([20, 21, 23, 700, 701, 1700]); // int8 int2 int4 float4 float8 numeric
const UUID_OID = 2950;
const ROLE_KIND: Record<OrderRole, "id" | "date" | "number" | "any"> = {
  orderId: "id",
  customerId: "id",
  date: "date",
  amount: "number",
  quantity: "number",
  unitPrice: "number",
  cost: "number",
  product: "any",
};

const accepts = (kind: (typeof ROLE_KIND)[OrderRole], c: PgColumn): boolean => {
  switch (kind) {
    case "date":
      return DATE_OIDS.has(c.baseOid);
    case "number":
      return NUMBER_OIDS.has(c.baseOid) || c.category === "S";
    case "id":
      return NUMBER_OIDS.has(c.baseOid) || c.category === "S" || c.baseOid === UUID_OID;
    case "any":
      return true;
  }
};

/** The cast a query would need, shown in the wrong-type message. */
const CAST_FOR: Record<(typeof ROLE_KIND)[OrderRole], string> = {
  date: "date",
  number: "numeric",
  id: "text",
  any: "text",
};
const EXPECTED: Record<(typeof ROLE_KIND)[OrderRole], string> = {
  date: "postgres.expected.date",
  number: "postgres.expected.number",
  id: "postgres.expected.text",
  any: "postgres.expected.text",
};

/**
 * The roles' columns by the header aliases; throws the reading's "missing columns" message
 * (columns found listed) or the wrong-type message (column, its type, what it must be).
 */
export function mapColumns(src: DescribedSource, lang: Lang): PgOrderColumns {
  const names = src.columns.map((c) => c.name);
  const m = matchColumns(names, ORDER_COLUMNS);
  const missing: string[] = [];
  if (m.customerId < 0) missing.push("customerId");
  if (m.date < 0) missing.push("date");
  if (m.amount < 0 && !(m.quantity >= 0 && m.unitPrice >= 0)) missing.push("amount");
  if (missing.length)
    throw new UnusableInputError({
      key: `reading.missing.orders.${missing.join("_")}`,
      params: { table: src.name, found: names.join(", ") || "—" },
    });
  // quantity × price only stand in for a missing amount column
  const used = (role: OrderRole) =>
    (role === "quantity" || role === "unitPrice") && m.amount >= 0 ? -1 : m[role];
  const out = {} as PgOrderColumns;
  for (const role of Object.keys(ORDER_COLUMNS) as OrderRole[]) {
    const i = used(role);
    out[role] = i >= 0 ? names[i] : null;
    if (i < 0) continue;
    const c = src.columns[i];
    const kind = ROLE_KIND[role];
    if (accepts(kind, c)) continue;
    const quoted = pg.escapeIdentifier(c.name);
    throw new UnusableInputError({
      key: "postgres.error.wrongType",
      params: {
        column: c.name,
        type: c.type,
        source: renderLabel(src.label, lang),
        role: t(lang, `postgres.role.${role}`),
        expected: t(lang, EXPECTED[kind]),
        quoted,
        cast: CAST_FOR[kind],
        alias: quoted,
      },
    });
  }
  return out;
}

const renderLabel = (m: Message, lang: Lang) => t(lang, m);

/** Refuse a source without a single row (a query that finds nothing, an empty table). */
export async function requireRows(s: PgSession, src: DescribedSource, lang: Lang) {
  const rows = await s.query(`SELECT 1 FROM ${src.from} LIMIT 1`);
  if (rows.length === 0)
    throw new UnusableInputError({
      key: "postgres.error.noRows",
      params: { source: renderLabel(src.label, lang), database: s.server.database },
    });
}
