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
 *   before it is shown. sslmode and ~/.pgpass are read as libpq reads them (pg-connect.ts),
 *   and PGTZ sets the session's time zone.
 * - Everything runs in one READ ONLY transaction, every query by the extended protocol (one
 *   statement each): a --query cannot change the database, nor add statements of its own.
 * - A statement waits LOCK_TIMEOUT_S for a lock; SIGINT and SIGTERM cancel the running query.
 * - Columns are matched by the same header aliases as a file's (headers.ts ORDER_COLUMNS).
 * - Types are checked before the aggregation: the date must be a date or timestamp (a
 *   timestamp with time zone is taken in the session's time zone, as the server's TimeZone or
 *   PGTZ sets it), amounts, quantities, prices and costs numbers or text (text is read like a
 *   CSV's cells, by the SQL's checks), IDs text or numbers; anything else is refused naming
 *   the column and its type.
 */
import { constants as osConstants } from "node:os";
import pg from "pg";
import {
  connectPlan,
  NO_SSL,
  pgpassPassword,
  type SslAttempt,
  tryNext,
  withoutSsl,
} from "./pg-connect.js";
import type { Dataset, Issue, Lang, Message, RawTable, TableSource } from "../types.js";
import type { Settings } from "../settings.js";
import { emptySummary, fillSummary } from "../summary.js";
import { asTableSource } from "./summary-file.js";
import { grow } from "./csv-scan.js";
import { EngineError, checkedDataset, rowPlace, type Checks } from "./engine-duckdb.js";
import { todayFromClock } from "../dates.js";
import { decideDateOrder, parseNumberText } from "../values.js";
import { UnusableInputError } from "../errors.js";
import { ORDER_COLUMNS, matchColumns, type OrderRole } from "../headers.js";
import { t } from "../messages/index.js";
import {
  checkedRowsQuery,
  checkQuery,
  orderRowsQuery,
  purchaseDaysQuery,
  dateOrderQuery,
  repeatDaysQuery,
  sampleQuery,
  summaryQuery,
  type OrderColumnsSql,
  type OrderSourceSql,
  readRules,
  type ReadRulesSql,
  type SqlColumn,
  type SummaryParams,
  type SqlKind,
} from "../sql/aggregate.js";

/** postgres:// or postgresql:// (any case). */
export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

/** How long a connection may take to be made before it is given up (seconds). */
export const CONNECT_TIMEOUT_S = 15;

/**
 * How long a statement waits for a lock another session holds (seconds) before it gives up,
 * telling which table: a table being altered, vacuumed in full or locked by hand would
 * otherwise keep the run waiting in silence. Reading takes the weakest lock (ACCESS SHARE),
 * which only an ACCESS EXCLUSIVE one blocks; those are rarely held for long.
 */
export const LOCK_TIMEOUT_S = 30;

/**
 * The URL with any password replaced by "***", for messages: the user information ends at the
 * last "@" before the query (a password may hold a raw "@", ":" or "/": pg takes the last "@"),
 * and a `password=` parameter is hidden too.
 */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^?#]*)(.*)$/is.exec(url);
  if (!m) return url;
  const [, scheme, head, query] = m;
  const at = head.lastIndexOf("@");
  const colon = head.indexOf(":");
  // "user:password@host…" (a ":" before the first "@"); "user@host:port" has no password
  const firstAt = head.indexOf("@");
  const user =
    at >= 0 && colon >= 0 && colon < firstAt
      ? `${head.slice(0, colon)}:***${head.slice(at)}`
      : head;
  return scheme + user + query.replace(/([?&]password=)[^&#]*/gi, "$1***");
}

/** What names the server in messages: host and port, or the socket folder; never a password. */
export interface ServerName {
  /** "127.0.0.1:5432", or the socket "/var/run/postgresql/.s.PGSQL.5432": alike in both languages. */
  where: string;
  /** Whether it is a Unix socket (never SSL). */
  socket: boolean;
  user: string;
  database: string;
  password: string | null;
}

/** The server a URL names (pg's own reading of it, PG* environment variables included). */
export function serverName(url: string): ServerName {
  // (its SSL parameters left out: pg would warn about sslmode, and read the files they name)
  const c = clientOf(withoutSsl(url).url, {}, url);
  const host = c.host || "localhost";
  const socket = host.startsWith("/");
  return {
    where: socket
      ? `${host.replace(/\/+$/, "")}/.s.PGSQL.${c.port}`
      : `${host.includes(":") ? `[${host}]` : host}:${c.port}`,
    socket,
    user: c.user ?? "",
    database: c.database ?? c.user ?? "",
    password: typeof c.password === "string" && c.password ? c.password : null,
  };
}

/** pg's client for a URL (not connected); a URL pg cannot read is the user's message. */
function clientOf(url: string, config: pg.ClientConfig = {}, shown = url): pg.Client {
  try {
    return new pg.Client({ ...config, connectionString: url });
  } catch {
    // "Invalid URL" (a port that is no number or beyond 65535, a bad character): the URL,
    // without its password
    throw badUrl(shown);
  }
}

const badUrl = (url: string) =>
  new UnusableInputError({ key: "postgres.error.badUrl", params: { url: redactUrl(url) } });

/** Messages about the URL itself: exit 2 on the command line, as any argument that is wrong. */
const URL_KEYS: ReadonlySet<string> = new Set(["postgres.error.badUrl", "postgres.error.sslMode"]);

/** Whether a message is about the URL itself (an argument: exit 2). */
export const isUrlMessage = (msg: Message): boolean => URL_KEYS.has(msg.key);

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

/** Thrown by the password lookup when the server asks for a password and none is known. */
class NoPasswordError extends Error {}

/** The connection error as the user's message. */
function connectError(
  e: unknown,
  server: ServerName,
  timeoutS: number,
  sslMode: string | null,
): UnusableInputError {
  if (e instanceof UnusableInputError) return e;
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
  if (e instanceof NoPasswordError) return msg("postgres.error.needPassword");
  if (err.code && AUTH_CODES.has(err.code)) return msg("postgres.error.auth");
  if (err.code === NO_DATABASE) return msg("postgres.error.noDatabase");
  if (NO_SSL.test(err.message ?? "") && sslMode)
    return msg("postgres.error.noSsl", { mode: sslMode });
  // Node's TLS errors: an unknown issuer, a self-signed certificate, another host's name …
  if (/CERT|SELF_SIGNED|UNABLE_TO_|ALTNAME/.test(err.code ?? ""))
    return msg("postgres.error.sslVerify", { mode: sslMode ?? "verify-full" });
  if (/timeout/i.test(err.message ?? "") && !err.code)
    return msg("postgres.error.timeout", { seconds: timeoutS });
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

// ---------------------------------------------------------------------------------------------
// The session

/** An open, read-only session with the server, and how to name it in messages. */
export interface PgSession {
  client: pg.Client;
  server: ServerName;
  /** The source being read, once described: a lock timeout names its table. */
  source: PgSource | null;
  /** Run SQL; a server error becomes the user's message ("the query could not be run"). */
  query: <R extends unknown[] = unknown[]>(sql: string, params?: unknown[]) => Promise<R[]>;
  /** The same, with the result's fields. */
  result: (sql: string, params?: unknown[]) => Promise<pg.QueryArrayResult<unknown[]>>;
  /** A query's error as the user's message. */
  fail: (e: unknown) => UnusableInputError;
  /**
   * End the read-only transaction, create these temporary tables empty (name, the query whose
   * columns they take: planned, not run) and start a read-only repeatable-read one, in which
   * the tables are filled (a read-only transaction may write temporary tables, never the
   * database's). False when they could not be made (no TEMP privilege, a standby server).
   */
  stage: (tables: [string, string][]) => Promise<boolean>;
  close: () => Promise<void>;
}

export interface SessionOptions {
  /** Seconds to wait for the connection (CONNECT_TIMEOUT_S). */
  timeoutS?: number;
  /** Seconds a statement waits for a lock (LOCK_TIMEOUT_S). */
  lockTimeoutS?: number;
  /** How the process ends after SIGINT or SIGTERM (128 + the signal's number). */
  exit?: (code: number, signal: NodeJS.Signals) => void;
}

/**
 * Every query goes by the extended protocol (Parse, Bind, Execute), which takes one statement:
 * a --query that closes the wrapper's parenthesis and adds statements of its own (`…) AS x;
 * COMMIT; DROP TABLE t; SELECT * FROM (…`) is refused by the server as a whole, nothing of it
 * run. (pg sends a query without parameters by the simple protocol, which runs them all.)
 */
const EXTENDED = { queryMode: "extended" } as const;

/** Connect and open a READ ONLY transaction. */
export async function openSession(
  url: string,
  options: number | SessionOptions = {},
): Promise<PgSession> {
  const opts: SessionOptions = typeof options === "number" ? { timeoutS: options } : options;
  const timeoutS = opts.timeoutS ?? CONNECT_TIMEOUT_S;
  const lockTimeoutS = opts.lockTimeoutS ?? LOCK_TIMEOUT_S;
  const server = serverName(url);
  const plan = connectPlan(url, server.socket);
  const config = (ssl: SslAttempt, connectS: number): pg.ClientConfig => ({
    connectionTimeoutMillis: connectS * 1000,
    application_name: "crm",
    types: TYPES,
    ...(ssl === undefined ? {} : { ssl }),
  });
  /** A client for one attempt, the password looked up in ~/.pgpass only when the server asks. */
  const makeClient = (ssl: SslAttempt, connectS: number): pg.Client => {
    const c = clientOf(plan.url, config(ssl, connectS));
    const own = c as unknown as { password: unknown; port: number; host: string };
    if (own.password === null || own.password === undefined || own.password === "")
      own.password = async () => {
        const pw = await pgpassPassword({
          host: c.host,
          port: c.port,
          database: c.database ?? server.database,
          user: c.user ?? server.user,
        });
        if (pw === undefined) throw new NoPasswordError("no password");
        return pw;
      };
    return c;
  };
  let client: pg.Client | null = null;
  let used: SslAttempt = undefined;
  let firstError: unknown = null;
  for (const ssl of plan.attempts) {
    const c = makeClient(ssl, timeoutS);
    // a server that goes away later is reported by the query that was waiting, not as a crash
    c.on("error", () => {});
    try {
      await c.connect();
      client = c;
      used = ssl;
      break;
    } catch (e) {
      await c.end().catch(() => {});
      // the first failure is the one to tell, unless it was only that the server takes no SSL
      if (firstError === null || NO_SSL.test((firstError as PgError).message ?? "")) firstError = e;
      if (!tryNext(e, plan)) break;
    }
  }
  if (!client) throw connectError(firstError, server, timeoutS, plan.mode);
  const c = client;

  let interrupted: NodeJS.Signals | null = null;
  const session: PgSession = {
    client: c,
    server,
    source: null,
    query: async <R extends unknown[]>(sql: string, params?: unknown[]): Promise<R[]> =>
      (await session.result(sql, params)).rows as R[],
    result: async (sql, params) => {
      try {
        return await c.query({
          text: sql,
          values: params,
          rowMode: "array",
          ...EXTENDED,
        } as pg.QueryArrayConfig);
      } catch (e) {
        throw session.fail(e);
      }
    },
    fail: (e) => queryError(e, session, lockTimeoutS, interrupted),
    stage: async (tables) => {
      // our own temporary tables, created empty between two read-only transactions
      await session.query("COMMIT");
      const made: string[] = [];
      for (const [name, sql] of tables) {
        try {
          await c.query({
            text: `CREATE TEMPORARY TABLE ${name} AS ${postgresSql(sql)} WITH NO DATA`,
            ...EXTENDED,
          } as pg.QueryConfig);
          made.push(name);
        } catch {
          // no TEMP privilege, a read-only standby: the queries read the source each time
          break;
        }
      }
      await session.query("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      return made.length === tables.length;
    },
    close: async () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await c.query("ROLLBACK").catch(() => {});
      await c.end().catch(() => {});
    },
  };

  /**
   * SIGINT or SIGTERM: the query the server is running is cancelled (pg_cancel_backend from a
   * second connection, as psql's Ctrl-C does by the protocol's cancel request) before the
   * process ends (as the signal would have ended it: 130, 143); left alone, it would run to its
   * end on the server. A second signal ends it at once. When the process has listeners of its
   * own for the signal, they decide whether it ends: the query is only cancelled.
   */
  const exit =
    opts.exit ??
    ((code: number, signal: NodeJS.Signals) => {
      if (process.listenerCount(signal) <= 1) process.exit(code);
    });
  let pid = 0;
  function onSignal(signal: NodeJS.Signals) {
    const code = 128 + (osConstants.signals[signal] ?? 2);
    const end = () => exit(code, signal);
    if (interrupted) return end();
    interrupted = signal;
    const canceller = makeClient(used, 5);
    canceller.on("error", () => {});
    const cancel = canceller
      .connect()
      .then(() => canceller.query({ text: "SELECT pg_cancel_backend($1)", values: [pid] }))
      .catch(() => {})
      .finally(() => canceller.end().catch(() => {}));
    const limit = new Promise((r) => setTimeout(r, 6000).unref());
    void Promise.race([cancel, limit]).then(end);
  }

  try {
    [[pid]] = await session.query<[number]>("SELECT pg_backend_pid()");
    // PGTZ, as libpq sends it: node-pg does not read it (the date of a timestamptz depends on it)
    const zone = process.env.PGTZ;
    if (zone) {
      await c
        .query({ text: "SELECT set_config('TimeZone', $1, false)", values: [zone] })
        .catch((e: unknown) => {
          if ((e as PgError).code !== "22023") throw session.fail(e);
          throw new UnusableInputError({
            key: "postgres.error.timeZone",
            params: { zone, where: server.where },
          });
        });
    }
    await session.query("SELECT set_config('lock_timeout', $1, false)", [
      `${Math.round(lockTimeoutS * 1000)}ms`,
    ]);
    // see postgresSql: the aggregation's joins are hash or merge joins, never nested loops; and
    // one process per query: a parallel sort of the rows by ctid took 7.4 s at 1,000,000 rows,
    // 4.8 s in one process (the check query, measured here)
    await session.query("SET enable_nestloop = off");
    await session.query("SET max_parallel_workers_per_gather = 0");
    await session.query("BEGIN TRANSACTION READ ONLY");
  } catch (e) {
    await c.end().catch(() => {});
    throw e;
  }
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return session;
}

/** SQLSTATEs of a query's errors the messages tell apart. */
const LOCK_NOT_AVAILABLE = "55P03";
const QUERY_CANCELED = "57014";
const SYNTAX_ERROR = "42601";

function queryError(
  e: unknown,
  s: { server: ServerName; source: PgSource | null },
  lockTimeoutS: number,
  interrupted: NodeJS.Signals | null,
): UnusableInputError {
  if (e instanceof UnusableInputError) return e;
  const err = e as PgError;
  const server = s.server;
  const reason = clean(err.message ?? String(e), server);
  const params = { where: server.where, database: server.database, reason };
  const msg = (key: string, extra: Record<string, string | number> = {}) =>
    new UnusableInputError({ key, params: { ...params, ...extra } });
  if (interrupted && err.code === QUERY_CANCELED)
    return msg("postgres.error.interrupted", { signal: interrupted });
  if (err.code === LOCK_NOT_AVAILABLE)
    return s.source && "table" in s.source
      ? msg("postgres.error.lockedTable", { table: s.source.table, seconds: lockTimeoutS })
      : msg("postgres.error.lockedQuery", { seconds: lockTimeoutS });
  if (err.code === SYNTAX_ERROR && /multiple commands/.test(err.message ?? ""))
    return msg("postgres.error.multipleStatements");
  const lost = !err.code || UNREACHABLE.has(err.code) || err.code.startsWith("08");
  return msg(lost ? "postgres.error.lost" : "postgres.error.query");
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
  /** SQL numbering the rows 1, 2, … (a plain table's physical order), null when none. */
  rowNumber: string | null;
  columns: PgColumn[];
}

/**
 * A query as a FROM item: its trailing semicolons and blanks dropped, in parentheses; the
 * closing one on a line of its own, so that a trailing `-- comment` ends before it.
 */
export function queryFrom(q: string): string {
  // the semicolons of its end, also before trailing comments ("…; -- done"), which stay
  const body = q.trim().replace(TRAILING, (tail) => tail.replace(/;/g, " ").trimEnd());
  return `(${body}\n) AS crm_source`;
}

/**
 * A query's end made only of semicolons, blanks and comments (-- to the line's end, /* … *\/).
 * (A string literal at the very end holding ";" and then "--" would lose that semicolon: the
 * server then names the query's error, nothing else is run.)
 */
const TRAILING = /(?:;|\s|--[^\n]*|\/\*[\s\S]*?\*\/)+$/;

/**
 * A relation's name as --table takes it as written (resolveTable): as is when psql would read
 * it unquoted as that name (lower case, digits, _, $ and letters beyond ASCII), else in double
 * quotes ("Orders Mixed", "Sales.Orders": a dot would split it into schema and table).
 */
function nameAsTyped(name: string): string {
  return /^(?:[a-z_]|[^\x00-\x7f])(?:[a-z0-9_$]|[^\x00-\x7f])*$/.test(name)
    ? name
    : `"${name.replace(/"/g, '""')}"`;
}

/**
 * Up to 30 tables, views, materialized views and foreign tables the user may read, for "no
 * such table": those of the current schema first, by name alone, then the others' as
 * schema.name.
 */
async function tableList(s: PgSession): Promise<string> {
  const rows = await s.query<[boolean, string, string]>(
    `SELECT n.nspname = current_schema(), n.nspname, c.relname
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
        AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        AND has_table_privilege(c.oid, 'SELECT')
      ORDER BY n.nspname <> current_schema(), n.nspname COLLATE "C", c.relname COLLATE "C"
      LIMIT 31`,
  );
  const names = rows.map(([here, schema, name]) =>
    here ? nameAsTyped(name) : `${nameAsTyped(schema)}.${nameAsTyped(name)}`,
  );
  return names.length ? names.slice(0, 30).join(", ") + (names.length > 30 ? ", …" : "") : "—";
}

/**
 * The table as a relation: its name as typed (unquoted names fold to lower case, as in psql:
 * `orders`, `sales.orders`), else as one exact name (`Order Lines`, `订单`).
 */
async function resolveTable(
  s: PgSession,
  table: string,
): Promise<{ name: string; kind: string } | null> {
  const quotedWhole = `"${table.replace(/"/g, '""')}"`;
  for (const form of [table, quotedWhole]) {
    // to_regclass fails on a name that cannot be one ("a.b.c.d"): kept from aborting the rest
    await s.query("SAVEPOINT crm_name");
    const [row] = await s
      .query<[string | null, string | null]>(
        `SELECT CAST(r AS text), CAST((SELECT relkind FROM pg_class WHERE oid = r) AS text)
           FROM (SELECT to_regclass($1) AS r) q`,
        [form],
      )
      .catch(async () => {
        await s.query("ROLLBACK TO SAVEPOINT crm_name");
        return [[null, null] as [string | null, string | null]];
      });
    if (row?.[0]) return { name: row[0], kind: row[1] ?? "" };
  }
  return null;
}

/**
 * Row numbers of a plain table (or a materialized view): its rows in their physical order
 * (ctid), the order `SELECT *` and `COPY … TO` give them, which for a table loaded from a file
 * and not updated since is the file's. So a data issue's row is the row of the table's export, and the customers seen only
 * in orders come in the order the in-memory path gives the exported file (the CLV fit adds its
 * groups in that order: the same order gives the same fit to the last digit). Views, other
 * relations and queries have no such order: NULL, and those customers come by ID.
 */
const PHYSICAL_ROW = "row_number() OVER (ORDER BY ctid)";

/** Find the source and list its columns with their types; nothing of its rows is read. */
export async function describeSource(s: PgSession, source: PgSource): Promise<DescribedSource> {
  let from: string;
  let label: Message;
  let name: string;
  let rowNumber: string | null = null;
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
    from = rel.name;
    rowNumber = rel.kind === "r" || rel.kind === "m" ? PHYSICAL_ROW : null;
    name = source.table;
    label = { key: "postgres.source.table", params: { table: source.table } };
  } else {
    from = queryFrom(source.query);
    name = "query";
    label = { key: "postgres.source.query" };
  }
  s.source = source;
  const res = await s.result(`SELECT * FROM ${from} LIMIT 0`);
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
  return { from, label, name, columns, rowNumber };
}

/** Base type OIDs (PostgreSQL's pg_type.dat) and how aggregate.ts reads each. */
const KIND_OF_OID: ReadonlyMap<number, SqlKind> = new Map<number, SqlKind>([
  [21, "integer"], // int2
  [23, "integer"], // int4
  [20, "integer"], // int8
  [700, "float"], // float4
  [701, "float"], // float8
  [1700, "float"], // numeric
  [1082, "date"],
  [1114, "timestamp"],
  [1184, "timestamp"], // timestamptz: its date in the session's time zone
]);

/** How aggregate.ts reads a column of this type; null for a type it cannot read. */
export function kindOfColumn(c: PgColumn): SqlKind | null {
  // string category: text, varchar, char(n), name, citext and domains over them
  return KIND_OF_OID.get(c.baseOid) ?? (c.category === "S" ? "text" : null);
}

type RoleOfSql = Exclude<OrderRole, "product">;
/** The kinds each role takes (as the DuckDB engine's), what it expects, and the cast to offer. */
const ROLE_KINDS: Record<RoleOfSql, { kinds: readonly SqlKind[]; expected: string; cast: string }> =
  {
    customerId: {
      kinds: ["text", "integer", "float"],
      expected: "postgres.expected.text",
      cast: "text",
    },
    orderId: {
      kinds: ["text", "integer", "float"],
      expected: "postgres.expected.text",
      cast: "text",
    },
    date: {
      kinds: ["text", "integer", "date", "timestamp"],
      expected: "postgres.expected.date",
      cast: "date",
    },
    amount: {
      kinds: ["text", "integer", "float"],
      expected: "postgres.expected.number",
      cast: "numeric",
    },
    quantity: {
      kinds: ["text", "integer", "float"],
      expected: "postgres.expected.number",
      cast: "numeric",
    },
    unitPrice: {
      kinds: ["text", "integer", "float"],
      expected: "postgres.expected.number",
      cast: "numeric",
    },
    cost: {
      kinds: ["text", "integer", "float"],
      expected: "postgres.expected.number",
      cast: "numeric",
    },
  };

/**
 * The roles' columns by the header aliases, with how the SQL reads each; throws the reading's
 * "missing columns" message (the columns found listed) or the wrong-type message (the column,
 * its type, what it must be and the cast that would make it so).
 */
export function mapColumns(src: DescribedSource, lang: Lang): OrderColumnsSql {
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
  const col = (role: RoleOfSql): SqlColumn | null => {
    const i = m[role];
    if (i < 0) return null;
    const c = src.columns[i];
    const kind = kindOfColumn(c);
    const spec = ROLE_KINDS[role];
    if (kind !== null && spec.kinds.includes(kind)) return { name: c.name, kind };
    // the hint is a command line: the query in single quotes, a quote in a name as '\''
    const quoted = pg.escapeIdentifier(c.name).replace(/'/g, "'\\''");
    throw new UnusableInputError({
      key: "postgres.error.wrongType",
      params: {
        column: c.name,
        type: c.type,
        source: t(lang, src.label),
        role: t(lang, `postgres.role.${role}`),
        expected: t(lang, spec.expected),
        quoted,
        cast: spec.cast,
        alias: quoted,
      },
    });
  };
  // quantity × price stand in for a missing amount column only
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

/** Refuse a source without a single row (a query that finds nothing, an empty table). */
export async function requireRows(s: PgSession, src: DescribedSource, lang: Lang) {
  const rows = await s.query(`SELECT 1 FROM ${src.from} LIMIT 1`);
  if (rows.length === 0)
    throw new UnusableInputError({
      key: "postgres.error.noRows",
      params: { source: t(lang, src.label), database: s.server.database },
    });
}

// ---------------------------------------------------------------------------------------------
// The run: the aggregation inside the database, the Dataset around its summary

export interface PostgresReadInput {
  url: string;
  source: PgSource;
  customers?: RawTable | TableSource | null;
  interactions?: RawTable | TableSource | null;
  /** The run's date (epoch day); default today. */
  today?: number;
  lang: Lang;
  progress?: (line: string) => void;
}

/** Rows of the sample for the decimal-comma decision (clean.ts looks at as many). */
const DECIMAL_SAMPLE = 1000;

/**
 * aggregate.ts's SQL made fit for PostgreSQL's planner:
 * - each row stage (the CTEs src, s1, s2, s3 before the next stage) ends in OFFSET 0, which
 *   keeps PostgreSQL from folding it into the next: folded, a column used many times (the
 *   date's parts in the day's arithmetic, the day in every check) is recomputed each time —
 *   30,000 text rows took 4 minutes for the check query, 0.4 s fenced; kept MATERIALIZED
 *   instead, 1,000,000 rows took 6.5 s to check, 1.8 s with OFFSET 0 (measured on this
 *   machine);
 * - (set in openSession) no nested loops: it cannot know how many rows a CTE holds, guesses
 *   one, and joined 3,000 customers' first days with 20,000 purchase days by a nested loop (9 s
 *   here; quadratic in customers).
 * Results are the same; only the plan changes. Also what `crm sql --dialect postgres` prints.
 */
export function postgresSql(sql: string): string {
  return (
    sql
      .replace(/\n\),\n(s\d+|chk) AS /g, "\n  OFFSET 0\n),\n$1 AS ")
      // dateOrderQuery: its year-last rows (q) and their two readings (yl); unfenced, the
      // pattern test and the date's parts were worked out again in each count (363,000
      // DD.MM.YYYY rows: 17.9 s, fenced 1.1 s; the same counts)
      .replace(
        /(\n {8}WHERE [^\n]*)\) q\n\)\nSELECT count\(/,
        "$1 OFFSET 0) q\n  OFFSET 0\n)\nSELECT count(",
      )
  );
}

/** Column values of a result by name, NULL as null. */
async function columnsOf(s: PgSession, sql: string): Promise<Record<string, unknown[]>> {
  const res = await s.result(postgresSql(sql));
  const out: Record<string, unknown[]> = {};
  res.fields.forEach((f, j) => {
    out[f.name] = res.rows.map((r) => r[j] ?? null);
  });
  return out;
}

/**
 * The per-customer summary's result as columns, streamed: each row goes into typed columns
 * (NULL as NaN) as it arrives, and no row is kept, so a million customers' summary is a few
 * typed arrays, not a million row arrays.
 */
async function streamedColumns(
  s: PgSession,
  sql: string,
): Promise<Record<string, ArrayLike<unknown>>> {
  return new Promise((done, fail) => {
    const q = new pg.Query<unknown[]>({
      text: postgresSql(sql),
      rowMode: "array",
      ...EXTENDED,
    } as pg.QueryConfig);
    let names: string[] = [];
    let text = -1;
    let cols: Float64Array[] = [];
    const ids: string[] = [];
    let n = 0;
    const start = (fields: { name: string }[]) => {
      names = fields.map((f) => f.name);
      text = names.indexOf("customer_id");
      cols = names.map(() => new Float64Array(1024));
    };
    q.on("row", (row: unknown[], result?: { fields: { name: string }[] }) => {
      if (n === 0 && result) start(result.fields);
      if (n === cols[0].length) cols = cols.map((c) => grow(c, c.length * 2));
      for (let j = 0; j < row.length; j++) {
        const v = row[j];
        if (j === text) ids.push(String(v));
        else cols[j][n] = v === null || v === undefined ? NaN : Number(v);
      }
      n++;
    });
    q.on("error", (e: unknown) => fail(s.fail(e)));
    q.on("end", (result?: { fields: { name: string }[] }) => {
      if (n === 0 && result) start(result.fields);
      const out: Record<string, ArrayLike<unknown>> = {};
      names.forEach((name, j) => {
        out[name] = j === text ? ids : cols[j].subarray(0, n);
      });
      done(out);
    });
    void s.client.query(q);
  });
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The reading rules of the source, as clean.ts decides them per column: the day/month order of
 * year-last text dates from the whole column (one count in the database), a decimal comma from
 * the first DECIMAL_SAMPLE prices when they are text. Typed columns need neither.
 */
async function prepareRules(
  s: PgSession,
  src: OrderSourceSql,
  name: string,
  settings: Settings,
  today: number,
): Promise<{ rules: ReadRulesSql; notes: Issue[] }> {
  const cols = src.columns;
  const notes: Issue[] = [];
  const note = (column: string, key: string) =>
    notes.push({
      source: name,
      row: 0,
      column,
      value: "",
      reason: { key, params: { column } },
      severity: "warning",
    });
  const rules: ReadRulesSql = readRules(settings, today);
  const fallback = rules.dateOrder;
  if (settings.dateOrder === "auto" && cols.date.kind === "text") {
    const o = await columnsOf(s, dateOrderQuery(src, "postgres"));
    const verdict = decideDateOrder({
      mdy: Number(o.mdy[0]),
      dmy: Number(o.dmy[0]),
      ambiguous: Number(o.ambiguous[0]),
    });
    if (verdict === "mdy" || verdict === "dmy") rules.dateOrder = verdict;
    else if (verdict !== "none")
      note(
        cols.date.name,
        `reading.dateOrder${verdict === "ambiguous" ? "Assumed" : "Conflict"}.${fallback}`,
      );
  }
  const price = cols.amount ?? cols.unitPrice;
  if (!rules.decimalComma && price?.kind === "text") {
    const r = await columnsOf(s, sampleQuery(src, rules, "postgres", DECIMAL_SAMPLE));
    const texts = (cols.amount ? r.amt_t : r.price_t) as string[];
    const values = cols.amount ? r.amt_v : r.price_v;
    let filled = 0;
    let bad = 0;
    let badComma = 0;
    texts.forEach((t, k) => {
      if (!t) return;
      filled++;
      if (num(values[k]) === null) bad++;
      const c = parseNumberText(t, 0, t.length, { decimalComma: true });
      if (c !== c) badComma++;
    });
    if (filled > 0 && bad * 2 >= filled && badComma * 10 <= filled) {
      rules.decimalComma = true;
      note(price.name, "reading.decimalCommaAssumed");
    }
  }
  return { rules, notes };
}

async function runChecks(
  s: PgSession,
  src: OrderSourceSql,
  rules: ReadRulesSql,
  asOf: number | null,
): Promise<Checks> {
  const r = await columnsOf(s, checkQuery(src, rules, "postgres", asOf));
  const out: Checks = { counts: new Map(), examples: [], fig: {} };
  for (let k = 0; k < (r.kind?.length ?? 0); k++) {
    const reason = String(r.reason[k]);
    if (r.kind[k] === "count") out.counts.set(reason, Number(r.n[k]));
    else if (r.kind[k] === "figure") out.fig[reason] = num(r.n[k]);
    else
      out.examples.push({
        reason,
        col: String(r.col[k] ?? ""),
        rn: num(r.rn[k]),
        value: String(r.value[k] ?? ""),
      });
  }
  // a table has no row numbers: examples in the order of their values, so runs agree
  out.examples.sort((a, b) => (a.rn ?? 0) - (b.rn ?? 0) || (a.value < b.value ? -1 : 1));
  return out;
}

/**
 * The Dataset of a run whose orders are in PostgreSQL: the aggregation runs in the database
 * (check query, then the summary and the repeat days at the as-of date), customers and
 * interactions are read from their files. Customers seen only in orders follow the Customers
 * table's in the order of their first row (a plain table's physical order, PHYSICAL_ROW), or by
 * customer ID (a query, a view).
 */
export async function readPostgres(input: PostgresReadInput, settings: Settings): Promise<Dataset> {
  const say = input.progress ?? (() => {});
  // a URL that is none, an sslmode that is none: a wrong argument (exit 2)
  const asArgument = (e: unknown) =>
    e instanceof UnusableInputError && isUrlMessage(e.msg) ? new EngineError(e.msg, 2) : e;
  let server: ServerName;
  try {
    server = serverName(input.url);
  } catch (e) {
    throw asArgument(e);
  }
  say(t(input.lang, { key: "postgres.progress.connecting", params: { where: server.where } }));
  const s = await openSession(input.url).catch((e: unknown) => {
    throw asArgument(e);
  });
  try {
    const described = await describeSource(s, input.source);
    const columns = mapColumns(described, input.lang);
    await requireRows(s, described, input.lang);
    const src: OrderSourceSql = {
      relation: described.from,
      rowNumber: described.rowNumber,
      columns,
    };
    const name = described.name;
    const today = input.today ?? todayFromClock();
    say(
      t(input.lang, {
        key: "postgres.progress.aggregating",
        params: { source: t(input.lang, described.label) },
      }),
    );
    const { rules, notes } = await prepareRules(s, src, name, settings, today);
    // the row checks once, into a temporary table the queries read, and the purchase days
    // likewise (three passes over the source otherwise: at 1,000,000 rows the run took 35 s,
    // 13-18 s staged; README "Orders in PostgreSQL")
    const dummy = { asOf: 0, windowDays: settings.lifecycle.windowDays, prefixIsNumbering: false };
    const checked = { ...src, checked: "crm_checked" };
    const staged = await s.stage([
      ["crm_checked", checkedRowsQuery(src, rules, "postgres")],
      ["crm_orders", orderRowsQuery(checked, rules, "postgres", dummy)],
      [
        "crm_days",
        purchaseDaysQuery(checked, rules, "postgres", { ...dummy, orderRows: "crm_orders" }),
      ],
    ]);
    if (staged) {
      await s.query(
        `INSERT INTO crm_checked ${postgresSql(checkedRowsQuery(src, rules, "postgres"))}`,
      );
      src.checked = "crm_checked";
    }
    const checks = await runChecks(s, src, rules, settings.asOf);
    const customers = asTableSource(input.customers);
    const { ds, issues, counts, prefixIsNumbering } = checkedDataset({
      name,
      checks,
      notes,
      today,
      // row rn of the table's export, after its header line; a query's rows have no number
      place: rowPlace(name),
      customers,
      interactions: asTableSource(input.interactions),
      orderIdColumn: columns.orderId?.name ?? null,
      settings,
    });
    const maxDay = checks.fig.max_day ?? NaN;
    const asOf = settings.asOf ?? maxDay;
    const p: SummaryParams = {
      asOf,
      windowDays: settings.lifecycle.windowDays,
      prefixIsNumbering,
    };
    if (staged) {
      // the usable rows with cancellations settled, then their per-day purchases
      await s.query(
        `INSERT INTO crm_orders ${postgresSql(orderRowsQuery(src, rules, "postgres", p))}`,
      );
      p.orderRows = "crm_orders";
      await s.query(
        `INSERT INTO crm_days ${postgresSql(purchaseDaysQuery(src, rules, "postgres", p))}`,
      );
      p.purchaseDays = "crm_days";
    }
    const cols = await streamedColumns(s, summaryQuery(src, rules, "postgres", p));
    const rep = await columnsOf(s, repeatDaysQuery(src, rules, "postgres", p));
    say(
      t(input.lang, {
        key: "postgres.progress.received",
        params: { customers: cols.customer_id.length },
      }),
    );
    return withSummary(ds, {
      name,
      columns,
      cols,
      rep,
      issues,
      counts,
      asOf,
      windowDays: p.windowDays,
      maxDay,
      afterAsOf: settings.asOf === null ? 0 : (checks.fig.after_as_of ?? 0),
      customersSource: customers?.source ?? null,
    });
  } finally {
    await s.close();
  }
}

/**
 * The Dataset with the summary's customers appended (those not in the Customers table, in the
 * summary's order, each a warning when there is a Customers table) and the summary filled.
 */
function withSummary(
  ds: Dataset,
  r: {
    name: string;
    columns: OrderColumnsSql;
    cols: Record<string, ArrayLike<unknown>>;
    rep: Record<string, unknown[]>;
    issues: Issue[];
    counts: Dataset["counts"];
    asOf: number;
    windowDays: number;
    maxDay: number;
    afterAsOf: number;
    customersSource: string | null;
  },
): Dataset {
  const ids = ds.customerIds;
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const summaryIds = r.cols.customer_id as string[];
  const at = new Int32Array(summaryIds.length);
  for (let k = 0; k < summaryIds.length; k++) {
    const id = summaryIds[k];
    let c = index.get(id);
    if (c === undefined) {
      c = ids.push(id) - 1;
      ds.records.push(null);
      index.set(id, c);
      // NaN (streamed NULL): a row without a number
      const first = r.cols.first_row?.[k];
      const row = first === null || first === undefined || first !== first ? 0 : 1 + Number(first);
      if (r.customersSource !== null)
        r.issues.push({
          source: r.name,
          row,
          column: r.columns.customerId.name,
          value: id,
          reason: { key: "reading.unknownCustomer", params: { table: r.customersSource } },
          severity: "warning",
        });
    }
    at[k] = c;
  }
  const hasCost = r.columns.cost !== null;
  const s = emptySummary(ids.length, r.asOf, r.windowDays, hasCost);
  fillSummary(s, r.cols, at);
  s.lastDataDay = r.maxDay;
  s.afterAsOf = r.afterAsOf;
  s.repeatDays = {
    day: Int32Array.from(r.rep.day ?? [], Number),
    n: Int32Array.from(r.rep.n ?? [], Number),
  };
  return {
    ...ds,
    orders: { ...ds.orders, cost: hasCost ? new Float64Array(0) : null },
    issues: r.issues,
    counts: r.counts,
    hasCost,
    maxDay: r.maxDay,
    summary: s,
  };
}
