import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../analysis/random.js";
import {
  decodeText,
  detectDelimiter,
  readCsv,
  readCsvText,
  utf8Bytes,
  WHITESPACE,
} from "../../analysis/node/csv.js";
import { cellSource, columnDates, columnDictionary, columnNumbers } from "../../analysis/source.js";
import { newDateOrderTally, parseNumberText, tallyDateText } from "../../analysis/values.js";
import { readDataset } from "../../analysis/clean.js";
import { makeSettings } from "../../analysis/settings.js";
import { dayFromYmd } from "../../analysis/dates.js";

const OPTS = { decimalComma: false, dateOrder: "mdy", dateSystem: "1900" } as const;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const rows = (src: ReturnType<typeof readCsvText>): string[][] =>
  Array.from({ length: src.rowCount }, (_, r) => src.headers.map((_, c) => src.text(r, c)));

describe("decodeText", () => {
  it("UTF-8 with and without BOM", () => {
    expect(decodeText(utf8("客户编号,金额"))).toBe("客户编号,金额");
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8("客户编号")]))).toBe("客户编号");
  });
  it("UTF-16 with BOM", () => {
    const le = [0xff, 0xfe, 0xa2, 0x5b, 0x37, 0x62]; // 客户 = U+5BA2 U+6237
    const be = [0xfe, 0xff, 0x5b, 0xa2, 0x62, 0x37];
    expect(decodeText(Uint8Array.from(le))).toBe("客户");
    expect(decodeText(Uint8Array.from(be))).toBe("客户");
  });
  it("GBK bytes (not valid UTF-8) as GB18030", () => {
    // 客户编号,日期,金额 \r\n 张三,2024/1/5,"1,200"
    const bytes = Uint8Array.from([
      0xbf,
      0xcd,
      0xbb,
      0xa7,
      0xb1,
      0xe0,
      0xba,
      0xc5,
      0x2c,
      0xc8,
      0xd5,
      0xc6,
      0xda,
      0x2c,
      0xbd,
      0xf0,
      0xb6,
      0xee,
      0x0d,
      0x0a,
      0xd5,
      0xc5,
      0xc8,
      0xfd,
      0x2c,
      ...utf8('2024/1/5,"1,200"\r\n'),
    ]);
    expect(decodeText(bytes)).toBe('客户编号,日期,金额\r\n张三,2024/1/5,"1,200"\r\n');
    const src = readCsv(bytes, "gbk.csv");
    expect(src.headers).toEqual(["客户编号", "日期", "金额"]);
    expect(src.text(0, 0)).toBe("张三");
    expect(src.number(0, 2, OPTS)).toBe(1200);
    expect(src.date(0, 1, OPTS)).toBe(dayFromYmd(2024, 1, 5));
  });
});

describe("utf8Bytes", () => {
  it("UTF-8 bytes are read as they are; other encodings are turned into UTF-8", () => {
    const bytes = utf8("id,客户\nA1,5\n");
    const same = utf8Bytes(bytes);
    expect(same.buffer).toBe(bytes.buffer); // no copy
    expect(same.length).toBe(bytes.length);
    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);
    expect(utf8Bytes(bom).buffer).toBe(bom.buffer);
    expect(utf8Bytes(bom).toString("utf8")).toBe("id,客户\nA1,5\n");
    const le = Uint8Array.from([0xff, 0xfe, 0xa2, 0x5b, 0x37, 0x62]); // 客户
    expect(utf8Bytes(le).toString("utf8")).toBe("客户");
    const gbk = Uint8Array.from([0xbf, 0xcd, 0xbb, 0xa7, 0x2c, 0x41]); // 客户,A
    expect(utf8Bytes(gbk).toString("utf8")).toBe("客户,A");
  });
});

describe("detectDelimiter", () => {
  it("comma, semicolon, tab, whitespace", () => {
    expect(detectDelimiter('a,b,c\n1,"2,5",3\n')).toBe(44);
    expect(detectDelimiter("a;b;c\n1,5;2;3\n")).toBe(59);
    expect(detectDelimiter("a\tb\n1\t2\n")).toBe(9);
    expect(
      detectDelimiter(" 00004 0001 19970101  2   29.33\n 00021 0002 19970101  3   63.34\n"),
    ).toBe(WHITESPACE);
    expect(detectDelimiter("订单明细\na,b\n1,2\n3,4\n")).toBe(44);
  });
});

describe("readCsvText", () => {
  it("RFC 4180 quotes: commas, doubled quotes, newlines; CRLF; short rows", () => {
    const src = readCsvText(
      'id,name,amount\r\n1,"Smith, J.",10\r\n2,"He said ""hi""\nthere",20\r\n3\r\n4,  plain  ,"1,234.5"\r\n',
      "q.csv",
    );
    expect(src.headers).toEqual(["id", "name", "amount"]);
    expect(src.rowCount).toBe(4);
    expect(rows(src)).toEqual([
      ["1", "Smith, J.", "10"],
      ["2", 'He said "hi"\nthere', "20"],
      ["3", "", ""],
      ["4", "plain", "1,234.5"],
    ]);
    expect(src.cell(3, 1)).toBe("  plain  ");
    expect(src.cell(2, 1)).toBeNull();
    expect(src.isBlank(2, 1)).toBe(true);
    expect(src.isBlank(3, 1)).toBe(false);
    expect(src.number(3, 2, OPTS)).toBe(1234.5);
    expect(src.number(1, 1, OPTS)).toBeNaN();
  });

  it("finds the header under a title line; row numbers count records", () => {
    const src = readCsvText("2024年订单明细,,\n订单号,客户编号,金额\nA1,C1,5\n", "t.csv");
    expect(src.headerRow).toBe(2);
    expect(src.headers).toEqual(["订单号", "客户编号", "金额"]);
    expect(rows(src)).toEqual([["A1", "C1", "5"]]);
  });

  it("keeps a blank line as a blank row, drops the final newline", () => {
    const src = readCsvText("a,b\n1,2\n\n3,4\n", "b.csv");
    expect(src.rowCount).toBe(3);
    expect(src.isBlank(1, 0)).toBe(true);
  });

  it("whitespace-separated text", () => {
    const src = readCsvText(
      "customer_id date amount\n 00004 19970101   29.33\n\t00021  19970102 63.34",
      "w.txt",
    );
    expect(src.headers).toEqual(["customer_id", "date", "amount"]);
    expect(rows(src)).toEqual([
      ["00004", "19970101", "29.33"],
      ["00021", "19970102", "63.34"],
    ]);
  });

  it("dictionary-encodes a column exactly (trimmed, quoted and escaped keys merged)", () => {
    const src = readCsvText('k\nA\n"A"\n B \nB\n\n"x""y"\nx"y\nA\n', "d.csv");
    const d = columnDictionary(src, 0);
    expect(Array.from({ length: d.size }, (_, k) => d.key(k))).toEqual(["A", "B", 'x"y']);
    expect([...d.leading()]).toEqual([65, 0, 66, 0, 120, 34]);
    // non-ASCII keys give their UTF-16 units, as the string's own charCodeAt does
    const cjk = columnDictionary(readCsvText("k\n客户A\nC1\né\n#N/A\n", "d.csv"), 0);
    expect([...cjk.leading()]).toEqual([0x5ba2, 0x6237, 67, 49, 0xe9, 0, 35, 78]);
    expect([...d.codes]).toEqual([0, 0, 1, 1, -1, 2, 2, 0]);
  });
});

describe("white space at a field's edges is String.prototype.trim's", () => {
  // every character trim() removes, and two it keeps (U+200B zero width, U+0085 next line)
  const spaces = [
    ..."\t\n\u000b\f\r \u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff",
  ];
  const kept = ["\u200b", "\u0085"];
  const ids = [
    ...spaces
      .filter((c) => c !== "\n" && c !== "\r")
      .flatMap((c) => [`${c}A1`, `A1${c}`, `${c}${c}A1${c}`]),
    ...kept.map((c) => `A1${c}`),
  ];
  const text = ["id,n", ...ids.map((id, i) => `${id},${i}`), `"\u000bA1\u2028",99`].join("\n");

  it("in the dictionary scan and cell by cell, padded and quoted alike", () => {
    for (const src of [readCsvText(text, "s.csv"), readCsv(Buffer.from(text, "utf8"), "s.csv")]) {
      const d = columnDictionary(src, 0);
      const keys = Array.from({ length: d.size }, (_, k) => d.key(k));
      // as trim() reads them: one A1, and the two kept characters still attached
      expect(keys).toEqual(["A1", ...kept.map((c) => `A1${c}`)]);
      const cells = Array.from({ length: src.rowCount }, (_, r) => src.text(r, 0));
      expect(cells).toEqual(
        [...ids, '"\u000bA1\u2028"'].map((x) => x.replace(/^"|"$/g, "").trim()),
      );
    }
  });
});

describe("whole-column scans equal the cell methods", () => {
  // quoted, escaped, padded, blank and short rows; repeated and changing dates
  const text = [
    "id,date,amount",
    'A,2024-01-05,"1,234.50"',
    "A,2024-01-05,12",
    " B ,2024-01-05, 7.25 ",
    '"x""y",5/1/2024,(3)',
    "C",
    ",,",
    "D,13/1/2024,abc",
    "D,13/1/2024,-0",
    'E,"2024-01-06",¥8',
    "F,2024-01-06 ,1e3",
    "G,5/1/2024,12345678901234567",
  ].join("\r\n");
  const src = readCsvText(text, "s.csv");
  const cells = Array.from({ length: src.rowCount }, (_, r) =>
    src.headers.map((_, c) => src.cell(r, c)),
  );
  const viaCells = cellSource({
    source: "s",
    headerRow: 1,
    firstColumn: 1,
    headers: [...src.headers],
    rows: cells,
  });

  it("numbers and dates, for the CSV reader and for cell tables", () => {
    for (const t of [src, viaCells]) {
      for (const dateOrder of ["mdy", "dmy"] as const) {
        const opts = { ...OPTS, dateOrder };
        const perCell = (f: (r: number) => number) =>
          Array.from({ length: t.rowCount }, (_, r) => f(r));
        expect([...columnNumbers(t, 2, opts)]).toEqual(perCell((r) => t.number(r, 2, opts)));
        expect([...columnDates(t, 1, opts)]).toEqual(perCell((r) => t.date(r, 1, opts)));
      }
    }
    expect(columnNumbers(src, 2, OPTS)[0]).toBe(1234.5);
    expect(columnDates(src, 1, OPTS)[3]).toBe(dayFromYmd(2024, 5, 1));
  });

  it("a date scan with a tally adds what each cell's text adds, repeated dates included", () => {
    for (const t of [src, viaCells]) {
      const alone = newDateOrderTally();
      for (let r = 0; r < t.rowCount; r++) {
        const v = t.cell(r, 1);
        if (typeof v === "string") tallyDateText(alone, v, 0, v.length);
      }
      const fused = newDateOrderTally();
      columnDates(t, 1, OPTS, fused);
      expect(fused).toEqual(alone);
    }
    const t = newDateOrderTally();
    columnDates(src, 1, OPTS, t);
    expect(t).toEqual({ mdy: 0, dmy: 2, ambiguous: 2 });
  });
});

describe("number scans read plain decimals from the codes exactly as parseNumberText", () => {
  it("random number-like fields, from bytes and from UTF-16 text (property)", () => {
    const rand = mulberry32(5);
    const pick = (s: string) => s[Math.floor(rand() * s.length)];
    const field = () => {
      const n = 1 + Math.floor(rand() * 19);
      let t = "";
      for (let i = 0; i < n; i++) t += pick(rand() < 0.85 ? "0123456789" : ".- e+");
      return t;
    };
    for (const wide of [false, true]) {
      const texts = Array.from({ length: 3000 }, field);
      const csv = ["amount,note", ...texts.map((t) => `${t},${wide ? "客" : "x"}`)].join("\n");
      const src = readCsv(utf8(csv), "n.csv");
      const got = columnNumbers(src, 0, OPTS);
      texts.forEach((t, r) => {
        const want = parseNumberText(t, 0, t.length, OPTS);
        expect(Object.is(got[r], want), `${t}: ${got[r]} vs ${want}`).toBe(true);
      });
    }
  });
});

describe("dictionary modes give the same codes as a Map over the texts", () => {
  // the CSV dictionary starts in ordered mode (keys ascending need no hashing), leaves it at
  // the first key out of order, then looks up prefix+digits keys by number and others by text
  const reference = (texts: string[]) =>
    columnDictionary(
      cellSource({
        source: "r",
        headerRow: 1,
        firstColumn: 1,
        headers: ["id"],
        rows: texts.map((x) => [x]),
      }),
      0,
    );
  const check = (texts: string[], cells: string[] = texts) => {
    const got = columnDictionary(readCsvText(["id", ...cells].join("\n"), "k.csv"), 0);
    const want = reference(texts);
    expect([...got.codes]).toEqual([...want.codes]);
    expect(Array.from({ length: got.size }, (_, k) => got.key(k))).toEqual(
      Array.from({ length: want.size }, (_, k) => want.key(k)),
    );
    expect([...got.leading()]).toEqual([...want.leading()]);
    return got;
  };

  it("many keys (the tables grow), some padded with spaces", () => {
    const ids = Array.from({ length: 6000 }, (_, i) => `k${(i * 7919) % 4001}`);
    expect(
      check(
        ids,
        ids.map((id, i) => (i % 5 === 0 ? ` ${id} ` : id)),
      ).size,
    ).toBe(4001);
  });

  it("ascending keys, a class of their own, the latest key again, then out of order", () => {
    check(["SO1", "SO2", "C1", "SO2", "SO3", "C1", "C2", "SO3", "SO10", "SO1", "C1", "SO4"]);
    check(["B", "BA", "B", "A", "BA"]); // a prefix sorts first; "B" after "BA" is out of order
  });

  it("numbered keys: leading zeros, other prefixes, too many digits, letters after digits", () => {
    const texts = [
      "K0001",
      "K1",
      "K01",
      "K0001",
      "X0001",
      "K12a",
      "K1234567890",
      "K123456789",
      "K",
      "17850",
      "K1",
      "KK1",
      "k1",
      "K٣",
      "K01",
      "K1234567890",
      "K0",
      "K00",
    ];
    check(texts);
    check(["17850", "00004", "4", "17850", "04", "4.0", "00004", "12345678901", "4"]);
  });

  it("random keys of every shape, shuffled and sorted, trimmed and quoted (property)", () => {
    const rand = mulberry32(11);
    const shapes = [
      () => `K${String(Math.floor(rand() * 300)).padStart(Math.floor(rand() * 4) + 1, "0")}`,
      () => String(Math.floor(rand() * 300)),
      () => `C${Math.floor(rand() * 50)}`,
      () => `客户${Math.floor(rand() * 20)}`,
      () => `${Math.floor(rand() * 9)}x`,
    ];
    for (let trial = 0; trial < 20; trial++) {
      const texts = Array.from({ length: 400 }, () => shapes[Math.floor(rand() * shapes.length)]());
      if (trial % 2) texts.sort();
      const cells = texts.map((t, i) => (i % 7 === 0 ? ` ${t} ` : i % 11 === 0 ? `"${t}"` : t));
      check(texts, cells);
    }
  });
});

describe("readDataset over CSV", () => {
  it("IDs stay text: 00004 is not 4", () => {
    const src = readCsvText(
      "customer_id,date,amount\n00004,19970101,29.33\n4,1997-01-02,1\n00004,1997/1/3,2\n",
      "c.csv",
    );
    const ds = readDataset({ orders: src }, makeSettings());
    expect(ds.customerIds).toEqual(["00004", "4"]);
    expect([...ds.orders.customer]).toEqual([0, 1, 0]);
    expect([...ds.orders.day]).toEqual([
      dayFromYmd(1997, 1, 1),
      dayFromYmd(1997, 1, 2),
      dayFromYmd(1997, 1, 3),
    ]);
  });

  it("line items from a CSV with cancellations and a missing customer", () => {
    const text = [
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
      "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom",
      "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom",
      "536414,22139,,56,12/1/2010 11:52,0,,United Kingdom",
      "C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527,United Kingdom",
      '536366,22633,"HAND WARMER, UNION JACK",6,12/13/2010 8:28,1.85,17850.0,United Kingdom',
    ].join("\r\n");
    const ds = readDataset({ orders: readCsvText(text, "Online Retail.csv") }, makeSettings());
    expect(ds.customerIds).toEqual(["17850", "14527"]);
    expect([...ds.orders.order]).toEqual([0, 0, 1, 2]);
    expect([...ds.orders.cancelled]).toEqual([0, 0, 1, 0]);
    expect(Array.from(ds.orders.amount, (x) => Math.round(x * 100) / 100)).toEqual([
      15.3, 20.34, -27.5, 11.1,
    ]);
    expect(ds.issues.map((i) => [i.source, i.row, i.column, i.value, i.reason.key])).toEqual([
      ["Online Retail.csv", 4, "CustomerID", "", "reading.missingCustomerId"],
    ]);
  });
});

const CDNOW = new URL("../../../shared/data/cdnow/CDNOW_sample.txt", import.meta.url);
const here = existsSync(CDNOW);
if (!here) console.warn(`CDNOW sample not found at ${CDNOW.pathname}: CDNOW reading test skipped`);

describe.skipIf(!here)("CDNOW sample through the CSV path", () => {
  it("per-customer frequency and monetary match independent sums", () => {
    const lines = readFileSync(CDNOW, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim());
    const csv = ["customer_id,date,amount"];
    const freq = new Map<string, number>();
    const money = new Map<string, number>();
    for (const l of lines) {
      const [id, , ymd, , dollars] = l.trim().split(/\s+/);
      csv.push(`${id},${ymd},${dollars}`);
      freq.set(id, (freq.get(id) ?? 0) + 1);
      money.set(id, (money.get(id) ?? 0) + Number(dollars));
    }
    const ds = readDataset({ orders: readCsv(utf8(csv.join("\n")), "cdnow.csv") }, makeSettings());
    expect(ds.issues).toEqual([]);
    expect(ds.orders.n).toBe(6919);
    expect(ds.customerIds.length).toBe(2357);
    expect(ds.customerIds[0]).toBe("00004");
    expect(ds.orders.orderCount).toBe(6919);
    const f = new Map<string, Set<number>>();
    const m = new Map<string, number>();
    for (let i = 0; i < ds.orders.n; i++) {
      const id = ds.customerIds[ds.orders.customer[i]];
      f.set(id, (f.get(id) ?? new Set()).add(ds.orders.order[i]));
      m.set(id, (m.get(id) ?? 0) + ds.orders.amount[i]);
    }
    for (const [id, n] of freq) {
      expect(f.get(id)?.size, id).toBe(n);
      expect(m.get(id), id).toBeCloseTo(money.get(id)!, 9);
    }
    expect(ds.maxDay).toBe(dayFromYmd(1998, 6, 30));
    expect(Math.min(...ds.orders.day)).toBe(dayFromYmd(1997, 1, 1));
  });
});
