/**
 * The few SQL constructs that differ between the engines the order aggregation runs on
 * (aggregate.ts). Everything else in that SQL is plain: CTEs, GROUP BY, CASE inside aggregates
 * (no FILTER clause: BigQuery lacks it), COUNT(DISTINCT), lag() over a window.
 *
 * Equivalents for a warehouse (not generated here; README "Big files: DuckDB and Parquet"):
 * - Spark SQL: median → percentile(x, 0.5); integer division → div(a, b) or a DIV b;
 *   trim set → regexp_replace(x, '^[\\s　]+|[\\s　]+$', ''); regex test → x RLIKE p;
 *   date → epoch day: datediff(d, DATE '1970-01-01'); text → double: try_cast / CAST.
 * - BigQuery: median → PERCENTILE_CONT(x, 0.5) OVER (…) (an analytic function, so as a
 *   subquery); integer division → DIV(a, b); regex test → REGEXP_CONTAINS(x, p);
 *   date → epoch day: UNIX_DATE(d); text → double: SAFE_CAST(x AS FLOAT64).
 */

export const DIALECTS = ["duckdb", "postgres"] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface DialectSql {
  /** Text with the given characters removed from both ends. */
  trim(x: string, chars: string): string;
  /** True when x matches the regular expression p (a SQL string literal). */
  matches(x: string, p: string): string;
  /** True when x equals one of the texts (SQL string literals). */
  inTexts(x: string, texts: readonly string[]): string;
  /** True when text x starts with the text p (a SQL string literal). */
  startsWith(x: string, p: string): string;
  /** Integer division of non-negative integers. */
  idiv(a: string, b: string): string;
  /** Median of a group's values (numbers), interpolated for an even count. */
  median(x: string): string;
  /**
   * The median gap between a group's consecutive distinct values x (integers) where cond holds,
   * in one aggregate: agg collects them sorted, median takes its result; null: the gaps come from
   * a window (lag) and a median over them (at 10,000,000 rows the list was 0.65 s faster).
   */
  gapList: { agg(x: string, cond: string): string; median(list: string): string } | null;
  /**
   * Epoch day of y-m-d when the engine has a cheap way that yields NULL for a date that does
   * not exist (each of y, m, d used once); null: aggregate.ts computes it by arithmetic.
   */
  civil: ((y: string, m: string, d: string) => string) | null;
  /** Epoch day of text that is exactly yyyy-mm-dd, a fast path (NULL otherwise); null: none. */
  isoDay: ((t: string) => string) | null;
  /** Epoch day (integer) of a DATE value. */
  epochDay(d: string): string;
  /** A double from text already checked to be a number; ±Infinity beyond the type's range. */
  textToDouble(t: string): string;
  /** A double from a numeric column; NULL for NaN and ±Infinity. */
  finiteDouble(x: string): string;
  /** Text of any value. */
  toText(x: string): string;
  /** "MATERIALIZED " for a CTE read several times (computed once), or "". */
  materialized: string;
  /**
   * "NOT MATERIALIZED " for a CTE that only names a stored table's rows, read several times
   * where it is used instead of copied (DuckDB copies a CTE read twice: at 10,000,000 rows each
   * copy of the checked rows cost 2-3 s under the memory limit), or "".
   */
  inline: string;
  /** Name of the 64-bit integer and double types. */
  bigint: string;
  double: string;
}

const duckdb: DialectSql = {
  // trim with a set of characters is slow in DuckDB (1.8 s per million values): only when an
  // end may be one of them (duckTrimGuard)
  trim: (x, chars) =>
    `CASE WHEN ${duckTrimGuard(x, chars)} THEN trim(${x}, ${chars}) ELSE ${x} END`,
  matches: (x, p) => `regexp_full_match(${x}, ${p})`,
  // a list, not IN (…): DuckDB makes a long IN list a join over every row, outside any CASE
  inTexts: (x, texts) => `list_contains([${texts.join(", ")}], ${x})`,
  // (no substring made: 0.3 CPU-s less than substr(x, 1, 1) = p at 10,000,000 order IDs)
  startsWith: (x, p) => `starts_with(${x}, ${p})`,
  idiv: (a, b) => `((${a}) // (${b}))`,
  median: (x) => `median(${x})`,
  gapList: {
    agg: (x, cond) => `list(${x} ORDER BY ${x}) FILTER (WHERE ${cond})`,
    // NULL for no list (no such value), NULL for an empty list of gaps (one value)
    median: (l) =>
      `list_median(list_transform(range(1, len(${l})), lambda i: CAST(${l}[i + 1] - ${l}[i] AS DOUBLE)))`,
  },
  // year 0 is no date (dates.ts dayFromYmd): NULLIF
  // year 0000 is no date (dates.ts): left to the general path, which says so
  isoDay: (t) =>
    `CASE WHEN regexp_full_match(${t}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND NOT starts_with(${t}, '0000') THEN CAST(TRY_CAST(${t} AS DATE) - DATE '1970-01-01' AS INTEGER) END`,
  civil: (y, m, d) => `(try(make_date(NULLIF(${y}, 0), ${m}, ${d})) - DATE '1970-01-01')`,
  epochDay: (d) => `(CAST(${d} AS DATE) - DATE '1970-01-01')`,
  textToDouble: (t) => `TRY_CAST(${t} AS DOUBLE)`,
  finiteDouble: (x) => `CASE WHEN isfinite(CAST(${x} AS DOUBLE)) THEN CAST(${x} AS DOUBLE) END`,
  toText: (x) => `CAST(${x} AS VARCHAR)`,
  materialized: "MATERIALIZED ",
  inline: "NOT MATERIALIZED ",
  bigint: "BIGINT",
  double: "DOUBLE",
};

/**
 * True when text x may start or end with one of the characters of the SQL literal `chars`
 * (false only when it does not). When the set's ASCII members are all control characters or
 * the space, it is told by comparisons that need no scan of the text: the first character below
 * "!" or not ASCII (texts compare byte by byte: a first byte from 0x80 is ≥ U+0080's C2 80), a
 * character beyond ASCII anywhere (strlen counts bytes, length characters), or one of the ASCII
 * members last — at 10,000,000 IDs and order IDs 0.4 CPU-s instead of the regular expression's
 * 1.3. Otherwise a regular expression (chars: no character that needs escaping in a class).
 */
export function duckTrimGuard(x: string, chars: string): string {
  const set = [...chars.slice(1, -1).replace(/''/g, "'")];
  const ascii = set.filter((ch) => ch.charCodeAt(0) < 0x80);
  if (ascii.some((ch) => ch.charCodeAt(0) > 0x20))
    return `regexp_matches(${x}, '^[' || ${chars} || ']|[' || ${chars} || ']$')`;
  const last = ascii.map((ch) => `suffix(${x}, chr(${ch.charCodeAt(0)}))`);
  return `(${[`${x} < '!'`, `${x} >= chr(128)`, `strlen(${x}) <> length(${x})`, ...last].join(" OR ")})`;
}

const postgres: DialectSql = {
  trim: (x, chars) => `btrim(${x}, ${chars})`,
  // anchored like DuckDB's full match
  matches: (x, p) => `(${x} ~ ('^(?:' || ${p} || ')$'))`,
  inTexts: (x, texts) => `${x} IN (${texts.join(", ")})`,
  // (starts_with needs PostgreSQL 11)
  startsWith: (x, p) => `(substr(${x}, 1, length(${p})) = ${p})`,
  idiv: (a, b) => `div(${a}, ${b})`,
  median: (x) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${x})`,
  gapList: null,
  isoDay: null,
  civil: null,
  // 'infinity' and '-infinity' (a date, a timestamp) cannot be subtracted: the day DuckDB gives
  // them (its largest and smallest), so the row is skipped as an implausible date, as there
  epochDay: (d) =>
    `(CASE WHEN isfinite(CAST(${d} AS DATE)) THEN CAST(${d} AS DATE) - DATE '1970-01-01' WHEN CAST(${d} AS DATE) > DATE '1970-01-01' THEN 2147483647 WHEN CAST(${d} AS DATE) < DATE '1970-01-01' THEN -2147483647 END)`,
  // float8's own input rejects 1e400 and 1e-400; numeric reads both (JS: Infinity and 0)
  textToDouble: (t) =>
    `CASE WHEN abs(CAST(${t} AS numeric)) > 1e300 THEN sign(CAST(${t} AS numeric)) * CAST('Infinity' AS double precision) ELSE CAST(CAST(${t} AS numeric) AS double precision) END`,
  finiteDouble: (x) =>
    `CASE WHEN CAST(${x} AS double precision) NOT IN ('Infinity', '-Infinity', 'NaN') THEN CAST(${x} AS double precision) END`,
  toText: (x) => `CAST(${x} AS text)`,
  materialized: "MATERIALIZED ",
  // Postgres inlines a CTE read once and copies one read twice; NOT MATERIALIZED needs 12+
  inline: "",
  bigint: "bigint",
  double: "double precision",
};

export const DIALECT_SQL: Record<Dialect, DialectSql> = { duckdb, postgres };
