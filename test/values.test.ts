import { describe, expect, it } from "vitest";
import { mulberry32 } from "../analysis/random.js";
import {
  detectDateOrder,
  isExcelError,
  parseDateText,
  parseNumberText,
  parseYesNo,
} from "../analysis/values.js";
import { dayFromYmd } from "../analysis/dates.js";

const num = (s: string, decimalComma = false): number =>
  parseNumberText(s, 0, s.length, { decimalComma });
const date = (s: string, dateOrder: "mdy" | "dmy" = "mdy"): number =>
  parseDateText(s, 0, s.length, { dateOrder });
const JAN5 = dayFromYmd(2024, 1, 5);

describe("parseNumberText", () => {
  it.each([
    ["123", 123],
    ["-123", -123],
    ["+123", 123],
    ["123.45", 123.45],
    [".5", 0.5],
    ["5.", 5],
    ["1,234.50", 1234.5],
    ["1,234,567", 1_234_567],
    ["¥1,234.50", 1234.5],
    ["￥1,234.50", 1234.5],
    ["$99", 99],
    ["€ 12.5", 12.5],
    ["12.5 €", 12.5],
    ["-¥5", -5],
    ["¥-5", -5],
    ["(123.00)", -123],
    ["（123.00）", -123],
    ["(¥1,000)", -1000],
    ["  42  ", 42],
    ["\u00a042\u3000", 42],
    ["１２３", 123],
    ["１，２３４．５", 1234.5],
    ["－７", -7],
    ["1,234.50元", 1234.5],
    ["RMB 100", 100],
    ["100 CNY", 100],
    ["123-", -123],
    ["1.5E+3", 1500],
    ["2e-2", 0.02],
    ["0", 0],
    ["0.1", 0.1],
    ["12345678901234567", 12345678901234567],
    ["9007199254740993", 9007199254740992],
  ])("%s → %d", (s, v) => {
    expect(num(s)).toBe(v);
  });
  it.each([
    "",
    "  ",
    "abc",
    "1,23",
    "12,3456",
    "1.2.3",
    "1 234",
    "1,234,56",
    "--1",
    "(123",
    "123)",
    "(-5)",
    "#N/A",
    "1,234,50 €",
    "12%",
    "¥",
    "-",
    "1e",
    "1,2e3",
    "TRUE",
  ])("%j is unreadable", (s) => {
    expect(num(s)).toBeNaN();
  });
  it("decimal comma only when asked", () => {
    expect(num("1 234,50 €", true)).toBe(1234.5);
    expect(num("1.234,50", true)).toBe(1234.5);
    expect(num("1\u202f234,5", true)).toBe(1234.5);
    expect(num("12,5", true)).toBe(12.5);
    expect(num("1 234,50 €")).toBeNaN();
    expect(num("1.234,50")).toBeNaN();
    expect(num("1,234.50", true)).toBeNaN();
  });
  it("reads a substring in place", () => {
    const s = "x,¥1,234.50,y";
    expect(parseNumberText(s, 2, 11, { decimalComma: false })).toBe(1234.5);
  });
  it("reads plain digits with one point exactly, up to 15 digits and beyond (property)", () => {
    const rand = mulberry32(9);
    for (let i = 0; i < 2000; i++) {
      const digits = Array.from({ length: 1 + Math.floor(rand() * 18) }, () =>
        Math.floor(rand() * 10),
      ).join("");
      const cut = Math.floor(rand() * (digits.length + 1));
      const s = rand() < 0.3 || cut === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
      expect(num(s)).toBe(Number(s));
    }
    expect(num("12345678901234.5")).toBe(12345678901234.5);
    expect(num("1..2")).toBeNaN();
    expect(num("123.45", true)).toBeNaN(); // with a decimal comma "." groups thousands
  });
  it("agrees with Number() on plain decimals", () => {
    for (const s of ["0.1", "0.3", "123.45", "999999.99", "3.14159", "100000.01", "0.000123"])
      expect(num(s)).toBe(Number(s));
  });
});

describe("parseDateText", () => {
  it.each([
    "2024-01-05",
    "2024/1/5",
    "2024.1.5",
    "2024年1月5日",
    "2024年01月05日",
    "2024年1月5号",
    "20240105",
    "2024-01-05 14:30",
    "2024-01-05 14:30:00",
    "2024-01-05T14:30:00Z",
    "2024-01-05T14:30:00.123+08:00",
    "2024/1/5 下午2:30",
    "2024/1/5 2:30 PM",
    " 2024-01-05 ",
    "２０２４年１月５日",
    "2024／1／5",
    "01/05/2024",
    "1/5/2024",
    "1/5/24",
    "01-05-2024",
    "1/5/2024 8:26",
  ])("%s → 2024-01-05 (mdy)", (s) => {
    expect(date(s)).toBe(JAN5);
  });
  it("day-first when asked", () => {
    expect(date("05/01/2024", "dmy")).toBe(JAN5);
    expect(date("5.1.2024", "dmy")).toBe(JAN5);
    expect(date("31/12/2023", "dmy")).toBe(dayFromYmd(2023, 12, 31));
    expect(date("31/12/2023", "mdy")).toBeNaN();
    expect(date("1/5/99")).toBe(dayFromYmd(1999, 1, 5));
  });
  it.each([
    "",
    "2024",
    "2024-13-01",
    "2023-02-29",
    "2024-1",
    "2024-01/05",
    "2024年1月",
    "20241305",
    "2024-01-05x",
    "2024-01-05 noon",
    "45296",
    "1/5",
    "1/5/202",
    "Jan 5, 2024",
    "#N/A",
    "2024-01-05 T",
  ])("%j is unreadable", (s) => {
    expect(date(s)).toBeNaN();
  });
});

describe("detectDateOrder", () => {
  it("decides from parts above 12", () => {
    expect(detectDateOrder(["05/01/2024", "25/01/2024"])).toBe("dmy");
    expect(detectDateOrder(["05/01/2024", "01/25/2024"])).toBe("mdy");
    expect(detectDateOrder(["13/01/2024", "01/25/2024"])).toBe("conflict");
    expect(detectDateOrder(["05/01/2024", "03/04/2024"])).toBe("ambiguous");
    expect(detectDateOrder(["2024-01-05", "20240105", "01/01/2024"])).toBe("none");
    expect(detectDateOrder([])).toBe("none");
  });
});

describe("small helpers", () => {
  it("Excel errors", () => {
    for (const e of ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#n/a"])
      expect(isExcelError(e)).toBe(true);
    for (const e of ["#", "#1", "N/A", ""]) expect(isExcelError(e)).toBe(false);
  });
  it("yes/no in both languages", () => {
    for (const y of ["是", "有", "Y", "yes", "TRUE", "1"]) expect(parseYesNo(y)).toBe(true);
    for (const n of ["否", "无", "N", "No", "FALSE", "0"]) expect(parseYesNo(n)).toBe(false);
    expect(parseYesNo("也许")).toBeNull();
  });
});
