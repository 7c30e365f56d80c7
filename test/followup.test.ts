import { describe, expect, it } from "vitest";
import {
  callSlot,
  followUps,
  formatSlot,
  gradeStrategy,
  nextWeekday,
  weekday,
} from "../analysis/followup.js";
import { lifecycleStages, type LifecycleResult } from "../analysis/lifecycle.js";
import { makeSettings, type Grade } from "../analysis/settings.js";
import type { Stage } from "../analysis/stages.js";
import { t, hasMessage } from "../analysis/messages/index.js";
import {
  buildDataset,
  customer,
  day,
  idx,
  iso,
  type InteractionRow,
  type OrderRow,
} from "./helpers/dataset.js";

const AS_OF = "2024-06-26"; // a Wednesday
const WINDOWS: [number, number][] = [
  [630, 690],
  [900, 1080],
];

/** Lifecycle result with chosen stages (default maturity) and typical gaps, for isolating follow-up rules. */
function fakeLifecycle(
  ids: string[],
  stages: Record<string, Stage>,
  gaps: Record<string, number> = {},
): LifecycleResult {
  const stage = ids.map((id) => stages[id] ?? "maturity");
  return {
    model: "six",
    stage,
    display: [...stage],
    reason: ids.map(() => ({ key: "x" })),
    manual: ids.map(() => false),
    rule: ids.map(() => "x"),
    typicalGap: Float64Array.from(ids, (id) => gaps[id] ?? NaN),
    recentRevenue: new Float64Array(ids.length),
    previousRevenue: new Float64Array(ids.length),
    counts: {},
    dormant: [],
    issues: [],
  };
}

function plan(
  rows: OrderRow[],
  opts: {
    customers?: ReturnType<typeof customer>[];
    interactions?: InteractionRow[];
    grades?: Record<string, Grade>;
    stages?: Record<string, Stage>;
    gaps?: Record<string, number>;
    asOf?: string;
  } = {},
) {
  const { ds, measures } = buildDataset(rows, {
    asOf: opts.asOf ?? AS_OF,
    customers: opts.customers,
    interactions: opts.interactions,
  });
  const settings = makeSettings();
  const grade = ds.customerIds.map((id) => opts.grades?.[id] ?? null);
  const lifecycle = fakeLifecycle(ds.customerIds, opts.stages ?? {}, opts.gaps);
  const res = followUps({ ds, measures, settings, grade, lifecycle });
  const of = (id: string) => {
    const i = idx(ds, id);
    return {
      next: res.nextContact[i],
      reason: res.reason[i],
      item: res.items.find((x) => x.index === i),
    };
  };
  return { res, of, ds };
}

describe("call slots", () => {
  it("knows the weekday of an epoch day", () => {
    expect(weekday(0)).toBe(4); // 1970-01-01 was a Thursday
    expect(weekday(day("2024-06-29"))).toBe(6);
    expect(weekday(day("2024-06-30"))).toBe(0);
  });

  it("moves a weekend due date to Monday 10:30–11:30", () => {
    const asOf = day("2024-06-26");
    expect(callSlot(day("2024-06-29"), asOf, WINDOWS)).toEqual({
      day: day("2024-07-01"),
      start: 630,
      end: 690,
    });
    expect(callSlot(day("2024-06-30"), asOf, WINDOWS)).toEqual({
      day: day("2024-07-01"),
      start: 630,
      end: 690,
    });
    expect(callSlot(day("2024-06-27"), asOf, WINDOWS).day).toBe(day("2024-06-27"));
    expect(formatSlot({ start: 630, end: 690 })).toBe("10:30–11:30");
  });

  it("overdue customers are called from the as-of date on, skipping a weekend", () => {
    expect(callSlot(day("2024-05-01"), day("2024-06-26"), WINDOWS).day).toBe(day("2024-06-26"));
    expect(callSlot(day("2024-05-01"), day("2024-06-29"), WINDOWS).day).toBe(day("2024-07-01"));
    expect(nextWeekday(day("2024-07-05"))).toBe(day("2024-07-05")); // Friday stays
  });

  it("uses the earliest configured window", () => {
    expect(
      callSlot(day("2024-06-27"), day("2024-06-26"), [
        [900, 1080],
        [630, 690],
      ]),
    ).toMatchObject({ start: 630, end: 690 });
  });
});

describe("next contact by grade cadence", () => {
  const rows: OrderRow[] = [
    ["SAT", "2024-05-30", 100], // A: 30 days → Saturday 2024-06-29
    ["MON", "2024-06-01", 100], // A: → Monday 2024-07-01
    ["LATEB", "2024-01-01", 100], // B, last interaction 2024-03-01 → 2024-05-31
    ["DECL", "2024-05-01", 100], // B in decline: 91 × 0.5 → 46 days → 2024-06-16
    ["BUY", "2024-06-10", 100], // purchase later than the interaction
    ["FAR", "2024-06-20", 100], // C: not due soon
  ];
  const { res, of } = plan(rows, {
    grades: { SAT: "A", MON: "A", LATEB: "B", DECL: "B", BUY: "C", FAR: "C" },
    stages: { DECL: "decline" },
    interactions: [
      { id: "LATEB", date: "2024-03-01" },
      { id: "BUY", date: "2024-05-01" },
    ],
  });

  it("counts from the last purchase or the last interaction, whichever is later", () => {
    expect(iso(of("SAT").next)).toBe("2024-06-29");
    expect(of("SAT").reason).toEqual({
      key: "followup.reason.cadence.purchase",
      params: { grade: "A", days: 30, full: 30, last: day("2024-05-30") },
    });
    expect(iso(of("LATEB").next)).toBe("2024-05-31");
    expect(of("LATEB").reason.key).toBe("followup.reason.cadence.interaction");
    expect(iso(of("BUY").next)).toBe(iso(day("2024-06-10") + 182));
    expect(of("BUY").reason.key).toBe("followup.reason.cadence.purchase");
  });

  it("halves the cadence in decline", () => {
    expect(iso(of("DECL").next)).toBe("2024-06-16");
    expect(t("zh", of("DECL").reason)).toBe(
      "衰退期加密联系：B 类周期 91 天缩短为 46 天；上次购买 2024年5月1日",
    );
  });

  it("lists overdue and due-this-week customers with weekend-aware slots", () => {
    expect(of("SAT").item).toMatchObject({
      daysOverdue: -3,
      slot: { day: day("2024-07-01"), start: 630, end: 690 },
    });
    expect(of("MON").item).toMatchObject({ daysOverdue: -5, slot: { day: day("2024-07-01") } });
    expect(of("LATEB").item).toMatchObject({ daysOverdue: 26, slot: { day: day("2024-06-26") } });
    expect(of("FAR").item).toBeUndefined();
    expect(of("BUY").item).toBeUndefined();
    expect(res.overdue).toBe(2);
    expect(res.dueSoon).toBe(2);
  });

  it("sorts by grade, then days overdue (most overdue first)", () => {
    expect(res.items.map((x) => [x.id, x.grade, x.daysOverdue])).toEqual([
      ["SAT", "A", -3],
      ["MON", "A", -5],
      ["LATEB", "B", 26],
      ["DECL", "B", 10],
    ]);
  });

  it("carries the stage strategy and the grade strategy", () => {
    expect(of("DECL").item!.strategy).toEqual({ key: "lifecycle.strategy.decline" });
    expect(of("DECL").item!.gradeStrategy).toEqual({ key: "followup.grade.strategy.B" });
    const s = makeSettings({ grades: { A: { strategy: "每周拜访" } } });
    expect(t("zh", gradeStrategy("A", s))).toBe("每周拜访");
    expect(hasMessage("followup.grade.credit.D")).toBe(true);
  });
});

describe("deals, complaints and planned dates", () => {
  const rows: OrderRow[] = [
    "OPEN",
    "CLOSE",
    "WON",
    "COMP",
    "ANS",
    "PLAN",
    "OLDPLAN",
    "LATEPLAN",
    "BOUGHT",
    "TWOPLANS",
  ].map((id) => [id, "2024-06-01", 100] as OrderRow);
  // BOUGHT planned a call for 06-15 but bought again on 06-20: the written date is stale
  rows.push(["BOUGHT", "2024-06-20", 50]);
  // TWOPLANS wrote 06-15 and 06-25 and bought on 06-20: 06-25 still stands
  rows.push(["TWOPLANS", "2024-06-20", 50]);
  const { of } = plan(rows, {
    grades: Object.fromEntries(rows.map(([id]) => [id, "C"])),
    interactions: [
      { id: "OPEN", date: "2024-06-20", type: "deal", outcome: "进行中" },
      { id: "CLOSE", date: "2024-06-25", type: "deal", outcome: "About to sign" },
      { id: "WON", date: "2024-06-10", type: "deal", outcome: "进行中" },
      { id: "WON", date: "2024-06-12", type: "deal", outcome: "已签约" },
      { id: "COMP", date: "2024-06-10", type: "complaint", outcome: "" },
      { id: "ANS", date: "2024-06-10", type: "complaint", outcome: "" },
      { id: "ANS", date: "2024-06-12", type: "followup", outcome: "已回电" },
      { id: "PLAN", date: "2024-06-01", next: "2024-06-15" },
      { id: "OLDPLAN", date: "2024-06-01", next: "2024-06-15" },
      { id: "OLDPLAN", date: "2024-06-20" },
      { id: "LATEPLAN", date: "2024-06-01", next: "2025-06-01" },
      { id: "BOUGHT", date: "2024-05-20", next: "2024-06-15" },
      { id: "TWOPLANS", date: "2024-05-20", next: "2024-06-25" },
      { id: "TWOPLANS", date: "2024-05-21", next: "2024-06-15" },
    ],
  });

  it("an open deal: at most 7 days after the last contact", () => {
    expect(iso(of("OPEN").next)).toBe("2024-06-27");
    expect(of("OPEN").reason).toEqual({
      key: "followup.reason.openDeal",
      params: { days: 7, last: day("2024-06-20") },
    });
  });

  it("a deal about to close: every 2 days", () => {
    expect(iso(of("CLOSE").next)).toBe("2024-06-27");
    expect(t("zh", of("CLOSE").reason)).toBe("即将签约：每 2 天跟进一次；上次联系 2024年6月25日");
  });

  it("a signed deal no longer shortens the cadence", () => {
    expect(iso(of("WON").next)).toBe(iso(day("2024-06-12") + 182));
  });

  it("an unanswered complaint is due within 7 days; an answered one is not", () => {
    expect(iso(of("COMP").next)).toBe("2024-06-17");
    expect(of("COMP").item?.daysOverdue).toBe(9);
    expect(of("COMP").reason.key).toBe("followup.reason.complaint");
    expect(iso(of("ANS").next)).toBe(iso(day("2024-06-12") + 182));
  });

  it("an entered next-contact date wins when earlier, unless a later contact superseded it", () => {
    expect(iso(of("PLAN").next)).toBe("2024-06-15");
    expect(of("PLAN").reason).toEqual({
      key: "followup.reason.planned",
      params: { due: day("2024-06-15") },
    });
    expect(iso(of("OLDPLAN").next)).toBe(iso(day("2024-06-20") + 182));
    expect(iso(of("LATEPLAN").next)).toBe(iso(day("2024-06-01") + 182));
    expect(iso(of("BOUGHT").next)).toBe(iso(day("2024-06-20") + 182));
    expect(of("BOUGHT").reason.key).not.toBe("followup.reason.planned");
    expect(iso(of("TWOPLANS").next)).toBe("2024-06-25");
    expect(of("TWOPLANS").reason.key).toBe("followup.reason.planned");
  });
});

describe("terminated customers, prospects, long-term customers", () => {
  it("terminated: no routine contact, but an open complaint still counts", () => {
    const { of } = plan(
      [
        ["T", "2023-01-01", 100],
        ["TC", "2023-01-01", 100],
      ],
      {
        grades: { T: "A", TC: "A" },
        stages: { T: "termination", TC: "termination" },
        interactions: [{ id: "TC", date: "2024-06-24", type: "complaint" }],
      },
    );
    expect(of("T").next).toBeNaN();
    expect(of("T").reason).toEqual({ key: "followup.reason.terminated" });
    expect(of("T").item).toBeUndefined();
    expect(iso(of("TC").next)).toBe("2024-07-01");
  });

  it("prospects use C's cadence, or B's when money, authority and need are all yes", () => {
    const { of } = plan([], {
      customers: [
        customer("P", { firstContact: day("2024-06-01") }),
        customer("Q", {
          firstContact: day("2024-06-01"),
          money: true,
          authority: true,
          need: true,
        }),
        customer("N"),
        customer("H", {
          firstContact: day("2024-06-01"),
          money: true,
          authority: false,
          need: true,
        }),
      ],
      stages: { P: "potential", Q: "potential", N: "potential", H: "potential" },
    });
    expect(iso(of("P").next)).toBe(iso(day("2024-06-01") + 182));
    expect(of("P").reason).toMatchObject({
      key: "followup.reason.prospect.firstContact",
      params: { grade: "C", days: 182 },
    });
    expect(iso(of("Q").next)).toBe(iso(day("2024-06-01") + 91));
    expect(of("Q").reason).toMatchObject({
      key: "followup.reason.prospectQualified.firstContact",
      params: { grade: "B", days: 91 },
    });
    expect(of("H").reason.params).toMatchObject({ grade: "C" });
    // nothing on record: due now, listed
    expect(iso(of("N").next)).toBe(AS_OF);
    expect(of("N").reason).toEqual({ key: "followup.reason.noContact" });
    expect(of("N").item).toMatchObject({ grade: null, daysOverdue: 0, slot: { day: day(AS_OF) } });
  });

  it("long-term customers: at least every third delivery", () => {
    const rows: OrderRow[] = [
      ["L", "2024-04-01", 100],
      ["L", "2024-04-21", 100],
      ["L", "2024-05-11", 100],
      ["L", "2024-05-31", 100],
    ];
    const { of } = plan(rows, { grades: { L: "C" }, stages: { L: "maturity" }, gaps: { L: 20 } });
    expect(iso(of("L").next)).toBe("2024-07-30"); // 2024-05-31 + 3 × 20
    expect(of("L").reason).toEqual({
      key: "followup.reason.delivery",
      params: { n: 3, gap: 20, days: 60, last: day("2024-05-31") },
    });
    // not in maturity: cadence only
    const g = plan(rows, { grades: { L: "C" }, stages: { L: "growth" }, gaps: { L: 20 } });
    expect(g.of("L").reason.key).toBe("followup.reason.cadence.purchase");
  });

  it("works with the real lifecycle result", () => {
    const { ds, measures } = buildDataset(
      [
        ["X", "2023-12-01", 5500],
        ["X", "2024-05-01", 3200],
      ],
      { asOf: AS_OF },
    );
    const settings = makeSettings();
    const lifecycle = lifecycleStages({ ds, measures, settings, pAlive: null });
    expect(lifecycle.stage[0]).toBe("decline");
    const res = followUps({ ds, measures, settings, grade: ["A"], lifecycle });
    expect(iso(res.nextContact[0])).toBe("2024-05-16"); // 2024-05-01 + 15 (30 × 0.5)
    expect(res.items[0]).toMatchObject({ id: "X", daysOverdue: 41, stage: "decline" });
  });
});

describe("deals and complaints that close, and stale items (issue 18 §1)", () => {
  const rows: OrderRow[] = ["PAID", "SAID", "STILL", "OLD", "NOTE"].map(
    (id) => [id, "2023-06-01", 100] as OrderRow,
  );
  // PAID: a deal "in progress" on 2024-01-10, then a purchase on 2024-05-01 (the deal was won)
  rows.push(["PAID", "2024-05-01", 900]);
  const { res, of } = plan(rows, {
    grades: { PAID: "A", SAID: "A", STILL: "A", OLD: "A", NOTE: "A" },
    interactions: [
      { id: "PAID", date: "2024-01-10", type: "deal", outcome: "in progress" },
      // SAID: open deal, then a later visit whose outcome reports the deal lost
      { id: "SAID", date: "2024-06-01", type: "deal", outcome: "进行中" },
      { id: "SAID", date: "2024-06-10", type: "followup", outcome: "客户决定放弃，丢单" },
      // STILL: open deal, a later call with no deal status: still open
      { id: "STILL", date: "2024-06-01", type: "deal", outcome: "open" },
      { id: "STILL", date: "2024-06-10", type: "followup", outcome: "left a message" },
      // OLD: a deal left "in progress" 200 days before the as-of date and never touched
      { id: "OLD", date: "2023-12-09", type: "deal", outcome: "in progress" },
      // NOTE: a later note turns the deal to "about to sign"
      { id: "NOTE", date: "2024-06-01", type: "deal", outcome: "进行中" },
      { id: "NOTE", date: "2024-06-24", type: "followup", outcome: "即将签约" },
    ],
  });

  it("a later purchase closes an open deal (won): the grade cadence counts from the purchase", () => {
    expect(of("PAID").reason.key).toBe("followup.reason.cadence.purchase");
    expect(iso(of("PAID").next)).toBe(iso(day("2024-05-01") + 30));
  });

  it("a later interaction that gives another status closes or changes the deal", () => {
    expect(of("SAID").reason.key).toBe("followup.reason.cadence.interaction");
    expect(of("STILL").reason.key).toBe("followup.reason.openDeal");
    expect(iso(of("STILL").next)).toBe("2024-06-17");
    expect(of("NOTE").reason.key).toBe("followup.reason.closingDeal");
    expect(iso(of("NOTE").next)).toBe("2024-06-26");
  });

  it("an item overdue by more than 90 days is stale: listed apart with its age, not in the call list", () => {
    expect(res.items.some((x) => x.id === "OLD")).toBe(false);
    expect(res.stale.map((x) => [x.id, x.daysOverdue])).toEqual([
      ["OLD", day(AS_OF) - day("2023-12-16")],
    ]);
    expect(res.staleCount).toBe(1);
    // the overdue count leaves stale items out; STILL (9 days overdue) is counted
    expect(res.overdue).toBe(res.items.filter((x) => x.daysOverdue > 0).length);
    expect(res.items.find((x) => x.id === "STILL")?.daysOverdue).toBe(9);
  });
});

describe("contacts after the as-of date (the desk's calls, issue 17)", () => {
  // A customer: last purchase 2024-06-01 (30-day cadence → due 2024-07-01); a call on
  // 2024-06-28, after the as-of date 2024-06-26, planning the next contact on 2024-07-10.
  const rows: OrderRow[] = [["K", "2024-06-01", 100]];
  const interactions: InteractionRow[] = [{ id: "K", date: "2024-06-28", next: "2024-07-10" }];
  const run = (asOfSet: boolean) => {
    const { ds, measures } = buildDataset(rows, { asOf: AS_OF, interactions });
    const settings = makeSettings(asOfSet ? { asOf: day(AS_OF) } : {});
    const lifecycle = fakeLifecycle(ds.customerIds, {});
    const res = followUps({ ds, measures, settings, grade: ["A"], lifecycle });
    return res.nextContact[idx(ds, "K")];
  };

  it("count with the default as-of date (the latest order): the call planned the next one", () => {
    expect(iso(run(false))).toBe("2024-07-10");
  });

  it("do not count with an as-of date set (a look back in time)", () => {
    expect(iso(run(true))).toBe("2024-07-01");
  });
});

describe("the call list's order at scale", () => {
  // the comparator the lists are defined by: grade (A first, none last), days overdue (most
  // first), ID; stale: days overdue (most first), ID
  const rankOf = (g: Grade | null) => (g ? "ABCD".indexOf(g) : 4);
  const listed = (res: ReturnType<typeof followUps>) => ({
    items: res.items.map((x) => x.id),
    stale: res.stale.map((x) => x.id),
  });
  const expected = (res: ReturnType<typeof followUps>) => {
    const cmpId = (a: { id: string }, b: { id: string }) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return {
      items: [...res.items]
        .sort(
          (a, b) =>
            rankOf(a.grade) - rankOf(b.grade) || b.daysOverdue - a.daysOverdue || cmpId(a, b),
        )
        .map((x) => x.id),
      stale: [...res.stale]
        .sort((a, b) => b.daysOverdue - a.daysOverdue || cmpId(a, b))
        .map((x) => x.id),
    };
  };
  const run = (ids: string[], callDays: number) => {
    let seed = 11;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const rows: OrderRow[] = ids.map((id) => [
      id,
      iso(day(AS_OF) - Math.floor(random() * 400)),
      100,
    ]);
    const { ds, measures } = buildDataset(rows, { asOf: AS_OF });
    const settings = makeSettings({ grades: { A: { callDays } } });
    const grade = ds.customerIds.map((_, i) => (["A", "B", null, "C", "D"] as const)[i % 5]);
    const lifecycle = fakeLifecycle(ds.customerIds, {});
    return followUps({ ds, measures, settings, grade, lifecycle });
  };
  const ids = Array.from(
    { length: 3000 },
    (_, k) => `C${String((k * 7919) % 3000).padStart(4, "0")}`,
  );

  it("equals the comparator's order, with IDs in table order or not, whole days or not", () => {
    for (const list of [ids, [...ids].sort(), [...ids].sort().reverse()]) {
      for (const callDays of [30, 30.5]) {
        const res = run(list, callDays);
        expect(res.items.length).toBeGreaterThan(300);
        expect(res.stale.length).toBeGreaterThan(300);
        expect(listed(res)).toEqual(expected(res));
      }
    }
  });
});
