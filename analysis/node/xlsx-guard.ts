/**
 * An .xlsx is checked before exceljs opens it: exceljs inflates every part into memory and
 * then into one string, so a "zip bomb" (a few kB that inflate to gigabytes) or an oversized
 * part would fill the memory or end in "Invalid string length".
 *
 * Limits (stated to the user in the message and in README): at most 1,000,000,000 bytes
 * (1 GB) inflated in all, and at most 500,000,000 bytes (500 MB) for any one part — under
 * V8's longest string (about 536 million characters). Both are checked first against the sizes
 * the package's central directory declares, then against the real sizes while inflating (a
 * bomb may declare small sizes): inflating stops as soon as a limit is passed, and nothing
 * inflated is kept.
 */
import { UnusableInputError } from "../errors.js";
import { inflatedSize, zipEntries, ZipFormatError, type ZipEntry } from "./zip.js";

export const MAX_WORKBOOK_BYTES = 1_000_000_000;
export const MAX_PART_BYTES = 500_000_000;

const mb = (n: number) => Math.round((n / 1e6) * 1000) / 1000;

export interface SizeLimits {
  workbook: number;
  part: number;
}
const LIMITS: SizeLimits = { workbook: MAX_WORKBOOK_BYTES, part: MAX_PART_BYTES };

function tooLarge(file: string, part: string | null, limits: SizeLimits): UnusableInputError {
  return new UnusableInputError(
    part === null
      ? { key: "reading.workbookTooLarge", params: { file, limit: mb(limits.workbook) } }
      : { key: "reading.workbookPartTooLarge", params: { file, part, limit: mb(limits.part) } },
  );
}

/**
 * Refuse a package that inflates past the limits, or that is not a ZIP package at all.
 * `file` names it in the message.
 */
export async function checkWorkbookSize(
  bytes: Buffer,
  file: string,
  limits: SizeLimits = LIMITS,
): Promise<void> {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (e) {
    if (e instanceof ZipFormatError)
      throw new UnusableInputError({ key: "reading.notAWorkbook", params: { file } });
    throw e;
  }
  let declared = 0;
  for (const e of entries) {
    if (e.size > limits.part) throw tooLarge(file, e.name, limits);
    declared += e.size;
  }
  if (declared > limits.workbook) throw tooLarge(file, null, limits);
  let total = 0;
  for (const e of entries) {
    let n: number;
    try {
      n = await inflatedSize(bytes, e, Math.min(limits.part, limits.workbook - total, e.size));
    } catch (err) {
      if (err instanceof ZipFormatError)
        throw new UnusableInputError({
          key: "reading.damagedWorkbookPart",
          params: { file, part: e.name },
        });
      throw err;
    }
    // a part that inflates past the size it declares is damaged (or a bomb that lies)
    if (n > e.size)
      throw new UnusableInputError({
        key: "reading.damagedWorkbookPart",
        params: { file, part: e.name },
      });
    total += n;
    if (total > limits.workbook) throw tooLarge(file, null, limits);
  }
}
