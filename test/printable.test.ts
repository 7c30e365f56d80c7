import { describe, expect, it } from "vitest";
import { printable } from "../analysis/printable.js";
import { t } from "../analysis/messages/index.js";

describe("printable", () => {
  it("removes escape sequences and control characters, keeps text, tab and line feed", () => {
    expect(printable("\x1b[2J\x1b[31mKunde\x1b[0m")).toBe("Kunde");
    expect(printable("a\x1b]0;title\x07b")).toBe("ab");
    expect(printable("C\x00u\x00s\x00t\x00")).toBe("Cust");
    expect(printable("x\x85y\x9bz\x7f")).toBe("xyz");
    expect(printable("evil\u202egnp.exe")).toBe("evilgnp.exe");
    expect(printable("客户\t编号\n")).toBe("客户\t编号\n");
    expect(printable("Müller ¥1,234")).toBe("Müller ¥1,234");
  });

  it("every message's text parameters are printable", () => {
    const msg = {
      key: "reading.missing.orders.customerId",
      params: { table: "a\x1b[2Jb.csv", found: "\x1b[31mDate\x1b[0m, A\x00m\x00t" },
    };
    expect(t("en", msg)).toBe(
      "The order table “ab.csv” has no customer ID column (e.g. “Customer ID” or “客户编号”). Headers found: Date, Amt.",
    );
  });
});
