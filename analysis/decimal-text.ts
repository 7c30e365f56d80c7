/**
 * A number as Intl.NumberFormat writes it for en-US and zh-CN (grouping commas, a dot, at most
 * `maxDecimals` and at least `minDecimals` decimals), without Intl: the reasons of a million
 * customers format a few million numbers, and Intl's format() was a third of that time.
 *
 * ICU rounds the shortest decimal that reads back as the double (what String(x) prints), half
 * away from zero: 1.005 → "1.01" (toFixed gives "1.00", rounding the binary value). So does this.
 * A negative number, or −0, keeps its sign even when it rounds to zero ("-0"), as ICU's does.
 * Numbers String() writes with an exponent (below 1e-6 or from 1e21) are left to Intl: null.
 * test/decimal-text.test.ts checks it against Intl over millions of numbers.
 */
export function decimalText(x: number, maxDecimals: number, minDecimals: number): string | null {
  const negative = x < 0 || Object.is(x, -0);
  const a = negative ? -x : x;
  if (!(a < 1e21) || (a < 1e-6 && a !== 0)) return null;
  if (!(Number.isInteger(maxDecimals) && maxDecimals >= 0 && maxDecimals <= 20)) return null;
  if (!(Number.isInteger(minDecimals) && minDecimals >= 0 && minDecimals <= maxDecimals))
    return null;
  if (maxDecimals === 0 && a < 2 ** 51) {
    // Whole numbers: below 2^51, a + 0.5 is exact and a half (k.5) is itself a double, so the
    // shortest decimal of a rounds as a does (the general way below gives the same text)
    return (negative ? "-" : "") + grouped(String(Math.floor(a + 0.5)));
  }
  const s = String(a);
  const dot = s.indexOf(".");
  let int = dot < 0 ? s : s.slice(0, dot);
  let frac = dot < 0 ? "" : s.slice(dot + 1);
  if (frac.length > maxDecimals) {
    const up = frac.charCodeAt(maxDecimals) >= 53; // the first dropped digit is 5 or more
    frac = frac.slice(0, maxDecimals);
    if (up) {
      // one unit in the last kept place, carried through the nines
      const digits = int + frac;
      let i = digits.length - 1;
      while (i >= 0 && digits.charCodeAt(i) === 57) i--;
      const rounded =
        i < 0
          ? "1" + "0".repeat(digits.length)
          : digits.slice(0, i) +
            String.fromCharCode(digits.charCodeAt(i) + 1) +
            "0".repeat(digits.length - i - 1);
      int = rounded.slice(0, rounded.length - maxDecimals);
      frac = rounded.slice(rounded.length - maxDecimals);
    }
  }
  let end = frac.length;
  while (end > minDecimals && frac.charCodeAt(end - 1) === 48) end--;
  if (end < frac.length) frac = frac.slice(0, end);
  if (frac.length < minDecimals) frac += "0".repeat(minDecimals - frac.length);
  return (negative ? "-" : "") + grouped(int) + (frac ? "." + frac : "");
}

/** Digits in groups of three: 1234567 → 1,234,567. */
function grouped(int: string): string {
  if (int.length <= 3) return int;
  let out = int.slice(0, ((int.length - 1) % 3) + 1);
  for (let k = out.length; k < int.length; k += 3) out += "," + int.slice(k, k + 3);
  return out;
}
