/** Request bytes counted without building the JSON: equal to TextEncoder on JSON.stringify. */
import { describe, expect, it } from "vitest";
import { jsonBytes } from "../../addin/json-bytes.js";
import { mulberry32 } from "../../analysis/random.js";

const encoder = new TextEncoder();
const exact = (x: unknown) => encoder.encode(JSON.stringify(x) ?? "").length;

describe("jsonBytes", () => {
  it("equals the encoded JSON of every kind of request value", () => {
    const values: unknown[] = [
      undefined,
      null,
      true,
      false,
      0,
      -0,
      1e21,
      -1.5e-7,
      NaN,
      Infinity,
      "",
      'quote " \\ \n \u0000 \u2028 客户 😀 \ud800',
      [],
      [[]],
      [undefined, () => 1, null, NaN, "x"],
      [
        ["007", 45306, true],
        ["=1+1", null, ""],
      ],
      { a: 1, b: undefined, c: ["x", { d: "é" }] },
      new Date(Date.UTC(2024, 0, 5)),
      [new Date(0), { toJSON: () => "custom" }],
    ];
    for (const v of values) expect(jsonBytes(v), JSON.stringify(v) ?? "undefined").toBe(exact(v));
  });

  it("equals it on a large random grid of text, numbers and blanks", () => {
    const rnd = mulberry32(7);
    const chars = ["a", "Z", "0", " ", '"', "\\", "\n", "\u0001", "é", "客", "😀", "\udc00", "€"];
    const grid = Array.from({ length: 300 }, () =>
      Array.from({ length: 7 }, () => {
        const k = rnd();
        if (k < 0.2) return Math.round(rnd() * 1e6) / 100;
        if (k < 0.25) return null;
        if (k < 0.3) return "";
        return Array.from(
          { length: 1 + Math.floor(rnd() * 12) },
          () => chars[Math.floor(rnd() * chars.length)],
        ).join("");
      }),
    );
    expect(jsonBytes(grid)).toBe(exact(grid));
  });
});
