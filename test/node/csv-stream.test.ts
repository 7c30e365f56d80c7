import { describe, expect, it } from "vitest";
import { csvChunks, mapRows } from "../../analysis/node/csv-stream.js";
import { toCsv, type CsvValue } from "../../analysis/node/csv-write.js";

describe("csvChunks", () => {
  const header = ["id", "name", "amount"];
  const rows: CsvValue[][] = [
    ["K1", '=HYPERLINK("x")', -12.5],
    ["K2", "a,b", null],
    ["K3", "line\nbreak"],
    ["K4", "华东", Infinity],
  ];

  it("gives the same text as toCsv, however it is cut", () => {
    for (const size of [1, 7, 64, 1 << 20]) {
      const chunks = [...csvChunks(header, rows, {}, size)];
      expect(chunks.join("")).toBe(toCsv(header, rows));
      if (size === 1) expect(chunks.length).toBe(rows.length);
    }
    expect([...csvChunks(header, rows, { bom: false, neutralise: false })].join("")).toBe(
      toCsv(header, rows, { bom: false, neutralise: false }),
    );
  });

  it("takes rows as they are needed", () => {
    let made = 0;
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const it = csvChunks(
      header,
      mapRows(items, (i) => (made++, [`K${i}`, "x", i])),
      {},
      100,
    );
    it.next();
    expect(made).toBeLessThan(20);
  });

  it("refuses a row wider than the header", () => {
    expect(() => [...csvChunks(["a"], [["1", "2"]])]).toThrow(/row 1 has 2 fields for 1 columns/);
  });
});
