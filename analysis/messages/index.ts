/**
 * All user-facing text: one catalogue per area, both languages side by side, merged here.
 * Code returns `Message` objects ({ key, params }); only the edges (report, CSV, task pane,
 * Excel sheets) render them with `t()`.
 */
import type { Lang, Message } from "../types.js";
import { printable } from "../printable.js";
import { decimalText } from "../decimal-text.js";
import { addin } from "./addin.js";
import { cli } from "./cli.js";
import { clv } from "./clv.js";
import { followup } from "./followup.js";
import { lifecycle } from "./lifecycle.js";
import { owners } from "./owners.js";
import { postgres } from "./postgres.js";
import { cards } from "./cards.js";
import { contact } from "./contact.js";
import { desk } from "./desk.js";
import { engine } from "./engine.js";
import { reading } from "./reading.js";
import { report } from "./report.js";
import { rules } from "./rules.js";
import { settings } from "./settings.js";

const AREAS = [
  cli,
  reading,
  rules,
  lifecycle,
  followup,
  clv,
  addin,
  report,
  settings,
  owners,
  postgres,
  cards,
  desk,
  engine,
  contact,
];

function merge(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const area of AREAS) {
    for (const [k, v] of Object.entries(area[lang] as Record<string, string>)) {
      if (k in out) throw new Error(`duplicate message key: ${k}`);
      out[k] = v;
    }
  }
  return out;
}

export const CATALOG: Record<Lang, Record<string, string>> = { en: merge("en"), zh: merge("zh") };

/** Formatting context: currency symbol for {x:money}. */
export interface FormatContext {
  currency?: string;
}

const DAY_MS = 86_400_000;

/** Format an epoch day for the language: 2024-01-05 / 2024年1月5日. */
export function formatDay(day: number, lang: Lang): string {
  if (!Number.isFinite(day)) return "";
  const d = new Date(day * DAY_MS);
  if (lang === "zh") return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
  return d.toISOString().slice(0, 10);
}

/**
 * One number format per language and decimals: toLocaleString with options builds a new
 * Intl.NumberFormat on every call, which made 100,000 customers' stage reasons take 35 s.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();

/** Group digits and round: 3,200 / 1,234.5; `minDecimals` keeps trailing zeros (6.0). */
export function formatNumber(x: number, lang: Lang, maxDecimals = 2, minDecimals = 0): string {
  if (!Number.isFinite(x)) return "";
  // en-US and zh-CN write numbers alike; decimal-text.ts does it as ICU does, a third faster
  const fast = decimalText(x, maxDecimals, minDecimals);
  if (fast !== null) return fast;
  const key = `${lang}${maxDecimals}:${minDecimals}`;
  let format = numberFormats.get(key);
  if (!format) {
    const locale = lang === "zh" ? "zh-CN" : "en-US";
    format = new Intl.NumberFormat(locale, {
      maximumFractionDigits: maxDecimals,
      minimumFractionDigits: minDecimals,
    });
    numberFormats.set(key, format);
  }
  return format.format(x);
}

export function formatMoney(x: number, lang: Lang, currency = "¥"): string {
  if (!Number.isFinite(x)) return "";
  const sign = x < 0 ? "-" : "";
  return `${sign}${currency}${formatNumber(Math.abs(x), lang, Math.abs(x) >= 1000 ? 0 : 2)}`;
}

/**
 * 0.423 → "42%" (one decimal below 10%): a figure on its own. With `decimals`, always that many
 * (0.062 → "6.2%", 0.11 → "11.0%"), for a column of shares that must line up.
 */
export function formatPct(x: number, lang: Lang, decimals?: number): string {
  if (!Number.isFinite(x)) return "";
  const p = x * 100;
  if (decimals !== undefined) return `${formatNumber(p, lang, decimals, decimals)}%`;
  return `${formatNumber(p, lang, Math.abs(p) < 10 ? 1 : 0)}%`;
}

export function formatParam(
  v: string | number,
  kind: string | undefined,
  lang: Lang,
  ctx: FormatContext,
): string {
  // text from the user's files (headers, values, file names) never echoes control codes
  if (typeof v === "string") return printable(v);
  switch (kind) {
    case "money":
      return formatMoney(v, lang, ctx.currency);
    case "pct":
      return formatPct(v, lang);
    case "date":
      return formatDay(v, lang);
    case "int":
      return formatNumber(Math.round(v), lang, 0);
    default:
      return formatNumber(v, lang);
  }
}

/**
 * Render a message (or a bare key) in the language; unknown keys render as the key itself.
 * Placeholders: {name} and {name:kind} (kind: int, money, pct, date), and {name|one|other}, the
 * English word for the number `name`: `one` when it is exactly 1 or −1, else `other` ("1 day",
 * "1.5 days", "0 days"; Chinese templates need none). Notes in `also` follow, after "; " ("；").
 */
export function t(lang: Lang, msg: Message | string, ctx: FormatContext = {}): string {
  const m = typeof msg === "string" ? { key: msg } : msg;
  const template = CATALOG[lang][m.key] ?? CATALOG.en[m.key] ?? m.key;
  const text = rendered(compiled(template), m.params, (v, kind) => formatParam(v, kind, lang, ctx));
  if (!m.also?.length) return text;
  return [text, ...m.also.map((n) => t(lang, n, ctx))].join(lang === "zh" ? "；" : "; ");
}

/**
 * A compiled template's text with the params: each placeholder by `format` (its value and
 * kind), a word form by the number, a placeholder without its param as written.
 */
export function rendered(
  parts: readonly (string | Placeholder)[],
  params: Message["params"],
  format: (v: string | number, kind: string | undefined) => string,
): string {
  let text = "";
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === "string") {
      text += p;
      continue;
    }
    const v = params?.[p.name];
    text +=
      v === undefined
        ? p.whole
        : p.one === undefined
          ? format(v, p.kind)
          : Math.abs(Number(v)) === 1
            ? p.one
            : (p.other as string);
  }
  return text;
}

/** A placeholder of a template, as the pattern below reads it. */
export interface Placeholder {
  whole: string;
  name: string;
  kind: string | undefined;
  one: string | undefined;
  other: string | undefined;
}

const PLACEHOLDER = /\{(\w+)(?::(\w+)|\|([^|{}]*)\|([^|{}]*))?\}/g;
/** Templates split once into text and placeholders: a million customers' reasons reuse them. */
const templates = new Map<string, readonly (string | Placeholder)[]>();

export function compiled(template: string): readonly (string | Placeholder)[] {
  let parts = templates.get(template);
  if (parts) return parts;
  const out: (string | Placeholder)[] = [];
  let at = 0;
  for (const mt of template.matchAll(PLACEHOLDER)) {
    if (mt.index > at) out.push(template.slice(at, mt.index));
    out.push({ whole: mt[0], name: mt[1], kind: mt[2], one: mt[3], other: mt[4] });
    at = mt.index + mt[0].length;
  }
  if (at < template.length) out.push(template.slice(at));
  parts = out;
  // bare keys render as themselves: keep the cache to the catalogue's size whatever comes in
  if (templates.size > 20_000) templates.clear();
  templates.set(template, parts);
  return parts;
}

/** True when the key exists in both languages. */
export function hasMessage(key: string): boolean {
  return key in CATALOG.en && key in CATALOG.zh;
}

/** Language from an Office/BCP-47 tag: zh-* → zh, anything else → en. */
export function langFromLocale(tag: string | undefined | null): Lang {
  return tag && /^zh(?:[-_.]|$)/i.test(tag) ? "zh" : "en";
}
