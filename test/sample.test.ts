import { describe, expect, it } from "vitest";
import {
  SAMPLE_BAD_ROWS,
  SAMPLE_END,
  SAMPLE_HEADERS,
  SAMPLE_UNKNOWN_CUSTOMER,
  sampleWorkbook,
} from "../analysis/sample.js";
import type { Cell } from "../analysis/types.js";

const DAY = 86_400_000;
const ZH = sampleWorkbook();
const EN = sampleWorkbook({ lang: "en" });
const dayOf = (c: Cell): number => (c as Date).getTime() / DAY;

/** Usable order lines, read independently of the product's reader. */
function lines(wb = ZH) {
  return wb.orders.rows
    .filter(
      (r) =>
        typeof r[1] === "string" &&
        r[1] !== "" &&
        r[2] instanceof Date &&
        typeof r[4] === "number" &&
        typeof r[5] === "number",
    )
    .map((r) => ({
      order: r[0] as string,
      customer: r[1] as string,
      day: dayOf(r[2]),
      amount: (r[4] as number) * (r[5] as number),
      cost: r[6] as number,
    }));
}

describe("sampleWorkbook", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    expect(sampleWorkbook()).toEqual(ZH);
    expect(sampleWorkbook({ seed: 7 })).toEqual(sampleWorkbook({ seed: 7 }));
    expect(sampleWorkbook({ seed: 7 }).orders.rows).not.toEqual(
      sampleWorkbook({ seed: 8 }).orders.rows,
    );
  });

  it("places the tables at A1 with Chinese headers and sheet names by default", () => {
    const wb = ZH;
    expect([wb.customers.source, wb.orders.source, wb.interactions.source]).toEqual([
      "客户",
      "订单",
      "联系记录",
    ]);
    for (const t of [wb.customers, wb.orders, wb.interactions]) {
      expect(t.headerRow).toBe(1);
      expect(t.firstColumn).toBe(1);
      for (const r of t.rows) expect(r).toHaveLength(t.headers.length);
    }
    expect(wb.orders.headers).toEqual([
      "订单号",
      "客户编号",
      "日期",
      "产品",
      "数量",
      "单价",
      "成本",
    ]);
  });

  it("has English headers, sheet names and labels with lang en, the same numbers", () => {
    const [zh, en] = [ZH, EN];
    expect(en.orders.source).toBe("Orders");
    expect(en.customers.headers).toEqual([...SAMPLE_HEADERS.customers.en]);
    expect(en.interactions.headers).toEqual([
      "Date",
      "Customer ID",
      "Channel",
      "Type",
      "Outcome",
      "Next contact",
    ]);
    expect(en.orders.rows.map((r) => [r[0], r[1], r[4], r[5], r[6]])).toEqual(
      zh.orders.rows.map((r) => [r[0], r[1], r[4], r[5], r[6]]),
    );
    expect(new Set(en.interactions.rows.map((r) => r[2]))).toEqual(
      new Set(["phone", "WeChat", "visit", "email"]),
    );
    expect(new Set(zh.interactions.rows.map((r) => r[2]))).toEqual(
      new Set(["电话", "微信", "拜访", "邮件"]),
    );
  });

  it("has about 300 customers with realistic fields", () => {
    const { customers } = ZH;
    expect(customers.rows).toHaveLength(300);
    const ids = customers.rows.map((r) => r[0]);
    expect(new Set(ids).size).toBe(300);
    expect(ids[0]).toBe("KH0001");
    for (const r of customers.rows) {
      expect(r[0]).toMatch(/^KH\d{4}$/);
      expect(r[1]).toMatch(
        /^(上海|杭州|苏州|南京|宁波|无锡|合肥|青岛|广州|深圳|东莞|佛山|厦门|福州|北京|天津|石家庄|太原|唐山|成都|重庆|昆明|贵阳|武汉|长沙|郑州|南昌).+(股份)?有限公司$/,
      );
      expect(r[2]).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(r[3]).toMatch(/^13\d{9}$/);
      expect(["制造", "零售", "餐饮", "医疗", "教育", "物流"]).toContain(r[5]);
      expect(["华东", "华南", "华北", "西南", "华中"]).toContain(r[6]);
      expect(["展会", "转介绍", "官网", "电话营销"]).toContain(r[9]);
      expect(r[8]).toBeInstanceOf(Date);
      expect(dayOf(r[8]) % 1).toBe(0); // UTC midnight
    }
    expect(new Set(customers.rows.map((r) => r[1])).size).toBe(300);
    expect(new Set(customers.rows.map((r) => r[7])).size).toBe(5);
    // A few manual stage overrides, each explained in the notes.
    const overrides = customers.rows.filter((r) => r[13] !== null);
    expect(overrides.map((r) => r[13]).sort()).toEqual(
      ["开发期", "成熟期", "终止期", "衰退期"].sort(),
    );
    for (const r of overrides) expect(r[14]).toBeTruthy();
  });

  it("has about 30 prospects without orders, each with MAN answers", () => {
    const wb = ZH;
    const buyers = new Set(lines(wb).map((l) => l.customer));
    const prospects = wb.customers.rows.filter((r) => !buyers.has(r[0] as string));
    expect(prospects).toHaveLength(30);
    for (const r of prospects) for (const c of r.slice(10, 13)) expect(["是", "否"]).toContain(c);
    for (const r of wb.customers.rows.filter((x) => buyers.has(x[0] as string)))
      expect(r.slice(10, 13)).toEqual([null, null, null]);
  });

  it("has line items over two years ending on 2026-11-15, with well-formed order IDs", () => {
    const ls = lines();
    expect(SAMPLE_END).toBe(Date.UTC(2026, 10, 15) / DAY);
    expect(Math.max(...ls.map((l) => l.day))).toBe(SAMPLE_END);
    expect(Math.min(...ls.map((l) => l.day))).toBeGreaterThan(SAMPLE_END - 730);
    for (const l of ls) expect(l.order).toMatch(/^C?SO-20(24|25|26)-\d{5}$/);
    const perOrder = new Map<string, number>();
    for (const l of ls) perOrder.set(l.order, (perOrder.get(l.order) ?? 0) + 1);
    expect([...perOrder.values()].some((n) => n >= 3)).toBe(true);
    expect(ls.length).toBeGreaterThan(perOrder.size * 1.3);
  });

  it("has cancellations: C-prefixed order IDs with negative quantity and cost, after their order", () => {
    const wb = ZH;
    const cancels = wb.orders.rows.filter((r) => String(r[0]).startsWith("C"));
    expect(cancels.length).toBeGreaterThanOrEqual(20);
    const dayOfOrder = new Map(wb.orders.rows.map((r) => [r[0], r[2]]));
    for (const r of cancels) {
      expect(r[4]).toBeLessThan(0);
      expect(r[6]).toBeLessThan(0);
      expect(dayOf(r[2])).toBeGreaterThan(dayOf(dayOfOrder.get(String(r[0]).slice(1))));
    }
  });

  it("has the bad rows at known rows, and nowhere else", () => {
    const { orders, customers } = ZH;
    expect(orders.rows[40][1]).toBeNull();
    expect(orders.rows[400][2]).toBe("2025/13/45");
    expect(orders.rows[900][5]).toBe("N/A");
    expect(orders.rows[1500][4]).toBe("#N/A");
    expect(orders.rows[2100][1]).toBe(SAMPLE_UNKNOWN_CUSTOMER);
    expect(orders.rows[2700][2]).toBeNull();
    for (const b of SAMPLE_BAD_ROWS) expect(orders.rows[b.index][b.column]).toEqual(b.value);
    const bad = orders.rows
      .map((r, i) => [r, i] as const)
      .filter(
        ([r]) =>
          !r[1] || !(r[2] instanceof Date) || typeof r[4] !== "number" || typeof r[5] !== "number",
      )
      .map(([, i]) => i);
    expect(bad).toEqual([40, 400, 900, 1500, 2700]);
    expect(customers.rows.some((r) => r[0] === SAMPLE_UNKNOWN_CUSTOMER)).toBe(false);
    expect(orders.rows.filter((r) => r[1] === SAMPLE_UNKNOWN_CUSTOMER)).toHaveLength(1);
  });

  it("is Pareto-heavy: the top 20% of customers hold 70–85% of net revenue", () => {
    for (const wb of [ZH, sampleWorkbook({ seed: 1 }), sampleWorkbook({ seed: 2 })]) {
      const net = new Map<string, number>();
      for (const l of lines(wb)) net.set(l.customer, (net.get(l.customer) ?? 0) + l.amount);
      const v = [...net.values()].sort((a, b) => b - a);
      const total = v.reduce((a, b) => a + b, 0);
      const top = v.slice(0, Math.ceil(v.length * 0.2)).reduce((a, b) => a + b, 0);
      expect(top / total).toBeGreaterThan(0.7);
      expect(top / total).toBeLessThan(0.85);
    }
  });

  it("exercises every lifecycle situation", () => {
    const ls = lines();
    const by = new Map<string, typeof ls>();
    for (const l of ls) by.set(l.customer, [...(by.get(l.customer) ?? []), l]);
    const count = {
      lapsed: 0,
      new: 0,
      oneTime: 0,
      declining: 0,
      growing: 0,
      stable: 0,
      lossMaking: 0,
    };
    for (const xs of by.values()) {
      const buys = xs.filter((l) => l.amount > 0);
      const first = Math.min(...buys.map((l) => l.day));
      const last = Math.max(...buys.map((l) => l.day));
      const orders = new Set(buys.map((l) => l.order)).size;
      const win = (lo: number, hi: number) =>
        xs
          .filter((l) => SAMPLE_END - l.day >= lo && SAMPLE_END - l.day < hi)
          .reduce((s, l) => s + l.amount, 0);
      const [recent, before] = [win(0, 180), win(180, 360)];
      if (SAMPLE_END - last > 365) count.lapsed++;
      else if (SAMPLE_END - first <= 90) count.new++;
      else if (orders === 1) count.oneTime++;
      else if (recent < 0.8 * before) count.declining++;
      else if (recent > 1.2 * before) count.growing++;
      else count.stable++;
      if (xs.reduce((s, l) => s + l.amount - l.cost, 0) < 0) count.lossMaking++;
    }
    expect(count.lapsed).toBeGreaterThanOrEqual(30);
    expect(count.new).toBeGreaterThanOrEqual(20);
    expect(count.oneTime).toBeGreaterThanOrEqual(10);
    expect(count.declining).toBeGreaterThanOrEqual(25);
    expect(count.growing).toBeGreaterThanOrEqual(20);
    expect(count.stable).toBeGreaterThanOrEqual(30);
    expect(count.lossMaking).toBeGreaterThanOrEqual(1);
  });

  it("has about 600 interactions with known channels, types and next contacts after the contact", () => {
    const { interactions, customers } = ZH;
    expect(interactions.rows.length).toBeGreaterThanOrEqual(500);
    expect(interactions.rows.length).toBeLessThanOrEqual(700);
    const ids = new Set(customers.rows.map((r) => r[0]));
    const types = new Set<Cell>();
    let withNext = 0;
    for (const r of interactions.rows) {
      expect(r[0]).toBeInstanceOf(Date);
      expect(dayOf(r[0])).toBeLessThanOrEqual(SAMPLE_END);
      expect(ids.has(r[1])).toBe(true);
      types.add(r[3]);
      if (r[5] !== null) {
        withNext++;
        expect(dayOf(r[5])).toBeGreaterThan(dayOf(r[0]));
      }
    }
    expect([...types].sort()).toEqual(["其他", "商机", "报价", "投诉", "跟进"].sort());
    expect(withNext).toBeGreaterThan(50);
    // Open deals close to the end, so the follow-up list has something to show.
    const open = interactions.rows.filter(
      (r) => (r[4] === "进行中" || r[4] === "即将签约") && dayOf(r[0]) > SAMPLE_END - 45,
    );
    expect(open.length).toBeGreaterThanOrEqual(5);
  });
});
