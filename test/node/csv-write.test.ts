import { describe, expect, it } from "vitest";
import { csvField, csvLine, toCsv } from "../../analysis/node/csv-write.js";

/** A small RFC 4180 reader, to check that what we write reads back to the same fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

describe("toCsv", () => {
  it("starts with a UTF-8 BOM and ends records with CRLF", () => {
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("\uFEFFa,b\r\n1,x\r\n");
    expect(toCsv(["a"], [], { bom: false })).toBe("a\r\n");
  });

  it("quotes commas, quotes and line breaks (RFC 4180) and reads back the same", () => {
    const rows = [["华东, 上海", 'say "hi"', "line1\nline2", "plain"]];
    const text = toCsv(["a", "b", "c", "d"], rows, { bom: false });
    expect(text).toBe('a,b,c,d\r\n"华东, 上海","say ""hi""","line1\nline2",plain\r\n');
    expect(parseCsv(text)).toEqual([["a", "b", "c", "d"], ...rows]);
  });

  it("neutralises text that a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe(`"'\r=1"`);
    expect(csvField("a=1")).toBe("a=1");
    expect(csvField("客户-1")).toBe("客户-1");
    expect(toCsv(["h"], [["=1"]], { bom: false })).toBe("h\r\n'=1\r\n");
  });

  it("can leave text as is for files the program reads back itself", () => {
    expect(toCsv(["h"], [["-C001"]], { bom: false, neutralise: false })).toBe("h\r\n-C001\r\n");
  });

  it("writes numbers as numbers: negative amounts stay numbers", () => {
    expect(csvLine([-12.5, 0, -0, 3, 1234567.891])).toBe("-12.5,0,0,3,1234567.891\r\n");
    expect(csvLine([Number.NaN, Number.POSITIVE_INFINITY, null, undefined, ""])).toBe(",,,,\r\n");
  });

  it("pads short rows and rejects rows wider than the header", () => {
    expect(toCsv(["a", "b", "c"], [[1]], { bom: false })).toBe("a,b,c\r\n1,,\r\n");
    expect(() => toCsv(["a"], [[1, 2]])).toThrow(/row 1 has 2 fields for 1 columns/);
    expect(() => toCsv([], [])).toThrow(/empty/);
  });
});
