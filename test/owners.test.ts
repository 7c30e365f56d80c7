/**
 * Account managers (issue 17 §5): every column of owners.csv on a crafted dataset whose answers
 * are worked out by hand below, the white-space spelling of an owner, the unassigned row, and
 * a next contact dated before its own contact.
 */
import { describe, expect, it } from "vitest";
import { runAnalysis, type WorkbookInput } from "../analysis/index.js";
import { isoDay } from "../analysis/dates.js";
import { AS_OF, d, OWNER_OVERRIDES, ownersInput } from "./helpers/owners-fixture.js";
import { ownerKey, UNASSIGNED, type OwnerRow } from "../analysis/owners.js";
import { t } from "../analysis/messages/index.js";
import { textTable } from "./helpers/table.js";
import type { Cell } from "../analysis/types.js";

const run = (history?: WorkbookInput["history"]) =>
  runAnalysis(
    { ...ownersInput(), history },
    { lang: "en", overrides: OWNER_OVERRIDES, today: AS_OF },
  );

const plain = (r: OwnerRow) => ({
  key: r.key,
  name: r.name,
  customers: r.customers,
  prospects: r.prospects,
  grades: r.grades,
  overdue: r.overdue,
  due7d: r.due7d,
  contacts7d: r.contacts7d,
  contacts30d: r.contacts30d,
  revenue90d: r.revenue90d,
  revenuePrev90d: r.revenuePrev90d,
  movedDown: r.movedDown,
  dormant: r.dormant,
  cadenceKept: r.cadenceKept,
});

describe("owner figures", () => {
  const res = run();
  const a = res.analysis;

  it("the inputs grade and plan as the hand calculation assumes", () => {
    const grade = Object.fromEntries(a.customers.map((c) => [c.id, c.grade]));
    expect(grade).toEqual({ K1: "A", K2: "A", K3: "C", K4: "B", K5: null, K6: "C" });
    const next = Object.fromEntries(a.customers.map((c) => [c.id, c.nextContact]));
    expect(next.K1).toBe(AS_OF + 3); // the planned date
    expect(next.K2).toBe(AS_OF - 31 + 7); // the unanswered complaint, 7 days
    expect(next.K5).toBe(AS_OF); // a prospect never contacted: due now
    expect(a.lifecycle.dormant.map((i) => a.dataset.customerIds[i])).toEqual(["K3"]);
  });

  it("gives every column its known value, unassigned last", () => {
    const rows = a.owners.rows.map(plain);
    // Chinese collation: Han names in pinyin order before Latin ones; unassigned last
    expect(rows.map((r) => r.key)).toEqual(["王磊", "Wang Lei", UNASSIGNED]);
    const [wl, wang, none] = rows;
    expect(wl).toEqual({
      key: "王磊",
      name: "王磊",
      customers: 2, // K1, K2
      prospects: 1, // K5
      grades: { A: 2, B: 0, C: 0, D: 0 },
      overdue: 1, // K2, complaint due 24 days ago
      due7d: 2, // K1 (as-of + 3), K5 (as-of)
      contacts7d: 2, // K1 on the as-of date and 6 days before
      contacts30d: 4, // … and 7 and 29 days before (not 30, not after the as-of date)
      revenue90d: 350, // K1 100 + 50, K2 200
      revenuePrev90d: 50, // K1 30 + 20
      movedDown: null, // no earlier snapshot
      dormant: 0,
      cadenceKept: 0.5, // K1 contacted today (A: 30 days); K2 31 days ago
    });
    expect(wang).toMatchObject({
      name: "Wang Lei",
      customers: 1,
      prospects: 0,
      grades: { A: 0, B: 0, C: 1, D: 0 },
      contacts7d: 0,
      contacts30d: 0,
      revenue90d: 0,
      revenuePrev90d: 0,
      dormant: 1, // K3, 200 days without a purchase
      cadenceKept: 1, // C: 182 days, last contact exactly 182 days ago
      movedDown: null,
    });
    expect(none).toEqual({
      key: UNASSIGNED,
      name: "",
      customers: 2, // K4 (empty owner) and K6 (only in Orders)
      prospects: 0,
      grades: { A: 0, B: 1, C: 1, D: 0 },
      overdue: none.overdue,
      due7d: none.due7d,
      contacts7d: 1, // K6 yesterday; ZZ is nobody's customer
      contacts30d: 1,
      revenue90d: 100, // K4 60, K6 40
      revenuePrev90d: 0,
      movedDown: null,
      dormant: 0,
      cadenceKept: 0.5, // K6 yes, K4 never contacted
    });
    // K3's and K4/K6's next contacts from their cadences, counted the same way
    for (const row of [wang, none]) {
      const mine = a.customers.filter(
        (c) => a.owners.rows[a.owners.ownerOf[c.index]].key === row.key,
      );
      expect(row.overdue).toBe(mine.filter((c) => c.nextContact! < AS_OF).length);
      expect(row.due7d).toBe(
        mine.filter((c) => c.nextContact! >= AS_OF && c.nextContact! <= AS_OF + 6).length,
      );
    }
    // K4: last purchase 5 days ago, grade B, 91 days → due in 86 days; K6: contact yesterday, C
    expect(none.overdue + none.due7d).toBe(0);
  });

  it("counts grade and stage falls against the previous snapshot", () => {
    // the previous snapshot: everyone as now, except K3 and K4 were A
    const prevDay = isoDay(AS_OF - 7);
    const rows: Cell[][] = a.history.snapshots.map((s) => [
      prevDay,
      s.id,
      s.stage,
      s.id === "K3" || s.id === "K4" ? "A" : (s.grade ?? ""),
    ]);
    const history = textTable("Stage history", ["as_of", "customer_id", "stage", "grade"], rows);
    const moved = run(history).analysis.owners.rows.map((r) => [r.key, r.movedDown]);
    expect(moved).toEqual([
      ["王磊", 0],
      ["Wang Lei", 1],
      [UNASSIGNED, 1],
    ]);
  });

  it("one owner written with extra white space is a warning naming the rows", () => {
    const spelled = res.issues.filter((i) => i.reason.key === "owners.issue.spelling");
    expect(spelled.map((i) => [i.source, i.row, i.value])).toEqual([
      ["Customers", 3, "王磊 "],
      ["Customers", 6, " 王磊"],
    ]);
    expect(spelled.every((i) => i.severity === "warning")).toBe(true);
    expect(t("en", spelled[0].reason)).toContain('"王磊" (rows 2)');
    expect(t("zh", spelled[0].reason)).toContain("第 2 行");
  });

  it("a next contact before its own contact's date is a warning on that Interactions row", () => {
    const bad = res.issues.filter((i) => i.reason.key === "owners.issue.nextBeforeContact");
    expect(bad.map((i) => [i.source, i.row, i.column, i.value])).toEqual([
      ["Interactions", 8, "下次联系", d(40)],
    ]);
    expect(t("en", bad[0].reason)).toContain("before this contact's own date");
  });

  it("compares names trimmed, NFKC, inner white space as one space; different names stay two", () => {
    expect(ownerKey(" 王磊\u3000")).toBe("王磊");
    expect(ownerKey("Wang  Lei")).toBe("Wang Lei");
    expect(ownerKey("Ｗａｎｇ Lei")).toBe("Wang Lei");
    expect(ownerKey("Wang Lei")).not.toBe(ownerKey("王磊"));
  });
});

describe("duplicate customer IDs in Customers", () => {
  it("are a data issue naming the row kept (cleaning reports it)", () => {
    const input = ownersInput();
    input.customers = textTable(
      "Customers",
      ["Customer ID", "Name", "Owner"],
      [
        ["K1", "Alpha Co", "王磊"],
        ["K1", "Alpha again", "Wang Lei"],
      ],
    );
    const res = runAnalysis(input, { lang: "en", overrides: OWNER_OVERRIDES, today: AS_OF });
    const dup = res.issues.find((i) => i.reason.key === "reading.duplicateCustomer")!;
    expect([dup.source, dup.row, dup.value]).toEqual(["Customers", 3, "K1"]);
    expect(t("en", dup.reason)).toContain("row 2");
    // the first row's owner counts
    const k1 = res.analysis.owners.ownerOf[res.analysis.dataset.customerIds.indexOf("K1")];
    expect(res.analysis.owners.rows[k1].key).toBe("王磊");
  });
});
