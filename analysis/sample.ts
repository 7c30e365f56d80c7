/**
 * A realistic sample workbook for a small Chinese B2B distributor (industrial and commercial
 * supplies): Customers (客户), Orders (订单, line items) and Interactions (联系记录), two years
 * of history ending 2026-11-15. Used by `crm demo`, the add-in's "try with sample data" and
 * tests. Deterministic: a seeded PRNG, no clock.
 *
 * The mix exercises every rule: loyal big accounts (the revenue is Pareto-heavy: the top 20%
 * of customers hold about 75–80% of it), growing, declining (last 180 days well below the 180
 * before), lapsed (> 365 days), new (first order within 90 days) and one-time buyers, about 30
 * prospects without orders (MAN columns filled), a few manual stage overrides, cancellations
 * (order ID "C…", negative quantity), a few loss-making customers (deep discounts), and the
 * deliberately bad order rows listed in SAMPLE_BAD_ROWS.
 *
 * Decisions: dates are `Date` objects at UTC midnight in the RawTable cells — exceljs writes
 * them as date cells directly, the Excel adapter converts them to serial numbers. Phones are
 * text. The Cost column (成本) is the cost of the whole line (quantity × unit cost), signed like
 * the quantity. Headers follow `lang` (Chinese by default); closed-set values (channel, type,
 * industry, region …) follow it too; company and contact names get pinyin in English.
 */
import {
  CHANNELS,
  INTERACTION_TYPES,
  type Cell,
  type Channel,
  type InteractionType,
  type Lang,
  type RawTable,
} from "./types.js";
import { STAGES, type Stage } from "./stages.js";
import { mulberry32, type Rng } from "./random.js";

const DAY_MS = 86_400_000;
/** Last day of the sample (the as-of date a reader derives from it). */
export const SAMPLE_END = Date.UTC(2026, 10, 15) / DAY_MS;
const HISTORY_DAYS = 730;

export const SAMPLE_SHEETS = {
  customers: { zh: "客户", en: "Customers" },
  orders: { zh: "订单", en: "Orders" },
  interactions: { zh: "联系记录", en: "Interactions" },
} as const;
export type SampleSheet = keyof typeof SAMPLE_SHEETS;

export const SAMPLE_HEADERS = {
  customers: {
    zh: [
      "客户编号",
      "客户名称",
      "联系人",
      "电话",
      "邮箱",
      "行业",
      "区域",
      "客户经理",
      "首次接触",
      "来源",
      "购买力",
      "决策权",
      "需求",
      "手动阶段",
      "备注",
    ],
    en: [
      "Customer ID",
      "Name",
      "Contact",
      "Phone",
      "Email",
      "Industry",
      "Region",
      "Owner",
      "First contact",
      "Source",
      "Money",
      "Authority",
      "Need",
      "Stage override",
      "Notes",
    ],
  },
  orders: {
    zh: ["订单号", "客户编号", "日期", "产品", "数量", "单价", "成本"],
    en: ["Order ID", "Customer ID", "Date", "Product", "Quantity", "Unit price", "Cost"],
  },
  interactions: {
    zh: ["日期", "客户编号", "方式", "类型", "结果", "下次联系"],
    en: ["Date", "Customer ID", "Channel", "Type", "Outcome", "Next contact"],
  },
} as const;

/** Customer ID that appears only in the orders (no row in Customers). */
export const SAMPLE_UNKNOWN_CUSTOMER = "KH9999";

export type SampleDefect =
  "missingCustomer" | "badDate" | "badAmount" | "errorValue" | "unknownCustomer" | "missingDate";

/**
 * The deliberately bad order rows: 0-based data index (sheet row = index + 2 in the RawTable),
 * the column index (into SAMPLE_HEADERS.orders) and the defect. Fixed for every seed.
 * "unknownCustomer" is usable: the customer only exists in the orders.
 */
export const SAMPLE_BAD_ROWS: readonly {
  index: number;
  column: number;
  defect: SampleDefect;
  value: Cell;
}[] = [
  { index: 40, column: 1, defect: "missingCustomer", value: null },
  { index: 400, column: 2, defect: "badDate", value: "2025/13/45" },
  { index: 900, column: 5, defect: "badAmount", value: "N/A" },
  { index: 1500, column: 4, defect: "errorValue", value: "#N/A" },
  { index: 2100, column: 1, defect: "unknownCustomer", value: SAMPLE_UNKNOWN_CUSTOMER },
  { index: 2700, column: 2, defect: "missingDate", value: null },
];

export interface SampleWorkbook {
  customers: RawTable;
  orders: RawTable;
  interactions: RawTable;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

type Pair = readonly [zh: string, en: string];

const REGIONS: Record<
  string,
  { label: Pair; weight: number; owner: number; cities: readonly Pair[] }
> = {
  east: {
    label: ["华东", "East China"],
    weight: 35,
    owner: 0,
    cities: [
      ["上海", "Shanghai"],
      ["杭州", "Hangzhou"],
      ["苏州", "Suzhou"],
      ["南京", "Nanjing"],
      ["宁波", "Ningbo"],
      ["无锡", "Wuxi"],
      ["合肥", "Hefei"],
      ["青岛", "Qingdao"],
    ],
  },
  south: {
    label: ["华南", "South China"],
    weight: 25,
    owner: 1,
    cities: [
      ["广州", "Guangzhou"],
      ["深圳", "Shenzhen"],
      ["东莞", "Dongguan"],
      ["佛山", "Foshan"],
      ["厦门", "Xiamen"],
      ["福州", "Fuzhou"],
    ],
  },
  north: {
    label: ["华北", "North China"],
    weight: 20,
    owner: 2,
    cities: [
      ["北京", "Beijing"],
      ["天津", "Tianjin"],
      ["石家庄", "Shijiazhuang"],
      ["太原", "Taiyuan"],
      ["唐山", "Tangshan"],
    ],
  },
  southwest: {
    label: ["西南", "Southwest China"],
    weight: 10,
    owner: 3,
    cities: [
      ["成都", "Chengdu"],
      ["重庆", "Chongqing"],
      ["昆明", "Kunming"],
      ["贵阳", "Guiyang"],
    ],
  },
  central: {
    label: ["华中", "Central China"],
    weight: 10,
    owner: 4,
    cities: [
      ["武汉", "Wuhan"],
      ["长沙", "Changsha"],
      ["郑州", "Zhengzhou"],
      ["南昌", "Nanchang"],
    ],
  },
};

const OWNERS: readonly Pair[] = [
  ["张伟", "Zhang Wei"],
  ["李娜", "Li Na"],
  ["王磊", "Wang Lei"],
  ["刘洋", "Liu Yang"],
  ["陈静", "Chen Jing"],
];

const TRADE_NAMES: readonly Pair[] = [
  ["恒信", "Hengxin"],
  ["华泰", "Huatai"],
  ["鑫源", "Xinyuan"],
  ["瑞丰", "Ruifeng"],
  ["宏达", "Hongda"],
  ["永盛", "Yongsheng"],
  ["金诚", "Jincheng"],
  ["德润", "Derun"],
  ["盛世", "Shengshi"],
  ["嘉禾", "Jiahe"],
  ["新元", "Xinyuan"],
  ["天成", "Tiancheng"],
  ["康泰", "Kangtai"],
  ["博远", "Boyuan"],
  ["明辉", "Minghui"],
  ["众合", "Zhonghe"],
  ["利通", "Litong"],
  ["安信", "Anxin"],
  ["顺达", "Shunda"],
  ["远航", "Yuanhang"],
  ["卓越", "Zhuoyue"],
  ["中联", "Zhonglian"],
  ["正泰", "Zhengtai"],
  ["宝隆", "Baolong"],
  ["同创", "Tongchuang"],
  ["华盛", "Huasheng"],
  ["锦程", "Jincheng"],
  ["励拓", "Lituo"],
  ["佳诚", "Jiacheng"],
  ["润丰", "Runfeng"],
  ["信达", "Xinda"],
  ["东升", "Dongsheng"],
  ["海川", "Haichuan"],
  ["立新", "Lixin"],
  ["万邦", "Wanbang"],
  ["启航", "Qihang"],
];

const INDUSTRIES: Record<
  string,
  { label: Pair; words: readonly Pair[]; products: readonly number[] }
> = {
  manufacturing: {
    label: ["制造", "Manufacturing"],
    words: [
      ["机电", "Electromechanical"],
      ["精密机械", "Precision Machinery"],
      ["电子科技", "Electronics"],
      ["五金制品", "Hardware"],
      ["模具", "Moulds"],
    ],
    products: [0, 1, 2, 3, 4, 5, 6, 18],
  },
  retail: {
    label: ["零售", "Retail"],
    words: [
      ["商贸", "Trading"],
      ["超市", "Supermarket"],
      ["百货", "Department Store"],
      ["便利连锁", "Convenience Stores"],
    ],
    products: [8, 9, 10, 17, 18, 19],
  },
  catering: {
    label: ["餐饮", "Catering"],
    words: [
      ["餐饮管理", "Catering Management"],
      ["食品", "Foods"],
      ["酒店管理", "Hotel Management"],
    ],
    products: [8, 11, 12, 15, 3],
  },
  medical: {
    label: ["医疗", "Healthcare"],
    words: [
      ["医疗器械", "Medical Devices"],
      ["医药", "Pharmaceutical"],
      ["康复医疗", "Rehabilitation"],
    ],
    products: [13, 14, 15, 7, 12],
  },
  education: {
    label: ["教育", "Education"],
    words: [
      ["教育科技", "Education Technology"],
      ["培训", "Training"],
      ["文化传播", "Culture & Media"],
    ],
    products: [16, 17, 12, 20, 15],
  },
  logistics: {
    label: ["物流", "Logistics"],
    words: [
      ["物流", "Logistics"],
      ["供应链管理", "Supply Chain"],
      ["货运代理", "Freight Forwarding"],
    ],
    products: [10, 18, 19, 20, 3, 7],
  },
};

/** Products: name, list price, unit cost ratio, typical quantity per line. */
const PRODUCTS: readonly { name: Pair; price: number; cost: number; qty: number }[] = [
  { name: ["工业润滑油 18L", "Industrial lubricant 18 L"], price: 680, cost: 0.72, qty: 6 },
  {
    name: ["不锈钢螺栓 M8×30(千件)", "Stainless bolts M8×30 (1,000)"],
    price: 420,
    cost: 0.64,
    qty: 5,
  },
  { name: ["深沟球轴承 6205(箱)", "Ball bearings 6205 (box)"], price: 950, cost: 0.7, qty: 3 },
  { name: ["劳保手套(百副)", "Work gloves (100 pairs)"], price: 260, cost: 0.6, qty: 8 },
  { name: ["电动工具套装", "Power tool set"], price: 1280, cost: 0.75, qty: 2 },
  { name: ["气动元件套件", "Pneumatic component kit"], price: 2350, cost: 0.7, qty: 2 },
  { name: ["变频器 7.5kW", "Frequency inverter 7.5 kW"], price: 3600, cost: 0.78, qty: 1 },
  { name: ["工业除湿机", "Industrial dehumidifier"], price: 4800, cost: 0.74, qty: 1 },
  { name: ["商用冷柜", "Commercial freezer"], price: 5200, cost: 0.76, qty: 1 },
  { name: ["收银一体机", "POS terminal"], price: 3900, cost: 0.72, qty: 1 },
  { name: ["仓储货架(组)", "Storage racking (set)"], price: 1150, cost: 0.68, qty: 3 },
  { name: ["一次性餐盒(箱)", "Disposable meal boxes (case)"], price: 180, cost: 0.62, qty: 15 },
  { name: ["商用净水器", "Commercial water purifier"], price: 2600, cost: 0.66, qty: 1 },
  { name: ["医用外科口罩(箱)", "Surgical masks (case)"], price: 320, cost: 0.58, qty: 10 },
  { name: ["医用丁腈手套(箱)", "Nitrile gloves (case)"], price: 450, cost: 0.6, qty: 8 },
  { name: ["消毒液 5L(箱)", "Disinfectant 5 L (case)"], price: 210, cost: 0.55, qty: 10 },
  { name: ["教学投影仪", "Classroom projector"], price: 3400, cost: 0.8, qty: 1 },
  { name: ["A4 复印纸(箱)", "A4 copy paper (case)"], price: 165, cost: 0.82, qty: 12 },
  { name: ["打包胶带(箱)", "Packing tape (case)"], price: 120, cost: 0.6, qty: 10 },
  { name: ["塑料托盘", "Plastic pallet"], price: 95, cost: 0.64, qty: 20 },
  { name: ["标签打印机", "Label printer"], price: 1450, cost: 0.7, qty: 1 },
];

const SOURCES: readonly Pair[] = [
  ["展会", "trade show"],
  ["转介绍", "referral"],
  ["官网", "website"],
  ["电话营销", "telemarketing"],
];

const SURNAMES: readonly Pair[] = [
  ["王", "Wang"],
  ["李", "Li"],
  ["张", "Zhang"],
  ["刘", "Liu"],
  ["陈", "Chen"],
  ["杨", "Yang"],
  ["赵", "Zhao"],
  ["黄", "Huang"],
  ["周", "Zhou"],
  ["吴", "Wu"],
  ["徐", "Xu"],
  ["孙", "Sun"],
  ["胡", "Hu"],
  ["朱", "Zhu"],
  ["高", "Gao"],
  ["林", "Lin"],
  ["何", "He"],
  ["郭", "Guo"],
  ["马", "Ma"],
  ["罗", "Luo"],
];
const GIVEN: readonly Pair[] = [
  ["伟", "Wei"],
  ["芳", "Fang"],
  ["敏", "Min"],
  ["静", "Jing"],
  ["丽", "Li"],
  ["强", "Qiang"],
  ["磊", "Lei"],
  ["军", "Jun"],
  ["洋", "Yang"],
  ["勇", "Yong"],
  ["艳", "Yan"],
  ["杰", "Jie"],
  ["涛", "Tao"],
  ["明", "Ming"],
  ["超", "Chao"],
  ["霞", "Xia"],
  ["建华", "Jianhua"],
  ["志强", "Zhiqiang"],
  ["海燕", "Haiyan"],
  ["晓东", "Xiaodong"],
  ["秀英", "Xiuying"],
  ["文博", "Wenbo"],
  ["雪梅", "Xuemei"],
  ["国庆", "Guoqing"],
  ["立新", "Lixin"],
  ["婷婷", "Tingting"],
  ["俊杰", "Junjie"],
  ["丹", "Dan"],
];

const YES_NO: readonly Pair[] = [
  ["是", "yes"],
  ["否", "no"],
];

type Outcome = { label: Pair; next?: number };
const OUTCOMES: Record<InteractionType, readonly Outcome[]> = {
  followup: [
    { label: ["已联系", "reached"] },
    { label: ["无人接听", "no answer"], next: 2 },
    { label: ["客户暂无需求", "no need for now"] },
    { label: ["约定回访", "call back agreed"], next: 14 },
  ],
  quote: [
    { label: ["已发报价", "quote sent"], next: 5 },
    { label: ["客户比价中", "customer comparing prices"], next: 7 },
    { label: ["价格已确认", "price agreed"] },
  ],
  deal: [
    { label: ["进行中", "in progress"], next: 7 },
    { label: ["即将签约", "about to sign"], next: 2 },
    { label: ["已签约", "signed"] },
    { label: ["已丢单", "lost"] },
  ],
  complaint: [{ label: ["已解决", "resolved"] }, { label: ["处理中", "being handled"], next: 3 }],
  other: [{ label: ["已记录", "noted"] }],
};

const NOTES: readonly Pair[] = [
  ["年底集中采购", "buys mostly at year end"],
  ["付款周期较长(60 天)", "slow payer (60 days)"],
  ["对价格敏感", "price-sensitive"],
  ["老客户转介绍", "referred by a long-standing customer"],
  ["新任采购经理,需重新建立关系", "new purchasing manager, relationship to rebuild"],
  ["要求开具增值税专用发票", "needs special VAT invoices"],
  ["每月初下单", "orders at the start of each month"],
];

// ---------------------------------------------------------------------------------------------
// Randomness

const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
function weighted<T extends string>(rng: Rng, table: Record<T, number>): T {
  const entries = Object.entries(table) as [T, number][];
  let u = rng() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) if ((u -= w) < 0) return k;
  return entries[entries.length - 1][0];
}
function normal(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
function shuffle<T>(rng: Rng, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Customers

/** Behaviour behind a customer's orders. */
const ARCHETYPES = {
  loyal: { count: 30, scale: 4, contacts: 4.5 },
  regular: { count: 85, scale: 1, contacts: 1.7 },
  growing: { count: 25, scale: 1.6, contacts: 2.5 },
  declining: { count: 30, scale: 1.6, contacts: 2 },
  lapsed: { count: 35, scale: 0.8, contacts: 1 },
  new: { count: 25, scale: 0.7, contacts: 2 },
  oneTime: { count: 40, scale: 0.5, contacts: 0.7 },
  prospect: { count: 30, scale: 0, contacts: 2.5 },
} as const;
type Archetype = keyof typeof ARCHETYPES;

interface Customer {
  id: string;
  kind: Archetype;
  region: string;
  industry: string;
  city: Pair;
  name: Pair;
  contact: Pair;
  phone: string;
  email: string;
  owner: Pair;
  source: Pair;
  /** Mean size of an order, in multiples of a product's typical quantity. */
  scale: number;
  discount: number;
  firstContact: number;
  man: [boolean, boolean, boolean] | null;
  override: Stage | null;
  note: Pair | null;
}

function makeCustomers(rng: Rng): Customer[] {
  const kinds = shuffle(
    rng,
    (Object.keys(ARCHETYPES) as Archetype[]).flatMap((k) =>
      Array<Archetype>(ARCHETYPES[k].count).fill(k),
    ),
  );
  const names = new Set<string>();
  const regionWeights = Object.fromEntries(Object.entries(REGIONS).map(([k, r]) => [k, r.weight]));
  const industryWeights = {
    manufacturing: 30,
    retail: 20,
    catering: 15,
    medical: 13,
    education: 10,
    logistics: 12,
  };
  return kinds.map((kind, i) => {
    const region = weighted(rng, regionWeights);
    const industry = weighted(rng, industryWeights);
    const city = pick(rng, REGIONS[region].cities);
    let name: Pair;
    do {
      const trade = pick(rng, TRADE_NAMES);
      const word = pick(rng, INDUSTRIES[industry].words);
      const plc = rng() < 0.12;
      name = [
        `${city[0]}${trade[0]}${word[0]}${plc ? "股份有限公司" : "有限公司"}`,
        `${city[1]} ${trade[1]} ${word[1]} Co., Ltd.`,
      ];
    } while (names.has(name[0]));
    names.add(name[0]);
    const surname = pick(rng, SURNAMES);
    const given = pick(rng, GIVEN);
    const phone = `13${int(rng, 0, 9)}${String(int(rng, 0, 99_999_999)).padStart(8, "0")}`;
    const tradePinyin = name[1].split(" ")[1].toLowerCase();
    const email =
      rng() < 0.15
        ? ""
        : rng() < 0.3
          ? `${int(rng, 10_000_000, 2_999_999_999)}@qq.com`
          : `${surname[1].toLowerCase()}.${given[1].toLowerCase()}@${tradePinyin}-${city[1].toLowerCase()}.com.cn`;
    const ownerIndex = rng() < 0.1 ? int(rng, 0, OWNERS.length - 1) : REGIONS[region].owner;
    const baseScale = Math.exp(0.7 * normal(rng));
    return {
      id: `KH${String(i + 1).padStart(4, "0")}`,
      kind,
      region,
      industry,
      city,
      name,
      contact: [`${surname[0]}${given[0]}`, `${surname[1]} ${given[1]}`],
      phone,
      email,
      owner: OWNERS[ownerIndex],
      source: pick(rng, SOURCES),
      scale: ARCHETYPES[kind].scale * baseScale,
      discount: rng() < 0.03 ? 0.35 : Math.round(rng() * 12) / 100,
      firstContact: 0,
      man: kind === "prospect" ? [rng() < 0.6, rng() < 0.5, rng() < 0.7] : null,
      override: null,
      note: rng() < 0.12 ? pick(rng, NOTES) : null,
    };
  });
}

/** A few manual stage overrides, each with the note that explains it. */
function addOverrides(customers: Customer[]): void {
  const plan: [Archetype, Stage, Pair][] = [
    ["declining", "maturity", ["季节性采购,并非流失", "seasonal buyer, not churning"]],
    ["regular", "decline", ["竞争对手低价抢单", "competitor undercutting our prices"]],
    ["declining", "termination", ["公司已注销", "company dissolved"]],
    [
      "prospect",
      "development",
      ["已签框架协议,首单待下", "framework agreement signed, first order pending"],
    ],
  ];
  for (const [kind, stage, note] of plan) {
    const c = customers.find((x) => x.kind === kind && x.override === null && x.note === null);
    if (c) {
      c.override = stage;
      c.note = note;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Orders

interface Line {
  order: string;
  customer: string;
  day: number;
  product: number;
  qty: number;
  price: number;
  cost: number;
}

/** Order days of one customer, by archetype (days before SAMPLE_END → epoch days). */
function orderDays(rng: Rng, c: Customer): { day: number; size: number }[] {
  const end = SAMPLE_END;
  const start = end - HISTORY_DAYS + 1;
  const out: { day: number; size: number }[] = [];
  const walk = (from: number, to: number, gap: number, size: number): void => {
    for (let d = from; d <= to; d += Math.max(3, Math.round(gap * (0.75 + 0.5 * rng()))))
      out.push({ day: d, size });
  };
  switch (c.kind) {
    case "loyal":
      walk(start + int(rng, 0, 40), end - int(rng, 0, 20), int(rng, 16, 28), 1);
      break;
    case "regular":
      walk(end - int(rng, 380, 729), end - int(rng, 0, 40), int(rng, 30, 55), 1);
      break;
    case "growing": {
      const gap = int(rng, 55, 80);
      walk(end - int(rng, 400, 729), end - 181, gap, 1);
      walk(end - 180 + int(rng, 0, 20), end - int(rng, 0, 15), gap / 2.2, 1.4);
      break;
    }
    case "declining":
      walk(end - int(rng, 450, 729), end - 185, int(rng, 28, 45), 1);
      for (let k = int(rng, 1, 2); k > 0; k--)
        out.push({ day: end - int(rng, 70, 175), size: 0.35 });
      break;
    case "lapsed":
      walk(end - int(rng, 600, 729), end - int(rng, 380, 560), int(rng, 40, 90), 1);
      break;
    case "new":
      walk(end - int(rng, 5, 85), end - int(rng, 0, 4), int(rng, 20, 40), 1);
      break;
    case "oneTime":
      out.push({ day: end - int(rng, 100, 700), size: 1 });
      break;
    case "prospect":
      break;
  }
  return out.filter((o) => o.day >= start && o.day <= end).sort((a, b) => a.day - b.day);
}

/** The first loyal account orders on the last day, so the data ends on SAMPLE_END. */
function endOnLastDay(days: { day: number; size: number }[]): void {
  if (days.length > 0 && days[days.length - 1].day !== SAMPLE_END)
    days.push({ day: SAMPLE_END, size: 1 });
}

/** Code-unit order: IDs are ASCII, and locale collation would be slow and locale-dependent. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const round2 = (x: number): number => Math.round(x * 100) / 100;

function makeOrders(rng: Rng, customers: Customer[]): Line[] {
  // Orders first (customer, day, lines), IDs after sorting by date: SO-<year>-<seq>.
  const orders: { customer: Customer; day: number; lines: Omit<Line, "order">[] }[] = [];
  const anchor = customers.find((c) => c.kind === "loyal");
  for (const c of customers) {
    const prefs = INDUSTRIES[c.industry].products;
    const basket = shuffle(rng, [...prefs]).slice(0, int(rng, 2, 3));
    const days = orderDays(rng, c);
    if (c === anchor) endOnLastDay(days);
    for (const { day, size } of days) {
      // B2B customers mostly reorder their usual basket, now and then something else.
      const products = new Set<number>(basket.filter(() => rng() < 0.8));
      if (products.size === 0 || rng() < 0.1) products.add(int(rng, 0, PRODUCTS.length - 1));
      const lines = [...products].map((p) => {
        const prod = PRODUCTS[p];
        const qty = Math.max(1, Math.round(prod.qty * c.scale * size * (0.7 + 0.6 * rng())));
        const inflation = day >= Date.UTC(2026, 0, 1) / DAY_MS ? 1.03 : 1;
        const price = round2(prod.price * inflation * (1 - c.discount));
        const cost = round2(qty * prod.price * prod.cost * (0.98 + 0.04 * rng()));
        return { customer: c.id, day, product: p, qty, price, cost };
      });
      orders.push({ customer: c, day, lines });
    }
  }
  orders.sort((a, b) => a.day - b.day || cmp(a.customer.id, b.customer.id));
  const seq = new Map<number, number>();
  const out: Line[] = [];
  for (const o of orders) {
    const year = new Date(o.day * DAY_MS).getUTCFullYear();
    const n = (seq.get(year) ?? 0) + 1;
    seq.set(year, n);
    const id = `SO-${year}-${String(n).padStart(5, "0")}`;
    for (const l of o.lines) out.push({ ...l, order: id });
    // About one order in 40 is partly or wholly cancelled a few days later.
    if (rng() < 0.025 && o.day < SAMPLE_END - 10) {
      const l = pick(rng, o.lines);
      const qty = rng() < 0.5 ? l.qty : Math.max(1, Math.floor(l.qty / 2));
      out.push({
        ...l,
        order: `C${id}`,
        day: o.day + int(rng, 1, 10),
        qty: -qty,
        cost: -round2((l.cost * qty) / l.qty),
      });
    }
  }
  return out.sort((a, b) => a.day - b.day || cmp(a.order, b.order));
}

// ---------------------------------------------------------------------------------------------
// Interactions

interface Contact {
  day: number;
  customer: string;
  channel: Channel;
  type: InteractionType;
  outcome: Outcome;
}

function makeInteractions(rng: Rng, customers: Customer[], lines: Line[]): Contact[] {
  const span = new Map<string, [number, number]>();
  for (const l of lines) {
    const s = span.get(l.customer);
    span.set(l.customer, s ? [Math.min(s[0], l.day), Math.max(s[1], l.day)] : [l.day, l.day]);
  }
  const start = SAMPLE_END - HISTORY_DAYS + 1;
  const out: Contact[] = [];
  for (const c of customers) {
    const mean = ARCHETYPES[c.kind].contacts;
    const n = Math.floor(mean * (0.5 + rng()) + rng());
    const [from, to] =
      c.kind === "prospect"
        ? [c.firstContact, SAMPLE_END]
        : (span.get(c.id) ?? [start, SAMPLE_END]).map((d, i) => d + (i === 0 ? -30 : 60));
    for (let k = 0; k < n; k++) {
      // Prospects and deals in progress: the latest contact is recent.
      const recent = c.kind === "prospect" && k === n - 1;
      const day = Math.min(
        SAMPLE_END,
        Math.max(start, recent ? SAMPLE_END - int(rng, 0, 40) : int(rng, from, Math.max(from, to))),
      );
      const type: InteractionType =
        c.kind === "prospect"
          ? weighted(rng, { deal: 50, quote: 30, followup: 20 })
          : weighted(rng, {
              followup: 65,
              quote: 14,
              deal: 9,
              complaint: c.kind === "declining" ? 15 : 4,
              other: 3,
            });
      const channel = weighted(rng, { phone: 45, wechat: 30, visit: 15, email: 10 }) as Channel;
      out.push({ day, customer: c.id, channel, type, outcome: pick(rng, OUTCOMES[type]) });
    }
  }
  return out.sort((a, b) => a.day - b.day || cmp(a.customer, b.customer));
}

// ---------------------------------------------------------------------------------------------
// Tables

const toDate = (day: number): Date => new Date(day * DAY_MS);

/** The sample workbook's three tables, deterministic for a seed. */
export function sampleWorkbook(opts: { seed?: number; lang?: Lang } = {}): SampleWorkbook {
  const lang = opts.lang ?? "zh";
  const L = lang === "zh" ? 0 : 1;
  const rng = mulberry32(opts.seed ?? 20261115);

  const customers = makeCustomers(rng);
  addOverrides(customers);
  const lines = makeOrders(rng, customers);
  const first = new Map<string, number>();
  for (const l of lines) if (!first.has(l.customer)) first.set(l.customer, l.day);
  for (const c of customers) {
    const f = first.get(c.id);
    c.firstContact = f === undefined ? SAMPLE_END - int(rng, 10, 300) : f - int(rng, 10, 200);
  }
  const contacts = makeInteractions(rng, customers, lines);

  const customerRows: Cell[][] = customers.map((c) => [
    c.id,
    c.name[L],
    c.contact[L],
    c.phone,
    c.email || null,
    INDUSTRIES[c.industry].label[L],
    REGIONS[c.region].label[L],
    c.owner[L],
    toDate(c.firstContact),
    c.source[L],
    ...(c.man ? c.man.map((b) => YES_NO[b ? 0 : 1][L]) : [null, null, null]),
    c.override ? STAGES[c.override][lang] : null,
    c.note ? c.note[L] : null,
  ]);

  const orderRows: Cell[][] = lines.map((l) => [
    l.order,
    l.customer,
    toDate(l.day),
    PRODUCTS[l.product].name[L],
    l.qty,
    l.price,
    l.cost,
  ]);
  for (const bad of SAMPLE_BAD_ROWS) {
    // A copy of the neighbouring line with its own order ID and one defect.
    const near = orderRows[Math.min(bad.index, orderRows.length - 1)];
    const row = [...near];
    const day = Math.floor((near[2] as Date).getTime() / DAY_MS);
    row[0] = `SO-${new Date(day * DAY_MS).getUTCFullYear()}-9${String(bad.index).padStart(4, "0")}`;
    row[bad.column] = bad.value;
    orderRows.splice(bad.index, 0, row);
  }

  const interactionRows: Cell[][] = contacts.map((x) => [
    toDate(x.day),
    x.customer,
    CHANNELS[x.channel][lang],
    INTERACTION_TYPES[x.type][lang],
    x.outcome.label[L],
    x.outcome.next === undefined ? null : toDate(x.day + x.outcome.next),
  ]);

  const table = (sheet: SampleSheet, rows: Cell[][]): RawTable => ({
    source: SAMPLE_SHEETS[sheet][lang],
    headerRow: 1,
    firstColumn: 1,
    headers: [...SAMPLE_HEADERS[sheet][lang]],
    rows,
  });
  return {
    customers: table("customers", customerRows),
    orders: table("orders", orderRows),
    interactions: table("interactions", interactionRows),
  };
}
