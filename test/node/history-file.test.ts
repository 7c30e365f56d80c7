/**
 * history-file.ts: the --history file scanned as a stream, the previous snapshot read alone,
 * and the new file made by copying the old bytes around this run's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  NotHistoryError,
  scanDates,
  scanHistory,
  snapshotBefore,
  writeHistory,
} from "../../analysis/node/history-file.js";
import type { Snapshot } from "../../analysis/history.js";
import { day } from "../helpers/dataset.js";

const OPTS = { decimalComma: false, dateOrder: "mdy", dateSystem: "1900" } as const;
let dir: string;
let n = 0;
const file = (text: string | Buffer) => {
  const p = join(dir, `h-${++n}.csv`);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "crm-history-file-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("scanHistory", () => {
  it("keeps where each date's rows are, not the rows", async () => {
    const p = file(
      "as_of,customer_id,stage,grade\n2024-01-31,A,growth,A\n2024-01-31,B,maturity,\n2024-02-29,A,decline,B\nbad,C,growth,A\n",
    );
    const scan = (await scanHistory(p, OPTS))!;
    expect(scanDates(scan)).toEqual([day("2024-01-31"), day("2024-02-29")]);
    expect(scan.ranges.get(day("2024-01-31"))).toEqual([30, 75]); // one run of two rows
    expect(scan.rows).toBe(4);
    expect(scan.eol).toBe("\n");
    expect(scan.issues.map((i) => [i.row, i.column, i.value, i.reason.key])).toEqual([
      [5, "as_of", "bad", "cli.history.badDate"],
    ]);
  });

  it("reads records cut by the 1 MB read chunks, quoted line breaks included", async () => {
    const rows = ["as_of,customer_id,stage,grade"];
    for (let i = 0; i < 40_000; i++) rows.push(`2024-01-31,"ID ""${i}""\nsecond line",maturity,A`);
    rows.push("2024-03-31,LAST,decline,D");
    const p = file(rows.join("\r\n"));
    const scan = (await scanHistory(p, OPTS))!;
    expect(scan.rows).toBe(40_001);
    expect(scan.issues).toEqual([]);
    expect(scan.endsWithBreak).toBe(false);
    const jan = snapshotBefore(scan, day("2024-02-01"), OPTS);
    expect(jan).toHaveLength(40_000);
    expect(jan[39_999]).toEqual({
      asOf: day("2024-01-31"),
      id: 'ID "39999"\nsecond line',
      stage: "maturity",
      grade: "A",
    });
  });

  it("is null for a missing or empty file, and refuses other files", async () => {
    expect(await scanHistory(join(dir, "none.csv"), OPTS)).toBeNull();
    expect(await scanHistory(file(""), OPTS)).toBeNull();
    await expect(scanHistory(file("a,b\n1,2\n"), OPTS)).rejects.toBeInstanceOf(NotHistoryError);
    await expect(scanHistory(file(Buffer.from([0x50, 0x4b, 3, 4, 0, 0])), OPTS)).rejects.toThrow(
      /not a stage history/,
    );
  });
});

describe("snapshotBefore", () => {
  it("reads only the latest snapshot before the as-of date, wherever it lies", async () => {
    const p = file(
      [
        "as_of,customer_id,stage,grade",
        "2024-03-31,A,decline,B",
        "2024-01-31,A,growth,A",
        "2024-02-29,A,maturity,A",
        "2024-01-31,B,growth,C",
      ].join("\n"),
    );
    const scan = (await scanHistory(p, OPTS))!;
    expect(snapshotBefore(scan, day("2024-02-15"), OPTS).map((s) => s.id)).toEqual(["A", "B"]);
    expect(snapshotBefore(scan, day("2024-03-31"), OPTS)).toEqual([
      { asOf: day("2024-02-29"), id: "A", stage: "maturity", grade: "A" },
    ]);
    expect(snapshotBefore(scan, day("2024-01-31"), OPTS)).toEqual([]);
  });
});

describe("writeHistory", () => {
  const snap = (d: string, id: string): Snapshot => ({
    asOf: day(d),
    id,
    stage: "growth",
    grade: "B",
  });

  it("puts a snapshot before the first later row and replaces one of the same date", async () => {
    const old = [
      "\uFEFFas_of,customer_id,stage,grade",
      "2024-01-31,A,growth,A",
      "2024-02-29,A,maturity,A",
      "2024-02-29,Z,??,A",
      "2024-03-31,A,decline,B",
      "",
    ].join("\r\n");
    const p = file(old);
    await writeHistory(p, await scanHistory(p, OPTS), [snap("2024-02-29", "N")]);
    expect(readFileSync(p, "utf8").split("\r\n")).toEqual([
      "\uFEFFas_of,customer_id,stage,grade",
      "2024-01-31,A,growth,A",
      "2024-02-29,Z,??,A", // the old snapshot's unreadable row kept where it was…
      "2024-02-29,N,growth,B", // …its readable rows replaced, before the first later row
      "2024-03-31,A,decline,B",
      "",
    ]);
  });

  it("writes a new file with the header, and keeps a file's LF line endings", async () => {
    const p = join(dir, "new.csv");
    await writeHistory(p, null, [snap("2024-01-31", "=1")]);
    expect(readFileSync(p, "utf8")).toBe(
      "\uFEFFas_of,customer_id,stage,grade\r\n2024-01-31,'=1,growth,B\r\n",
    );
    const lf = file("customer_id,as_of,stage\nA,2024-01-31,growth\n");
    await writeHistory(lf, await scanHistory(lf, OPTS), [snap("2024-02-29", "A,B")]);
    expect(readFileSync(lf, "utf8")).toBe(
      'customer_id,as_of,stage\nA,2024-01-31,growth\n"A,B",2024-02-29,growth\n',
    );
  });
});

describe("the scan record", () => {
  it("describes the appended file exactly as a new scan would, and only while it is unchanged", async () => {
    const { loadScanRecord, saveScanRecord } = await import("../../analysis/node/history-file.js");
    const { utimesSync } = await import("node:fs");
    const p = file(
      "\uFEFFas_of,customer_id,stage,grade\r\n2024-01-31,A,growth,A\r\nbad,B,growth,A\r\n2024-01-31,C,稳定,B",
    );
    const written = await writeHistory(p, await scanHistory(p, OPTS), [
      { asOf: day("2024-02-29"), id: "A", stage: "decline", grade: "B" },
      { asOf: day("2024-02-29"), id: "=D", stage: "growth", grade: null },
    ]);
    expect(written).not.toBeNull();
    const fresh = (await scanHistory(p, OPTS))!;
    expect(written).toEqual(fresh);
    await saveScanRecord(written!);
    expect(await loadScanRecord(p)).toEqual(fresh);
    expect(snapshotBefore((await loadScanRecord(p))!, day("2024-03-31"), OPTS)).toEqual([
      { asOf: day("2024-02-29"), id: "A", stage: "decline", grade: "B" },
      { asOf: day("2024-02-29"), id: "=D", stage: "growth", grade: null },
    ]);
    // touched by anything else: no longer trusted
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    expect(await loadScanRecord(p)).toBeNull();
  });
});
