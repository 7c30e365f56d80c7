/**
 * A PostgreSQL server for the tests that need one (test/node/engine-postgres.test.ts).
 *
 * - CRM_TEST_PG set (as .ci/run does): that server, as a connection URL; each test file makes
 *   its own database in it, so files never see each other's tables. CRM_TEST_PG_TCP, when
 *   set, is the same server over TCP with a password.
 * - else, when Debian's PostgreSQL is installed (initdb on the PATH or under
 *   /usr/lib/postgresql/<version>/bin): a temporary cluster of our own, in a folder of the
 *   system's temp dir, listening on a Unix socket in that folder and on 127.0.0.1 at a free
 *   port, stopped (and the folder removed) by `stop()` and, should the test process end first,
 *   at its exit. initdb refuses to run as root, so as root the cluster is made and run by the
 *   user `nobody`, its folder handed to that user.
 * - else null, with the reason, for the tests to skip with (`describe.skipIf`).
 * - `{ ssl: true }`: always a cluster of our own (the CI's server has no SSL), with SSL on, a
 *   self-signed certificate for 127.0.0.1 made by openssl (`sslCert`), and logins over TCP by
 *   SSL only (`hostssl`), as many cloud databases take them.
 *
 * Authentication: trust on the socket; on 127.0.0.1, a password (scram) for the superuser
 * `crm`, `PG_PASSWORD`, so a test can check that a password is never printed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  chownSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export const PG_USER = "crm";
export const PG_PASSWORD = "s3cret-Pa55word";

export interface TestPostgres {
  /** URL of a database of this test file's own, over the Unix socket (trust). */
  url: string;
  /** Same database over TCP 127.0.0.1 with a password; null when not known. */
  tcpUrl: string | null;
  /** Host and port of the TCP listener, when there is one. */
  tcp: { host: string; port: number } | null;
  /** The server's certificate (its own CA), when started with SSL. */
  sslCert?: string;
  stop: () => Promise<void>;
}

export type PostgresOrReason = { pg: TestPostgres; reason: null } | { pg: null; reason: string };

/** initdb's folder: on the PATH, else the newest /usr/lib/postgresql/<v>/bin. */
function pgBin(): string | null {
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  const onPath = which.status === 0 ? which.stdout.trim() : "";
  if (onPath) {
    // /usr/local/bin/initdb may be a link: pg_ctl sits beside the real one
    const real = spawnSync("readlink", ["-f", onPath], { encoding: "utf8" }).stdout.trim();
    return join(real || onPath, "..");
  }
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], "bin") : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolveP, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolveP(port));
    });
  });
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Run a PostgreSQL program, as `nobody` when we are root. */
function runPg(bin: string, prog: string, args: string[]): void {
  const exe = join(bin, prog);
  const [cmd, argv] = isRoot() ? ["runuser", ["-u", "nobody", "--", exe, ...args]] : [exe, args];
  execFileSync(cmd, argv, { stdio: "pipe", timeout: 120_000 });
}

/** A fresh database in the server at `adminUrl`, named for this test file. */
async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`);
    await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await c.end();
  }
}

/** A URL of `url` with its database replaced. */
function withDatabase(url: string, db: string): string {
  // by text: WHATWG URL refuses a user without a host ("postgres://crm@/db?host=/sock")
  const m = /^([a-z]+:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/i.exec(url);
  if (!m) throw new Error(`not a connection URL: ${url}`);
  return `${m[1]}/${encodeURIComponent(db)}${m[3]}`;
}

/**
 * A server for this test file, with an empty database `db` in it; null (and why) when none
 * can be had.
 */
export async function startPostgres(
  db: string,
  options: { ssl?: boolean } = {},
): Promise<PostgresOrReason> {
  const given = options.ssl ? undefined : process.env.CRM_TEST_PG;
  if (given) {
    try {
      await createDatabase(given, db);
    } catch (e) {
      return { pg: null, reason: `CRM_TEST_PG is set but unusable: ${(e as Error).message}` };
    }
    const tcp = process.env.CRM_TEST_PG_TCP;
    const tcpUrl = tcp ? withDatabase(tcp, db) : null;
    return {
      pg: {
        url: withDatabase(given, db),
        tcpUrl,
        tcp: tcpUrl
          ? { host: new URL(tcpUrl).hostname, port: Number(new URL(tcpUrl).port || 5432) }
          : null,
        stop: async () => {},
      },
      reason: null,
    };
  }
  const bin = pgBin();
  if (!bin)
    return {
      pg: null,
      reason:
        "no PostgreSQL server: set CRM_TEST_PG to a server's URL, or install Debian's postgresql (initdb)",
    };
  const dir = mkdtempSync(join(tmpdir(), "crm-pg-"));
  const data = join(dir, "data");
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let started = false;
  const stopSync = () => {
    if (!started) return;
    started = false;
    try {
      runPg(bin, "pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]);
    } catch {
      // already gone
    }
    remove();
  };
  try {
    if (isRoot()) chownSync(dir, 65534, 65534);
    const pwfile = join(dir, "pw");
    writeFileSync(pwfile, PG_PASSWORD + "\n");
    if (isRoot()) chownSync(pwfile, 65534, 65534);
    runPg(bin, "initdb", [
      "-D",
      data,
      "-U",
      PG_USER,
      "--pwfile",
      pwfile,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const ssl: string[] = [];
    let sslCert: string | undefined;
    if (options.ssl) {
      sslCert = join(dir, "server.crt");
      const key = join(dir, "server.key");
      execFileSync(
        "openssl",
        [
          ...["req", "-new", "-x509", "-days", "2", "-nodes", "-newkey", "rsa:2048"],
          ...["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
          ...["-keyout", key, "-out", sslCert],
        ],
        { stdio: "pipe" },
      );
      chmodSync(key, 0o600); // the server refuses a key others may read
      if (isRoot()) for (const f of [key, sslCert]) chownSync(f, 65534, 65534);
      ssl.push("-c ssl=on", `-c ssl_cert_file=${sslCert}`, `-c ssl_key_file=${key}`);
      // logins over TCP by SSL only
      const hba = join(data, "pg_hba.conf");
      writeFileSync(hba, readFileSync(hba, "utf8").replace(/^host(\s)/gm, "hostssl$1"));
    }
    const port = await freePort();
    const opts = [
      `-k ${dir}`,
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=20",
      "-c shared_buffers=32MB",
      ...ssl,
    ].join(" ");
    runPg(bin, "pg_ctl", ["start", "-D", data, "-w", "-l", join(dir, "log"), "-o", opts]);
    started = true;
    process.once("exit", stopSync);
    const socketUrl = (name: string) =>
      `postgres://${PG_USER}@/${encodeURIComponent(name)}?host=${encodeURIComponent(dir)}&port=${port}`;
    await createDatabase(socketUrl("postgres"), db);
    return {
      pg: {
        url: socketUrl(db),
        tcpUrl: `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(db)}`,
        tcp: { host: "127.0.0.1", port },
        sslCert,
        stop: async () => {
          process.removeListener("exit", stopSync);
          stopSync();
        },
      },
      reason: null,
    };
  } catch (e) {
    stopSync();
    remove();
    const err = e as { message: string; stderr?: Buffer };
    return {
      pg: null,
      reason: `could not start a temporary PostgreSQL (${bin}): ${err.stderr?.toString().trim() || err.message}`,
    };
  }
}

/** A column of test data: its name, SQL type, and values (null = NULL; dates as epoch days). */
export interface PgTestColumn {
  name: string;
  type:
    | "text"
    | "date"
    | "double precision"
    | "bigint"
    | "integer"
    | "numeric"
    | "timestamp"
    | "timestamptz";
  values: (string | number | null)[];
}

const DAY_MS = 86_400_000;

/**
 * A value as the text Postgres reads for the column's type (dates from epoch days; a text is
 * taken as written, e.g. "infinity" or "2024-03-10 03:30:00+00" for a timestamptz).
 */
function pgText(v: string | number | null, type: PgTestColumn["type"]): string | null {
  if (v === null) return null;
  if ((type === "date" || type === "timestamp") && typeof v === "number")
    return new Date(v * DAY_MS).toISOString().slice(0, type === "date" ? 10 : 19);
  return String(v);
}

/**
 * (Re)create table `name` with these columns and rows, loaded in chunks through unnest() of
 * arrays (one statement per 20,000 rows; COPY needs a client library of its own).
 */
export async function loadTable(url: string, name: string, columns: PgTestColumn[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const table = pg.escapeIdentifier(name);
    await c.query(`DROP TABLE IF EXISTS ${table}`);
    await c.query(
      `CREATE TABLE ${table} (${columns.map((col) => `${pg.escapeIdentifier(col.name)} ${col.type}`).join(", ")})`,
    );
    const n = columns[0]?.values.length ?? 0;
    const chunk = 20_000;
    for (let lo = 0; lo < n; lo += chunk) {
      const hi = Math.min(n, lo + chunk);
      const arrays = columns.map((col) => col.values.slice(lo, hi).map((v) => pgText(v, col.type)));
      const casts = columns.map((col, i) => `CAST($${i + 1} AS text[])`).join(", ");
      const convert = columns.map((col, i) => `CAST(u.c${i} AS ${col.type})`).join(", ");
      await c.query(
        `INSERT INTO ${table} SELECT ${convert} FROM unnest(${casts}) AS u(${columns.map((_, i) => `c${i}`).join(", ")})`,
        arrays,
      );
    }
  } finally {
    await c.end();
  }
}

/** Run SQL statements in the database (a view, a table of the wrong shape …). */
export async function runSql(url: string, ...statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}
