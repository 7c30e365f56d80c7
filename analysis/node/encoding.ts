/**
 * Which encoding a text file's bytes are in, and the text as UTF-8 bytes (what the CSV reader
 * reads). What a byte order mark says is certain; everything else is a guess, said as one
 * (`guessed`) so that the run can warn about it.
 *
 *   BOM (UTF-8, UTF-16 LE/BE)                      → that encoding
 *   no BOM, NUL bytes in every other position      → UTF-16 LE or BE (text with ASCII in it;
 *                                                    UTF-8 and the legacy encodings have no NUL)
 *   valid UTF-8                                    → UTF-8, as it is (no copy)
 *   mostly UTF-8: ten valid multi-byte sequences  → UTF-8; the bad bytes become U+FFFD (the
 *   or more per invalid byte (GBK text has fewer    cleaning reports an ID that has one)
 *   than one per invalid pair; Latin-1 about none)
 *   else, decodes as GB18030 without an error and
 *   its two-byte characters look like Chinese      → GB18030 (what Chinese Excel saves as CSV)
 *   else                                           → Windows-1252 (Latin-1 and its superset:
 *                                                    what Western Excel saves as CSV)
 *
 * "Look like Chinese": in GB text almost every character is a pair of bytes from 0xA1–0xFE
 * (GB2312's rows, where all common hanzi are); GBK's extension pairs, whose second byte is ASCII,
 * are rare. Latin-1 text has its accented letters between ASCII letters, so as GBK nearly every
 * pair has an ASCII second byte ("Müller" is 4D FC 6C … and FC 6C is the GBK character 黮).
 */
import { isUtf8 } from "node:buffer";

export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030" | "windows-1252";

export interface Decoded {
  /** The text as UTF-8, without a BOM. */
  bytes: Buffer;
  encoding: Encoding;
  /** True when no BOM said so: the encoding was inferred from the bytes. */
  guessed: boolean;
  /** Invalid UTF-8 sequences replaced by U+FFFD (a "mostly UTF-8" file). */
  invalid: number;
}

/** A Buffer over the same memory as `bytes` (no copy). */
const bufferOf = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

/** Bytes examined to guess an encoding (the start of the file). */
const SAMPLE = 1 << 16;

/** The bytes as UTF-8, and the encoding they were read in (see the module comment). */
export function decodeBytes(bytes: Uint8Array): Decoded {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return utf8Of(bufferOf(bytes.subarray(3)), false);
  if (a === 0xff && b === 0xfe) return converted(bytes.subarray(2), "utf-16le", false);
  if (a === 0xfe && b === 0xff) return converted(bytes.subarray(2), "utf-16be", false);
  const wide = utf16WithoutBom(bytes);
  if (wide) return converted(bytes, wide, true);
  if (isUtf8(bytes))
    return { bytes: bufferOf(bytes), encoding: "utf-8", guessed: false, invalid: 0 };
  const bad = invalidUtf8(bytes);
  if (bad.invalid * 10 <= bad.valid) return utf8Of(bufferOf(bytes), true);
  return converted(bytes, looksLikeGb(bytes) ? "gb18030" : "windows-1252", true);
}

/** UTF-8 bytes that may hold invalid sequences: as they are when valid, else re-encoded. */
function utf8Of(u: Buffer, guessed: boolean): Decoded {
  if (isUtf8(u)) return { bytes: u, encoding: "utf-8", guessed, invalid: 0 };
  const { invalid } = invalidUtf8(u, u.length);
  return { bytes: Buffer.from(u.toString("utf8"), "utf8"), encoding: "utf-8", guessed, invalid };
}

function converted(bytes: Uint8Array, encoding: Encoding, guessed: boolean): Decoded {
  const text = new TextDecoder(encoding).decode(bytes);
  return { bytes: Buffer.from(text, "utf8"), encoding, guessed, invalid: 0 };
}

/**
 * UTF-16 without a BOM: in the sample, at least a quarter of the code units have a NUL in one
 * half (ASCII characters: delimiters, digits, line breaks) and almost none in the other.
 */
function utf16WithoutBom(bytes: Uint8Array): Encoding | null {
  const n = Math.min(bytes.length, SAMPLE) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const units = n / 2;
  if (oddNul * 4 >= units && evenNul * 50 <= units) return "utf-16le";
  if (evenNul * 4 >= units && oddNul * 50 <= units) return "utf-16be";
  return null;
}

/** Valid multi-byte sequences and invalid bytes of UTF-8 in bytes[0, n) (default: a sample). */
function invalidUtf8(
  bytes: Uint8Array,
  n = Math.min(bytes.length, SAMPLE * 16),
): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < n;) {
    const x = bytes[i];
    if (x < 0x80) {
      i++;
      continue;
    }
    const len =
      x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/**
 * True when the sample decodes as GB18030 without an error and at most one pair in twenty
 * of its two-byte characters is outside GB2312's rows (second byte below 0xA1).
 */
function looksLikeGb(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SAMPLE);
  let gb2312 = 0;
  let other = 0;
  for (let i = 0; i < n;) {
    const x = bytes[i];
    if (x < 0x80) {
      i++;
      continue;
    }
    if (i + 1 >= n) break;
    const y = bytes[i + 1];
    if (x >= 0xa1 && x <= 0xf7 && y >= 0xa1 && y <= 0xfe) gb2312++;
    else other++;
    i += 2;
  }
  if (gb2312 === 0 || other * 20 > gb2312 + other) return false;
  try {
    new TextDecoder("gb18030", { fatal: true }).decode(bytes.subarray(0, cutAtLine(bytes, n)));
    return true;
  } catch {
    return false;
  }
}

/** The sample's end moved back to a line break (not to split a two-byte character). */
function cutAtLine(bytes: Uint8Array, n: number): number {
  if (n >= bytes.length) return bytes.length;
  const at = bytes.lastIndexOf(10, n - 1);
  return at > 0 ? at + 1 : n;
}
