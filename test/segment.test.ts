import { describe, expect, it } from "vitest";
import { mulberry32 } from "../analysis/random.js";
import { cubeCell, namedSegment, segmentCustomers, CUBE_KEYS, CUBE } from "../analysis/segment.js";
import { DEFAULT_SEGMENTS } from "../analysis/settings.js";
import type { RfmScores } from "../analysis/rfm.js";

const mean = { r: 3, f: 3, m: 3 };

describe("RFM cube", () => {
  it("maps high/low against the mean score (at the mean counts as high)", () => {
    expect(cubeCell(3, 3, 3, mean)).toBe("importantValue");
    expect(cubeCell(5, 1, 5, mean)).toBe("importantDevelop");
    expect(cubeCell(1, 5, 5, mean)).toBe("importantRetain");
    expect(cubeCell(1, 1, 5, mean)).toBe("importantWinBack");
    expect(cubeCell(5, 5, 1, mean)).toBe("generalValue");
    expect(cubeCell(5, 1, 1, mean)).toBe("generalDevelop");
    expect(cubeCell(1, 5, 1, mean)).toBe("generalRetain");
    expect(cubeCell(2, 2, 2, mean)).toBe("generalWinBack");
  });

  it("has the eight cells with SPEC's Chinese names, each a distinct bit pattern", () => {
    expect(CUBE_KEYS).toHaveLength(8);
    expect(new Set(CUBE_KEYS.map((k) => `${CUBE[k].r}${CUBE[k].f}${CUBE[k].m}`)).size).toBe(8);
    expect(CUBE.importantWinBack.zh).toBe("重要挽留客户");
    expect(CUBE.generalRetain.zh).toBe("一般保持客户");
  });
});

describe("named segments (R rfm package table, first match wins)", () => {
  const name = (r: number, f: number, m: number) =>
    namedSegment(r, f, m, DEFAULT_SEGMENTS)?.name ?? "Others";
  it("gives 5-5-5 Champions, not Loyal Customers (the old override bug)", () => {
    expect(name(5, 5, 5)).toBe("Champions");
  });
  it("matches each row's ranges", () => {
    expect(name(3, 4, 4)).toBe("Loyal Customers");
    expect(name(5, 2, 2)).toBe("Potential Loyalist");
    expect(name(5, 1, 1)).toBe("Potential Loyalist"); // row 3 comes before New Customers
    expect(name(2, 2, 2)).toBe("Need Attention");
    expect(name(2, 1, 2)).toBe("About To Sleep");
    expect(name(1, 3, 3)).toBe("At Risk");
    expect(name(1, 1, 1)).toBe("Lost");
    expect(name(2, 5, 1)).toBe("Others");
  });
  it("lets users edit the table (rules as data)", () => {
    const custom = [
      {
        name: "VIP",
        zh: "贵宾",
        r: [5, 5] as [number, number],
        f: [5, 5] as [number, number],
        m: [5, 5] as [number, number],
      },
    ];
    expect(namedSegment(5, 5, 5, custom)?.zh).toBe("贵宾");
    expect(namedSegment(4, 5, 5, custom)).toBeNull();
  });
  it("gives every customer the cell and segment of its own scores (property)", () => {
    const rand = mulberry32(3);
    const n = 500;
    // scores above 5 are not made by scoreRfm but are still looked up one by one
    const draw = () => Uint8Array.from({ length: n }, () => Math.floor(rand() * 8));
    const scores: RfmScores = {
      r: draw(),
      f: draw(),
      m: draw(),
      scored: n,
      mean: { r: 2.7, f: 3.1, m: 3 },
    };
    const s = segmentCustomers(scores, DEFAULT_SEGMENTS);
    for (let c = 0; c < n; c++) {
      const [r, f, m] = [scores.r[c], scores.f[c], scores.m[c]];
      expect(s.cube[c]).toBe(r ? cubeCell(r, f, m, scores.mean) : null);
      expect(s.named[c]).toBe(
        r ? (namedSegment(r, f, m, DEFAULT_SEGMENTS)?.name ?? "Others") : null,
      );
    }
  });

  it("segments only scored customers", () => {
    const scores: RfmScores = {
      r: Uint8Array.from([5, 0]),
      f: Uint8Array.from([5, 0]),
      m: Uint8Array.from([5, 0]),
      scored: 1,
      mean: { r: 5, f: 5, m: 5 },
    };
    const s = segmentCustomers(scores, DEFAULT_SEGMENTS);
    expect(s.named).toEqual(["Champions", null]);
    expect(s.cube).toEqual(["importantValue", null]);
  });
});
