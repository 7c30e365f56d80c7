/**
 * How crm connects to PostgreSQL as libpq (psql) would, where node-pg reads things otherwise
 * (engine-postgres.ts openSession uses these): the URL's sslmode (else PGSSLMODE), and the
 * password file (~/.pgpass, else PGPASSFILE).
 */
import { existsSync, readFileSync } from "node:fs";
import pgpass from "pgpass";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ConnectionOptions } from "node:tls";
import { UnusableInputError } from "../errors.js";

/** A pg error's fields these functions read. */
interface PgError {
  code?: string;
  message?: string;
}

/** pg's error when the server does not take SSL (it answered "N" to the SSL request). */
export const NO_SSL = /does not support SSL/i;

// ---------------------------------------------------------------------------------------------
// SSL as libpq reads sslmode

const SSL_MODES = [
  "disable",
  "allow",
  "prefer",
  "require",
  "verify-ca",
  "verify-full",
  "no-verify",
];

/** One way to connect: pg's `ssl` option (undefined: pg's own reading of the URL). */
export type SslAttempt = false | ConnectionOptions | undefined;

export interface ConnectPlan {
  /** The URL without its SSL parameters when the plan sets `ssl` itself. */
  url: string;
  /** The sslmode given (URL, else PGSSLMODE), or null. */
  mode: string | null;
  /** Whether it is prefer (given, or libpq's default): SSL first, plain if the server has none. */
  prefer: boolean;
  /** What to try, in order: libpq's allow and prefer try a second way when the first fails. */
  attempts: SslAttempt[];
}

/**
 * How to connect for the URL's sslmode (else PGSSLMODE), as libpq does: disable → plain;
 * allow → plain, then SSL; prefer → SSL when the server offers it, else plain; require → SSL
 * without checking the certificate (checked against sslrootcert when one is given, as libpq);
 * verify-ca → SSL, the certificate checked against the CA (sslrootcert, else
 * ~/.postgresql/root.crt, else the system's); verify-full → also the host name. A Unix socket
 * never uses SSL (libpq ignores sslmode there). No sslmode at all is libpq's default, prefer.
 * pg itself would take prefer, require and verify-ca as verify-full, with a multi-line warning
 * on stderr: it is never given sslmode.
 */
export function connectPlan(url: string, socket: boolean): ConnectPlan {
  const { url: plain, params } = withoutSsl(url);
  const given = params.get("sslmode") ?? (process.env.PGSSLMODE || null);
  // other SSL parameters without sslmode (ssl=true …): pg's own reading of them
  if (given === null && SSL_PARAMS.some((k) => params.has(k)))
    return { url, mode: null, prefer: false, attempts: [undefined] };
  // none at all: libpq's default, prefer (SSL when the server offers it, else plain). pg's
  // default, plain, is refused by servers that take SSL connections only, as cloud databases'
  // often are (where psql connects)
  const mode = given ?? "prefer";
  if (!SSL_MODES.includes(mode))
    throw new UnusableInputError({
      key: "postgres.error.sslMode",
      params: { mode, allowed: SSL_MODES.slice(0, 6).join(", ") },
    });
  const file = (name: string, path: string | null): string | undefined => {
    if (!path) return undefined;
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      throw new UnusableInputError({
        key: "postgres.error.sslFile",
        params: { name, file: path, reason: (e as { code?: string }).code ?? String(e) },
      });
    }
  };
  const rootcert = params.get("sslrootcert");
  const defaultRoot = join(homedir(), ".postgresql", "root.crt");
  const ca =
    rootcert === "system"
      ? undefined
      : (file("sslrootcert", rootcert) ??
        (mode.startsWith("verify") && existsSync(defaultRoot)
          ? file("sslrootcert", defaultRoot)
          : undefined));
  const base: ConnectionOptions = {
    cert: file("sslcert", params.get("sslcert")),
    key: file("sslkey", params.get("sslkey")),
  };
  const noVerify: ConnectionOptions = { ...base, rejectUnauthorized: false };
  const verifyCa: ConnectionOptions = { ...base, ca, checkServerIdentity: () => undefined };
  const verifyFull: ConnectionOptions = { ...base, ca };
  const attempts: SslAttempt[] = socket
    ? [false]
    : mode === "disable"
      ? [false]
      : mode === "allow"
        ? [false, noVerify]
        : mode === "prefer"
          ? [noVerify, false]
          : mode === "require" && !rootcert
            ? [noVerify]
            : mode === "require" || mode === "verify-ca"
              ? [verifyCa]
              : mode === "verify-full"
                ? [verifyFull]
                : [noVerify];
  return { url: plain, mode: given, prefer: mode === "prefer", attempts };
}

/** The URL's query parameters that say how to use SSL. */
const SSL_PARAMS = ["sslmode", "uselibpqcompat", "sslrootcert", "sslcert", "sslkey", "ssl"];

/** The URL without its SSL parameters, and its query parameters (all of them). */
export function withoutSsl(url: string): { url: string; params: URLSearchParams } {
  const q = url.indexOf("?");
  const params = new URLSearchParams(q < 0 ? "" : url.slice(q + 1).replace(/#.*$/, ""));
  if (!SSL_PARAMS.some((k) => params.has(k))) return { url, params };
  const rest = new URLSearchParams(params);
  for (const k of SSL_PARAMS) rest.delete(k);
  const text = rest.toString();
  return { url: url.slice(0, q) + (text ? `?${text}` : ""), params };
}

/** Whether libpq's allow or prefer would try its second way after this failure. */
export function tryNext(e: unknown, plan: ConnectPlan): boolean {
  const err = e as PgError;
  // prefer: the server takes no SSL; either: refused by pg_hba.conf for (no) encryption
  return (plan.prefer && NO_SSL.test(err.message ?? "")) || err.code === "28000";
}

// ---------------------------------------------------------------------------------------------
// The password file (~/.pgpass, else PGPASSFILE): read by the pgpass module, pg's own reader,
// called here as pg asks (its own use of it prints a deprecation warning at every run)

/** The password ~/.pgpass (or PGPASSFILE) holds for this connection, if any. */
export function pgpassPassword(p: {
  host: string;
  port: number;
  database: string;
  user: string;
}): Promise<string | undefined> {
  // libpq matches a socket connection as "localhost"
  const host = !p.host || p.host.startsWith("/") ? "localhost" : p.host;
  // pgpass tells of a file it ignores (not plain, readable by others) on stderr, in English;
  // the user is told instead that no password was found (postgres.error.needPassword)
  pgpass.warnTo(null);
  return new Promise((resolve) => pgpass({ ...p, host }, resolve));
}
