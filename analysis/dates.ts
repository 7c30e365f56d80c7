/**
 * Epoch days (days since 1970-01-01, UTC calendar) to and from ISO text, calendar fields,
 * Excel serial numbers and JS Dates. Pure arithmetic (no Date objects on the hot path).
 */

export const DAY_MS = 86_400_000;

/** Excel serial of 1970-01-01 in the 1900 system (the same in both systems minus 1462). */
const SERIAL_1970_1900 = 25_569;
/** Epoch day of 1904-01-01, serial 0 in the 1904 system. */
const SERIAL_1970_1904 = 24_107;
/** Largest serial Excel accepts (9999-12-31 in the 1900 system). */
const MAX_SERIAL = 2_958_465;

/** Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian; m 1..12). No validation. */
function daysFromCivil(y: number, m: number, d: number): number {
  // Valid for y >= 0 (integer division by truncation is then floor division).
  const yy = m <= 2 ? y - 1 : y;
  const era = (yy / 400) | 0;
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = (((153 * mp + 2) / 5) | 0) + d - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  return era * 146_097 + doe - 719_468;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1];
}

/** Epoch day of a calendar date, NaN when it does not exist (2023-02-29, month 13, year 0). */
export function dayFromYmd(y: number, m: number, d: number): number {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return NaN;
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  return daysFromCivil(y, m, d);
}

/** Calendar fields of an epoch day. */
export function ymdFromDay(day: number): { y: number; m: number; d: number } {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "YYYY-MM-DD" of an epoch day ("" when not finite). */
export function isoDay(day: number): string {
  if (!Number.isFinite(day)) return "";
  const { y, m, d } = ymdFromDay(Math.floor(day));
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
}

/** Epoch day of exactly "YYYY-MM-DD", NaN otherwise. */
export function dayFromIso(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  return m ? dayFromYmd(+m[1], +m[2], +m[3]) : NaN;
}

/**
 * Epoch day of an Excel serial number; the time of day (fraction) is dropped.
 *
 * 1900 system: serial 1 = 1900-01-01. Excel believes 1900 was a leap year, so serials 1..59
 * are one day "ahead" of the true count and serial 60 is the fictitious 1900-02-29. We map
 * serials below 60 as Excel displays them (1 → 1900-01-01, 59 → 1900-02-28) and **60 to
 * 1900-03-01**, the day a JavaScript Date (and Excel's own `=DATE(1900,2,29)+0` rolled to a
 * real calendar) lands on; 61 is also 1900-03-01 as in Excel. Serials below 1 (Excel's
 * "1900-01-00") and above 9999-12-31 are NaN.
 * 1904 system: serial 0 = 1904-01-01; negative serials are NaN.
 */
export function excelSerialToDay(serial: number, system: "1900" | "1904"): number {
  if (!Number.isFinite(serial)) return NaN;
  const s = Math.floor(serial);
  if (system === "1904") {
    return s < 0 || s > MAX_SERIAL - 1462 ? NaN : s - SERIAL_1970_1904;
  }
  if (s < 1 || s > MAX_SERIAL) return NaN;
  return s <= 60 ? s - SERIAL_1970_1900 + 1 : s - SERIAL_1970_1900;
}

/** Excel serial of an epoch day (never 60 in the 1900 system; NaN before the system's start). */
export function dayToExcelSerial(day: number, system: "1900" | "1904"): number {
  if (!Number.isFinite(day)) return NaN;
  const d = Math.floor(day);
  if (system === "1904") {
    const s = d + SERIAL_1970_1904;
    return s < 0 ? NaN : s;
  }
  const s = d + SERIAL_1970_1900;
  if (s >= 61) return s;
  return s - 1 >= 1 ? s - 1 : NaN;
}

/**
 * Epoch day of a Date from its UTC fields: exceljs (and JSON) hand us Dates whose UTC fields
 * are the wall-clock time written in the cell. NaN for an invalid Date.
 */
export function dayFromDate(d: Date): number {
  const t = d.getTime();
  if (!Number.isFinite(t)) return NaN;
  const day = Math.floor(t / DAY_MS);
  // years 1..9999 only, as dayFromYmd (a serial past Excel's last day made "10000-01-01")
  return day >= FIRST_DAY && day <= LAST_DAY ? day : NaN;
}

/** Epoch days of 0001-01-01 and 9999-12-31, the calendar's ends here. */
const FIRST_DAY = daysFromCivil(1, 1, 1);
const LAST_DAY = daysFromCivil(9999, 12, 31);

/** Today's calendar date where the run is (local time), as an epoch day. */
export function todayFromClock(now: Date = new Date()): number {
  return dayFromYmd(now.getFullYear(), now.getMonth() + 1, now.getDate());
}
