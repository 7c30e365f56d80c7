import { describe, expect, it } from "vitest";
import {
  dayFromDate,
  dayFromIso,
  dayFromYmd,
  dayToExcelSerial,
  excelSerialToDay,
  isoDay,
  ymdFromDay,
} from "../analysis/dates.js";

describe("epoch days", () => {
  it("known days", () => {
    expect(dayFromYmd(1970, 1, 1)).toBe(0);
    expect(dayFromYmd(2000, 3, 1)).toBe(11_017);
    expect(dayFromYmd(2024, 1, 5)).toBe(19_727);
    expect(dayFromYmd(1900, 1, 1)).toBe(-25_567);
    expect(isoDay(19_727)).toBe("2024-01-05");
    expect(isoDay(-25_567)).toBe("1900-01-01");
    expect(dayFromIso("2024-02-29")).toBe(19_782);
  });
  it("rejects dates that do not exist", () => {
    expect(dayFromYmd(2023, 2, 29)).toBeNaN();
    expect(dayFromYmd(1900, 2, 29)).toBeNaN();
    expect(dayFromYmd(2024, 13, 1)).toBeNaN();
    expect(dayFromYmd(2024, 4, 31)).toBeNaN();
    expect(dayFromYmd(2024, 1, 0)).toBeNaN();
    expect(dayFromYmd(2024.5, 1, 1)).toBeNaN();
    expect(dayFromIso("2024-1-5")).toBeNaN();
    expect(isoDay(NaN)).toBe("");
  });
  it("round-trips every day of 1899–2101 against Date.UTC", () => {
    const bad: number[] = [];
    let checked = 0;
    for (let day = dayFromYmd(1899, 1, 1); day <= dayFromYmd(2101, 12, 31); day += 1, checked++) {
      const d = new Date(day * 86_400_000);
      const { y, m, d: dd } = ymdFromDay(day);
      const same = y === d.getUTCFullYear() && m === d.getUTCMonth() + 1 && dd === d.getUTCDate();
      if (!same || dayFromYmd(y, m, dd) !== day || dayFromIso(isoDay(day)) !== day) bad.push(day);
    }
    expect(checked).toBe(203 * 365 + 49);
    expect(bad).toEqual([]);
  });
  it("reads Dates by their UTC fields and drops the time", () => {
    expect(dayFromDate(new Date(Date.UTC(2024, 0, 5, 23, 59)))).toBe(19_727);
    expect(dayFromDate(new Date(Date.UTC(1969, 11, 31, 12)))).toBe(-1);
    expect(dayFromDate(new Date(NaN))).toBeNaN();
  });
});

describe("Excel serials", () => {
  it("1900 system, including Excel's fictitious 1900-02-29 (serial 60)", () => {
    expect(isoDay(excelSerialToDay(1, "1900"))).toBe("1900-01-01");
    expect(isoDay(excelSerialToDay(59, "1900"))).toBe("1900-02-28");
    expect(isoDay(excelSerialToDay(60, "1900"))).toBe("1900-03-01"); // documented choice
    expect(isoDay(excelSerialToDay(61, "1900"))).toBe("1900-03-01");
    expect(isoDay(excelSerialToDay(25_569, "1900"))).toBe("1970-01-01");
    expect(isoDay(excelSerialToDay(45_296, "1900"))).toBe("2024-01-05");
    expect(isoDay(excelSerialToDay(45_296.99, "1900"))).toBe("2024-01-05");
    expect(excelSerialToDay(0, "1900")).toBeNaN();
    expect(excelSerialToDay(-3, "1900")).toBeNaN();
    expect(isoDay(excelSerialToDay(2_958_465, "1900"))).toBe("9999-12-31");
    expect(excelSerialToDay(2_958_466, "1900")).toBeNaN();
  });
  it("1904 system", () => {
    expect(isoDay(excelSerialToDay(0, "1904"))).toBe("1904-01-01");
    expect(isoDay(excelSerialToDay(43_834, "1904"))).toBe("2024-01-05");
    expect(excelSerialToDay(-1, "1904")).toBeNaN();
  });
  it("back to serials (never 60)", () => {
    expect(dayToExcelSerial(dayFromYmd(2024, 1, 5), "1900")).toBe(45_296);
    expect(dayToExcelSerial(dayFromYmd(1900, 2, 28), "1900")).toBe(59);
    expect(dayToExcelSerial(dayFromYmd(1900, 3, 1), "1900")).toBe(61);
    expect(dayToExcelSerial(dayFromYmd(1900, 1, 1), "1900")).toBe(1);
    expect(dayToExcelSerial(dayFromYmd(1899, 12, 31), "1900")).toBeNaN();
    expect(dayToExcelSerial(dayFromYmd(2024, 1, 5), "1904")).toBe(43_834);
    for (const s of [1, 59, 61, 1000, 45_296])
      expect(dayToExcelSerial(excelSerialToDay(s, "1900"), "1900")).toBe(s);
  });
});
