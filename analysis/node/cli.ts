/**
 * `crm` — the command line (SPEC §10).
 *
 *   crm analyze <workbook.xlsx | orders.csv> [options]   analyse and write the report
 *   crm demo [--out DIR] [--lang zh|en]                 analyse the bundled sample workbook
 *   crm sample <file.xlsx> [--lang zh|en]               write the sample workbook
 *   crm cards <workbook.xlsx | orders.csv> [options]     today's customer cards (cards-command.ts)
 *
 * Exit codes: 0 success, 1 unusable input (message on stderr), 2 bad arguments (also an output
 * that would replace an input, or --out naming a file).
 *
 * No stack reaches the user: file system errors are told as the path and the problem in the
 * user's language; anything unexpected as its message (its stack with CRM_DEBUG=1).
 */
import { parseArgs } from "node:util";
import { isEngine } from "./engine.js";
import { isPostgresUrl, isUrlMessage, type PgSource } from "./engine-postgres.js";
import { isDialect, summarySql } from "./sql-command.js";
import { DIALECTS } from "../sql/dialect.js";
import { makeSettings } from "../settings.js";
import { mkdir } from "node:fs/promises";
import { realpathSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { dayFromIso } from "../dates.js";
import { t, langFromLocale } from "../messages/index.js";
import { isUnusableInputError } from "../errors.js";
import type { DeepPartial, Settings } from "../settings.js";
import type { Lang } from "../types.js";
import {
  isOutputKind,
  NotebookError,
  OUTPUT_KINDS,
  refuseUnsafePaths,
  runNotebook,
  type OutputKind,
} from "./notebook.js";
import { sampleXlsx } from "./sample-xlsx.js";
import { writeFileAtomic } from "./safe-write.js";
import { fileErrorMessage, isFileSystemError } from "./fs-errors.js";
import { runCards } from "./cards-command.js";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: Record<string, string | undefined>;
  /** Standard input, read for the input `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

/** CRM_LOCK_WAIT_MS: how long to wait for another run's lock on --history (default 2 min). */
function lockWait(env: Io["env"]): number | undefined {
  const ms = Number(env.CRM_LOCK_WAIT_MS);
  return env.CRM_LOCK_WAIT_MS && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

class UsageError extends Error {}

const OPTIONS = {
  customers: { type: "string" },
  interactions: { type: "string" },
  "as-of": { type: "string" },
  out: { type: "string" },
  lang: { type: "string" },
  outputs: { type: "string" },
  history: { type: "string" },
  model: { type: "string" },
  decimal: { type: "string" },
  owner: { type: "string" },
  date: { type: "string" },
  engine: { type: "string" },
  table: { type: "string" },
  query: { type: "string" },
  summary: { type: "string" },
  dialect: { type: "string" },
  columns: { type: "string" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** Language: --lang, else the environment's locale (LANG / LC_ALL), else English. */
function pickLang(flag: string | undefined, env: Io["env"]): Lang {
  if (flag !== undefined) {
    if (flag !== "zh" && flag !== "en")
      throw new UsageError(t("en", { key: "cli.error.lang", params: { value: flag } }));
    return flag;
  }
  return langFromLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG);
}

function parseOutputs(s: string | undefined, lang: Lang): OutputKind[] {
  if (s === undefined) return [...OUTPUT_KINDS];
  const kinds = s
    .split(",")
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  const bad = kinds.filter((k) => !isOutputKind(k));
  if (bad.length || kinds.length === 0) {
    throw new UsageError(
      t(lang, { key: "cli.error.outputs", params: { value: s, allowed: OUTPUT_KINDS.join(",") } }),
    );
  }
  return kinds as OutputKind[];
}

function overridesFrom(
  values: { "as-of"?: string; model?: string; decimal?: string },
  lang: Lang,
): DeepPartial<Settings> {
  const o: DeepPartial<Settings> = {};
  if (values["as-of"] !== undefined) {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(values["as-of"]) ? dayFromIso(values["as-of"]) : NaN;
    if (!Number.isFinite(d))
      throw new UsageError(t(lang, { key: "cli.error.asOf", params: { value: values["as-of"] } }));
    o.asOf = d;
  }
  if (values.model !== undefined) {
    if (values.model !== "six" && values.model !== "four") {
      throw new UsageError(t(lang, { key: "cli.error.model", params: { value: values.model } }));
    }
    o.lifecycle = { model: values.model };
  }
  if (values.decimal !== undefined) {
    if (values.decimal !== "," && values.decimal !== ".")
      throw new UsageError(
        t(lang, { key: "cli.error.decimal", params: { value: values.decimal } }),
      );
    o.decimalComma = values.decimal === ",";
  }
  return o;
}

export async function main(argv: string[], io: Io): Promise<number> {
  let lang: Lang = langFromLocale(io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG);
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    lang = pickLang(values.lang, io.env);
    if (values.version) {
      io.out("crm 0.1.0\n");
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      io.out(
        [t(lang, "cli.help"), t(lang, "engine.help"), t(lang, "postgres.help")].join("\n") + "\n",
      );
      return command === undefined && !values.help ? 2 : 0;
    }
    const started = Date.now();
    const progress = values.quiet
      ? undefined
      : (line: string) => io.err(`[crm ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
    const outputs = parseOutputs(values.outputs, lang);
    const overrides = overridesFrom(values, lang);

    if (command === "sample") {
      if (rest.length !== 1) throw new UsageError(t(lang, "cli.error.sampleArgs"));
      const path = resolve(rest[0]);
      await writeFileAtomic(path, await sampleXlsx({ lang }));
      io.out(t(lang, { key: "cli.sample.written", params: { file: rest[0] } }) + "\n");
      return 0;
    }
    if (command === "demo") {
      if (rest.length)
        throw new UsageError(t(lang, { key: "cli.error.extra", params: { args: rest.join(" ") } }));
      const outDir = resolve(values.out ?? "crm-report");
      const samplePath = join(outDir, lang === "zh" ? "示例客户台账.xlsx" : "sample-workbook.xlsx");
      await refuseUnsafePaths({
        inputs: [],
        outDir,
        outputs,
        alsoWrites: [samplePath],
        history: values.history,
      });
      await mkdir(outDir, { recursive: true });
      await writeFileAtomic(samplePath, await sampleXlsx({ lang }));
      progress?.(
        t(lang, {
          key: "cli.sample.written",
          params: { file: relative(process.cwd(), samplePath) },
        }),
      );
      const res = await runNotebook({
        input: samplePath,
        outDir,
        lang,
        outputs,
        overrides,
        progress,
        history: values.history,
        lockWaitMs: lockWait(io.env),
      });
      io.out(doneMessage(res.files, res.run.summary, outDir, lang));
      return 0;
    }
    if (command === "sql") {
      // the summary SQL for a warehouse (sql-command.ts)
      const url = rest[0];
      if (rest.length > 1 || (url !== undefined && !isPostgresUrl(url)))
        throw new UsageError(t(lang, "sql.error.args"));
      const dialect = values.dialect ?? (url ? "postgres" : undefined);
      if (!isDialect(dialect))
        throw new UsageError(
          t(lang, {
            key: "sql.error.dialect",
            params: { value: dialect ?? "", allowed: DIALECTS.join(", ") },
          }),
        );
      if (overrides.asOf === undefined) throw new UsageError(t(lang, "sql.error.needsAsOf"));
      const sql = await summarySql({
        dialect,
        source: databaseSource(values, lang, true),
        url,
        columns: values.columns,
        settings: makeSettings(overrides),
        lang,
      }).catch((e: unknown) => {
        // without a database the columns are --columns: what is wrong with them is an argument,
        // as is a URL that is none
        throw isUnusableInputError(e) && (!url || isUrlMessage(e.msg))
          ? new UsageError(t(lang, e.msg))
          : e;
      });
      io.out(sql);
      return 0;
    }
    if (command === "analyze" && values.summary !== undefined) {
      // a per-customer summary computed elsewhere (summary-file.ts): no orders input
      if (rest.length) throw new UsageError(t(lang, "summary.error.withInput"));
      if (overrides.asOf === undefined) throw new UsageError(t(lang, "summary.error.needsAsOf"));
      const outDir = resolve(values.out ?? "crm-report");
      const res = await runNotebook({
        input: values.summary,
        summaryFile: true,
        customers: values.customers,
        interactions: values.interactions,
        outDir,
        lang,
        outputs,
        history: values.history,
        lockWaitMs: lockWait(io.env),
        overrides,
        progress,
      });
      io.out(doneMessage(res.files, res.run.summary, outDir, lang));
      return 0;
    }
    if (command === "analyze") {
      if (rest.length !== 1) throw new UsageError(t(lang, "cli.error.analyzeArgs"));
      const database = isPostgresUrl(rest[0]);
      if (!database && (values.table !== undefined || values.query !== undefined))
        throw new UsageError(
          t(lang, { key: "postgres.error.sourceWithoutDatabase", params: { input: rest[0] } }),
        );
      const outDir = resolve(values.out ?? "crm-report");
      if (values.engine !== undefined && !isEngine(values.engine))
        throw new UsageError(
          t(lang, { key: "engine.error.engine", params: { value: values.engine } }),
        );
      const res = await runNotebook({
        engine: values.engine,
        input: rest[0],
        database: database ? databaseSource(values, lang, false) : undefined,
        customers: values.customers,
        interactions: values.interactions,
        outDir,
        lang,
        outputs,
        history: values.history,
        lockWaitMs: lockWait(io.env),
        overrides,
        progress,
        stdin: io.stdin,
      });
      io.out(doneMessage(res.files, res.run.summary, outDir, lang));
      return 0;
    }
    if (command === "cards") {
      // today's customer cards and the review (cards-command.ts)
      if (rest.length !== 1) throw new UsageError(t(lang, "cards.error.args"));
      const res = await runCards({
        input: rest[0],
        customers: values.customers,
        interactions: values.interactions,
        owner: values.owner,
        date: values.date,
        history: values.history,
        outDir: values.out ?? "crm-report",
        lang,
        overrides,
        progress,
        stdin: io.stdin,
      });
      io.out(t(lang, { key: "cards.written", params: { n: res.cards, file: res.file } }) + "\n");
      return 0;
    }
    throw new UsageError(t(lang, { key: "cli.error.command", params: { command } }));
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`crm: ${(e as Error).message}\n${t(lang, "cli.seeHelp")}\n`);
      return 2;
    }
    if (e instanceof NotebookError) {
      io.err(`crm: ${t(lang, e.msg)}\n`);
      return e.exitCode;
    }
    if (isUnusableInputError(e)) {
      io.err(`crm: ${t(lang, e.msg)}\n`);
      return 1;
    }
    // a file system error (EEXIST, ENOTDIR, EROFS, ENOSPC …): the path and the problem, no stack
    if (isFileSystemError(e)) {
      io.err(`crm: ${fileErrorMessage(e, lang)}\n`);
      return 1;
    }
    const detail = io.env.CRM_DEBUG
      ? ((e as Error)?.stack ?? String(e))
      : ((e as Error)?.message ?? String(e));
    io.err(`crm: ${t(lang, { key: "cli.error.internal", params: { detail } })}\n`);
    return 1;
  }
}

/** --table or --query (one of them; --table orders by default for crm sql). */
function databaseSource(
  values: { table?: string; query?: string },
  lang: Lang,
  tableByDefault: boolean,
): PgSource {
  if (values.table !== undefined && values.query !== undefined)
    throw new UsageError(t(lang, "postgres.error.bothSources"));
  if (values.query !== undefined) return { query: values.query };
  if (values.table !== undefined) return { table: values.table };
  if (tableByDefault) return { table: "orders" };
  throw new UsageError(t(lang, "postgres.error.noSource"));
}

function doneMessage(
  files: string[],
  summary: {
    counts: {
      customers: number;
      customers_with_purchases: number;
      prospects: number;
      data_issues: number;
    };
  },
  outDir: string,
  lang: Lang,
): string {
  const report = files.find((f) => f.endsWith("report.html"));
  const lines = [
    t(lang, {
      key: "cli.done",
      // one wording everywhere: all customers, then those with purchases and the prospects
      params: {
        n: summary.counts.customers,
        buyers: summary.counts.customers_with_purchases,
        prospects: summary.counts.prospects,
        issues: summary.counts.data_issues,
        dir: outDir,
      },
    }),
    ...files.map((f) => `  ${f}`),
  ];
  if (report)
    lines.push(t(lang, { key: "cli.openReport", params: { url: pathToFileURL(report).href } }));
  return lines.join("\n") + "\n";
}

// Run when executed as the `crm` binary (also through npx's symlink), not when imported by tests.
const isMain = (() => {
  try {
    return (
      !!process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url
    );
  } catch {
    return false;
  }
})();
if (isMain) {
  // a user's terminal is no place for Node's notes to library authors (pg's on .pgpass files)
  process.noDeprecation = true;
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`crm: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
