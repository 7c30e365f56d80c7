import { describe, expect, it } from "vitest";
import { decimalText } from "../analysis/decimal-text.js";
import { CATALOG, formatNumber, t } from "../analysis/messages/index.js";
import { mulberry32 } from "../analysis/random.js";

const intl = new Map<string, Intl.NumberFormat>();
function reference(x: number, locale: string, max: number, min: number): string {
  const key = `${locale}${max}:${min}`;
  let f = intl.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: max, minimumFractionDigits: min });
    intl.set(key, f);
  }
  return f.format(x);
}

/** The decimals formatNumber is called with across the code (formatMoney, formatPct, int). */
const DECIMALS: [number, number][] = [
  [2, 0],
  [0, 0],
  [1, 0],
  [1, 1],
  [2, 2],
  [3, 0],
  [6, 0],
];

describe("decimalText writes numbers as Intl does for en-US and zh-CN", () => {
  it("rounds the shortest decimal half away from zero, as ICU does (not the binary value)", () => {
    expect(decimalText(1.005, 2, 0)).toBe("1.01"); // (1.005).toFixed(2) is "1.00"
    expect(decimalText(2.675, 2, 0)).toBe("2.68");
    expect(decimalText(2.5, 0, 0)).toBe("3");
    expect(decimalText(-2.5, 0, 0)).toBe("-3");
    expect(decimalText(999.995, 2, 0)).toBe("1,000");
    expect(decimalText(9999999.5, 0, 0)).toBe("10,000,000");
    expect(decimalText(0.1, 2, 2)).toBe("0.10");
    expect(decimalText(1234567.891, 2, 0)).toBe("1,234,567.89");
  });

  it("keeps the sign of a negative number that rounds to zero, and of −0", () => {
    expect(decimalText(-0.001, 2, 0)).toBe("-0");
    expect(decimalText(-0, 2, 0)).toBe("-0");
    expect(decimalText(0, 2, 0)).toBe("0");
    expect(reference(-0.001, "en-US", 2, 0)).toBe("-0");
  });

  it("leaves exponent-sized numbers and odd decimals to Intl", () => {
    expect(decimalText(1e21, 2, 0)).toBeNull();
    expect(decimalText(1e-7, 2, 0)).toBeNull();
    expect(decimalText(1.5, 2, 3)).toBeNull();
    expect(decimalText(1.5, 1.5, 0)).toBeNull();
    // formatNumber still answers them, through Intl
    expect(formatNumber(1e21, "en")).toBe("1,000,000,000,000,000,000,000");
    expect(formatNumber(-1e-7, "zh")).toBe("-0");
  });

  it("equals Intl on 150,000 numbers of every size, at every decimals used, in both locales", () => {
    const rand = mulberry32(19);
    const xs: number[] = [0, -0, 0.5, 1.5, -0.5, 0.05, 0.005, 0.015, 9.995, 99.995, 999.5, 1e20];
    // around 2^51 and 2^52, where whole numbers leave the quick way and halves stop being doubles
    for (const edge of [2 ** 51, 2 ** 52, 2 ** 53])
      for (const d of [-1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5, 2])
        xs.push(edge + d, -(edge + d));
    for (let i = 0; i < 150_000; i++) {
      let x = (rand() - 0.3) * 10 ** (Math.floor(rand() * 27) - 6);
      // many on and near the rounding boundaries: whole cents, half cents, whole numbers
      if (i % 3 === 0) x = Math.round(x * 1000) / 1000 + (rand() < 0.5 ? 0.0005 : 0.005);
      if (i % 5 === 0) x = Math.round(x * 100) / 100;
      if (i % 7 === 0) x = Math.round(x);
      xs.push(x);
    }
    let compared = 0;
    const wrong: string[] = [];
    for (const x of xs) {
      for (const [max, min] of DECIMALS) {
        const got = decimalText(x, max, min);
        if (got === null) continue;
        compared++;
        for (const locale of ["en-US", "zh-CN"]) {
          const want = reference(x, locale, max, min);
          if (got !== want && wrong.length < 10) wrong.push(`${x} ${max}/${min}: ${got} ≠ ${want}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(900_000);
  });
});

describe("t() renders templates as before, placeholders compiled once", () => {
  /** The former renderer: one regular-expression replace per call. */
  const before = (lang: "en" | "zh", template: string, params: Record<string, string | number>) =>
    template.replace(
      /\{(\w+)(?::(\w+)|\|([^|{}]*)\|([^|{}]*))?\}/g,
      (whole, name: string, kind?: string, one?: string, other?: string) => {
        const v = params[name];
        if (v === undefined) return whole;
        // text is written as it is; a number (a name also used for a plural) as its kind says
        if (one === undefined)
          return typeof v === "string"
            ? v
            : t(lang, { key: `{${name}${kind ? `:${kind}` : ""}}`, params: { [name]: v } });
        return Math.abs(Number(v)) === 1 ? one : (other as string);
      },
    );

  it("every template of the catalogue keeps its text, plurals and unknown placeholders", () => {
    let checked = 0;
    for (const lang of ["en", "zh"] as const) {
      for (const [key, template] of Object.entries(CATALOG[lang])) {
        const names = [...template.matchAll(/\{(\w+)/g)].map((m) => m[1]);
        if (!names.length) {
          expect(t(lang, key)).toBe(template);
          continue;
        }
        // plurals with 1 and with 2; formatted values stand out as text params (printable)
        for (const n of [1, 2]) {
          const params: Record<string, string | number> = {};
          names.forEach((name, i) => {
            if (i === 0) return; // the first one is left out: it must stay as written
            params[name] = template.includes(`{${name}|`) ? n : `<${name}>`;
          });
          const want = before(lang, template, params);
          expect(t(lang, { key, params })).toBe(want);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("a bare key with braces renders as itself, its placeholders filled", () => {
    expect(t("en", { key: "{a} and {b|one|many}", params: { b: 1 } })).toBe("{a} and one");
    expect(t("en", { key: "{a} and {b|one|many}", params: { b: 3 } })).toBe("{a} and many");
  });
});
