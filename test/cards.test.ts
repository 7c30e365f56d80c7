/** Customer cards (issue 17 §3–§4): who gets a card for a date and an owner, in what order. */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../analysis/index.js";
import {
  buildCards,
  review,
  reviewDue,
  todaysCards,
  UnknownOwnerError,
} from "../analysis/cards.js";
import { dayFromIso } from "../analysis/dates.js";
import type { Snapshot } from "../analysis/history.js";
import { AS_OF, OWNER_OVERRIDES, ownersInput } from "./helpers/owners-fixture.js";

// next contacts (as-of + n): K1 +3 (planned), K2 −24 (complaint), K3 0 (C cadence), K4 +86,
// K5 0 (prospect never contacted), K6 +181
const a = runAnalysis(ownersInput(), {
  lang: "en",
  overrides: OWNER_OVERRIDES,
  today: AS_OF,
}).analysis;
const ids = (opts: Parameters<typeof todaysCards>[1]) => todaysCards(a, opts).map((c) => c.id);

describe("today's cards", () => {
  it("hold every customer due on or before the date: overdue first, then due, by grade", () => {
    expect(ids({})).toEqual(["K2", "K3", "K5"]); // K3 grade C before the prospect K5
    expect(ids({ date: AS_OF - 25 })).toEqual([]);
    expect(ids({ date: AS_OF + 3 })).toEqual(["K2", "K3", "K5", "K1"]); // K1 due that day
  });

  it("for one owner, compared after trimming", () => {
    expect(ids({ owner: "王磊" })).toEqual(["K2", "K5"]);
    expect(ids({ owner: "  王磊 ", date: AS_OF + 3 })).toEqual(["K2", "K5", "K1"]);
    expect(ids({ owner: "Wang Lei" })).toEqual(["K3"]);
    // the unassigned row by its label in either language; 200 days on, K6 (due +181) is
    // overdue and K4 (due +86) long overdue (more than staleDays, 90): listed last
    expect(ids({ owner: "(unassigned)", date: AS_OF + 200 })).toEqual(["K6", "K4"]);
    expect(ids({ owner: "（未分配）", date: AS_OF + 200 })).toEqual(["K6", "K4"]);
  });

  it("an owner nobody has is an error naming the owners that exist", () => {
    try {
      todaysCards(a, { owner: "Nobody" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownOwnerError);
      expect((e as UnknownOwnerError).known).toEqual(["王磊", "Wang Lei"]);
    }
  });

  it("say how late each is, with a call slot on the first weekday from the date", () => {
    const [k2, k3] = todaysCards(a, {});
    expect([k2.daysOverdue, k3.daysOverdue]).toEqual([24, 0]);
    // 2024-06-30 is a Sunday: the call is on Monday 2024-07-01 in the first window
    expect(k2.slot).toEqual({
      day: dayFromIso("2024-07-01"),
      start: 10 * 60 + 30,
      end: 11 * 60 + 30,
    });
    expect(k2.nextReason.key).toBe("followup.reason.complaint");
  });
});

describe("a card", () => {
  const [k1] = buildCards(a, [a.dataset.customerIds.indexOf("K1")]);
  const [k2] = buildCards(a, [a.dataset.customerIds.indexOf("K2")]);

  it("carries the customer's record, grade policy and scores", () => {
    expect([k1.id, k1.name, k1.contact, k1.phone, k1.owner]).toEqual([
      "K1",
      "Alpha Co",
      "Li",
      "138-0000-0001",
      "王磊",
    ]);
    expect(k1.grade).toBe("A");
    expect(k1.gradeStrategy?.key).toBe("followup.grade.strategy.A");
    expect(k1.creditPolicy?.key).toBe("followup.grade.credit.A");
    expect(k1.r).not.toBeNull();
  });

  it("has 24 months of revenue ending with the as-of month", () => {
    expect(k1.monthly).toHaveLength(24);
    expect(k1.monthly[0].month).toBe("2022-07");
    expect(k1.monthly[23]).toEqual({ month: "2024-06", revenue: 100 });
    expect(k1.monthly.reduce((s, m) => s + m.revenue, 0)).toBe(1200);
  });

  it("lists the last five interactions up to the as-of date, newest first", () => {
    expect(k1.interactions.map((x) => AS_OF - x.day)).toEqual([0, 6, 7, 29, 30]);
  });

  it("shows an unanswered complaint as open", () => {
    expect(k2.complaints.map((c) => [AS_OF - c.day, c.open])).toEqual([[31, true]]);
    expect(k2.openDeal).toBeNull();
  });
});

describe("review", () => {
  it("is due by grade cadence: daily, Mondays, the first weekday of the month", () => {
    expect(reviewDue(1, AS_OF)).toBe(true);
    expect(reviewDue(7, dayFromIso("2024-07-01"))).toBe(true); // a Monday
    expect(reviewDue(7, dayFromIso("2024-07-02"))).toBe(false);
    expect(reviewDue(30, dayFromIso("2024-06-03"))).toBe(true); // June 1st was a Saturday
    expect(reviewDue(30, dayFromIso("2024-06-01"))).toBe(false);
    const r = review(a, { owner: "王磊" });
    expect(r.grades.map((g) => [g.grade, g.due, g.customers.length])).toEqual([
      ["A", true, 2],
      ["B", false, 0],
      ["C", false, 0],
      ["D", false, 0],
    ]);
  });

  it("lists grade and stage changes against the previous snapshot, down first", () => {
    const now = a.history.snapshots;
    const earlier: Snapshot[] = now.map((s) => ({
      ...s,
      asOf: AS_OF - 7,
      grade: s.id === "K3" ? "A" : s.id === "K4" ? "C" : s.grade,
      stage: s.id === "K6" ? "growth" : s.stage,
    }));
    const r = review(a, { earlier });
    expect(r.previous).toBe(AS_OF - 7);
    expect(r.changes.map((c) => [c.id, c.fromGrade, c.toGrade, c.move])).toEqual([
      ["K3", "A", "C", "down"],
      ["K4", "C", "B", "up"],
      ["K6", "C", "C", "changed"], // growth → development: neither down nor up
    ]);
    expect(review(a, {}).previous).toBeNull();
  });
});
