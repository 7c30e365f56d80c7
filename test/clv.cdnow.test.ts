/**
 * The published CDNOW figures through the same path a user's file takes:
 * CSV text → readCsv → readDataset → measure → customerLifetimeValue.
 */
import { describe, expect, it } from "vitest";
import { readCsv } from "../analysis/node/csv.js";
import { readDataset } from "../analysis/clean.js";
import { measure } from "../analysis/rfm.js";
import { makeSettings } from "../analysis/settings.js";
import { customerLifetimeValue } from "../analysis/clv.js";
import { CDNOW_AS_OF, cdnowLines, expectCdnowFigures, HAVE_CDNOW } from "./helpers/cdnow.js";

const here = HAVE_CDNOW;
if (!here) console.warn("clv.cdnow.test: ../shared/data/cdnow is absent; skipped");

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!here)("CLV from CDNOW_sample.txt as a user's CSV file", () => {
  it("reproduces the published figures within 0.5%", () => {
    const csv = [
      "customer_id,date,amount",
      ...cdnowLines().map((l) => `${l.id},${iso(l.day)},${l.amount}`),
    ].join("\n");
    const settings = makeSettings({ asOf: CDNOW_AS_OF });
    const ds = readDataset(
      { orders: readCsv(new TextEncoder().encode(csv), "cdnow.csv") },
      settings,
    );
    expect(ds.customerIds.length).toBe(2357);
    expect(ds.customerIds[0]).toBe("00004");
    expect(ds.orders.n).toBe(6919);
    const measures = measure(ds, settings);
    expect(measures.asOf).toBe(CDNOW_AS_OF);
    const r = customerLifetimeValue(ds, measures, settings);
    expectCdnowFigures(r);
    expect(r.holdout?.weeks).toBe(39);
  });
});
