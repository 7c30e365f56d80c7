/**
 * Bytes of a request's JSON — JSON.stringify's text in UTF-8 — counted without building or
 * encoding it. The adapter sizes its requests with it and the in-memory workbook checks them
 * with it: encoding every value took 10 s of a 1,000,000-row write in the adapter, and encoding
 * a whole 3 MB request held the playground's page for some 250 ms in the fake.
 */

/** UTF-8 bytes of a string (as TextEncoder writes it; a lone surrogate as U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * Bytes of a string in JSON: quotes, escapes (\" \\ \b \t \n \f \r, other controls and lone
 * surrogates as \uXXXX), the rest in UTF-8.
 */
export function jsonStringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 34 || c === 92) n += 2;
      else if (c < 32) n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
      else n += 1;
    } else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 6;
    } else n += 3;
  }
  return n;
}

/**
 * Bytes of JSON.stringify(x) in UTF-8 (0 when it gives undefined). Strings, numbers, booleans,
 * null and arrays of them are counted directly; anything else (objects, Dates) through
 * JSON.stringify, which is exact and rare in a request.
 */
export function jsonBytes(x: unknown): number {
  if (typeof x === "string") return jsonStringBytes(x);
  if (typeof x === "number") return Number.isFinite(x) ? String(x).length : 4;
  if (typeof x === "boolean") return x ? 4 : 5;
  if (x === null) return 4;
  if (x === undefined || typeof x === "function" || typeof x === "symbol") return 0;
  if (Array.isArray(x)) {
    let n = 2 + Math.max(0, x.length - 1);
    for (const v of x) {
      const b = jsonBytes(v);
      // in an array, undefined, functions and symbols are written as null
      n += b === 0 && (v === undefined || typeof v === "function" || typeof v === "symbol") ? 4 : b;
    }
    return n;
  }
  const text = JSON.stringify(x);
  return text === undefined ? 0 : utf8Length(text);
}
