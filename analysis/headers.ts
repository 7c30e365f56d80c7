/**
 * Header aliases (SPEC §2) as data, and the three questions asked of a sheet: where is the
 * header row, which column plays which role, and which table is this. Matching ignores case,
 * spaces, "_", "-", "." and full-width/half-width differences ("客户编号（ID）" = "客户编号(id)");
 * a trailing unit in parentheses ("金额(元)", "Amount (USD)") is ignored when nothing matches
 * exactly.
 */
import type { Cell } from "./types.js";
import { OWNED_SHEETS } from "./workbook.js";

const CUSTOMER_ID = [
  "客户编号",
  "客户ID",
  "客户代码",
  "客户号",
  "客户编码",
  "会员编号",
  "会员ID",
  "会员号",
  "用户ID",
  "用户编号",
  "Customer ID",
  "CustomerID",
  "Customer No",
  "Customer Number",
  "Customer Code",
  "Cust ID",
  "Client ID",
  "Member ID",
  "User ID",
  "客户",
  "Customer",
] as const;

export const ORDER_COLUMNS = {
  orderId: [
    "订单号",
    "订单编号",
    "订单ID",
    "订单编码",
    "单号",
    "单据编号",
    "单据号",
    "发票号",
    "交易号",
    "交易编号",
    "流水号",
    "Order ID",
    "Order No",
    "Order Number",
    "OrderID",
    "InvoiceNo",
    "Invoice",
    "Invoice No",
    "Invoice Number",
    "Transaction ID",
    "Receipt No",
  ],
  customerId: CUSTOMER_ID,
  date: [
    "日期",
    "订单日期",
    "下单日期",
    "交易日期",
    "成交日期",
    "购买日期",
    "销售日期",
    "发货日期",
    "下单时间",
    "交易时间",
    "订单时间",
    "成交时间",
    "Date",
    "Order Date",
    "InvoiceDate",
    "Invoice Date",
    "Transaction Date",
    "Purchase Date",
    "Sale Date",
    "Time",
  ],
  amount: [
    "金额",
    "订单金额",
    "交易金额",
    "成交金额",
    "销售额",
    "销售金额",
    "实付金额",
    "实收金额",
    "消费金额",
    "总金额",
    "总价",
    "合计",
    "Amount",
    "Total",
    "Total Amount",
    "Order Amount",
    "Order Total",
    "Order Value",
    "Sales",
    "Revenue",
    "Value",
    "Dollar Value",
  ],
  quantity: ["数量", "件数", "销量", "购买数量", "销售数量", "Quantity", "Qty", "Units"],
  unitPrice: ["单价", "价格", "售价", "销售单价", "成交单价", "Unit Price", "UnitPrice", "Price"],
  cost: ["成本", "成本金额", "总成本", "进货成本", "Cost", "Total Cost", "COGS"],
  product: [
    "产品",
    "产品名称",
    "商品",
    "商品名称",
    "品名",
    "货品",
    "产品编号",
    "商品编号",
    "Product",
    "Product Name",
    "Item",
    "Description",
    "StockCode",
    "SKU",
  ],
} as const;

export const CUSTOMER_COLUMNS = {
  customerId: [...CUSTOMER_ID, "编号", "ID"],
  name: [
    "客户名称",
    "客户名",
    "名称",
    "公司名称",
    "公司",
    "企业名称",
    "姓名",
    "Name",
    "Customer Name",
    "Company",
    "Company Name",
    "Client Name",
  ],
  contact: ["联系人", "联系人姓名", "Contact", "Contact Person", "Contact Name"],
  phone: [
    "电话",
    "手机",
    "手机号",
    "手机号码",
    "联系电话",
    "电话号码",
    "Phone",
    "Mobile",
    "Tel",
    "Telephone",
    "Phone Number",
  ],
  email: ["邮箱", "电子邮箱", "电子邮件", "邮件", "Email", "E-mail", "Mail"],
  industry: ["行业", "所属行业", "Industry", "Sector"],
  region: [
    "区域",
    "地区",
    "省份",
    "城市",
    "国家",
    "Region",
    "Area",
    "Territory",
    "Country",
    "Province",
    "City",
  ],
  owner: [
    "客户经理",
    "负责人",
    "业务员",
    "销售代表",
    "销售",
    "Owner",
    "Account Manager",
    "Sales Rep",
    "Salesperson",
  ],
  firstContact: [
    "首次接触",
    "首次接触日期",
    "首次联系",
    "首次联系日期",
    "建档日期",
    "创建日期",
    "First Contact",
    "First Contact Date",
    "Created",
    "Created Date",
    "Customer Since",
  ],
  source: ["来源", "客户来源", "渠道", "Source", "Lead Source", "Channel"],
  money: ["购买力", "Money", "Budget"],
  authority: ["决策权", "Authority"],
  need: ["需求", "Need"],
  stageOverride: ["手动阶段", "阶段(手动)", "Stage Override", "Manual Stage"],
  notes: ["备注", "说明", "Notes", "Note", "Remarks", "Comment", "Comments"],
} as const;

export const INTERACTION_COLUMNS = {
  date: [
    "日期",
    "联系日期",
    "联系时间",
    "跟进日期",
    "跟进时间",
    "拜访日期",
    "时间",
    "Date",
    "Contact Date",
  ],
  customerId: CUSTOMER_ID,
  channel: ["方式", "联系方式", "沟通方式", "渠道", "Channel", "Method", "Via"],
  type: ["类型", "联系类型", "跟进类型", "Type", "Category"],
  outcome: ["结果", "跟进结果", "联系结果", "沟通结果", "内容", "Outcome", "Result", "Notes"],
  nextContact: [
    "下次联系",
    "下次联系日期",
    "下次跟进",
    "下次跟进日期",
    "Next Contact",
    "Next Contact Date",
    "Follow-up Date",
  ],
} as const;

export type ColumnSpec = Readonly<Record<string, readonly string[]>>;
export type OrderRole = keyof typeof ORDER_COLUMNS;
export type CustomerRole = keyof typeof CUSTOMER_COLUMNS;
export type InteractionRole = keyof typeof INTERACTION_COLUMNS;
/** Column index per role, -1 when the table has no such column. */
export type ColumnMap<S extends ColumnSpec> = Record<keyof S, number>;

/** Table and sheet names that say what a table holds (compared after normaliseName). */
export const TABLE_NAMES = {
  orders: [
    "订单",
    "订单明细",
    "交易",
    "交易记录",
    "销售",
    "销售记录",
    "销售明细",
    "Orders",
    "Order",
    "Order Lines",
    "Transactions",
    "Transaction",
    "Sales",
    "Invoices",
    "Purchases",
    "Online Retail",
  ],
  customers: [
    "客户",
    "客户档案",
    "客户资料",
    "客户信息",
    "客户列表",
    "客户名单",
    "Customers",
    "Customer",
    "Clients",
    "Accounts",
  ],
  interactions: [
    "联系记录",
    "跟进记录",
    "沟通记录",
    "拜访记录",
    "客户跟进",
    "Interactions",
    "Contact Log",
    "Activities",
    "Activity Log",
    "Contacts Log",
  ],
  settings: [OWNED_SHEETS.settings.zh, OWNED_SHEETS.settings.en],
  history: [OWNED_SHEETS.history.zh, OWNED_SHEETS.history.en],
} as const;
export type TableKind = keyof typeof TABLE_NAMES;

/** Case-, space- and width-insensitive form of a header: NFKC, lower case, no blanks or _ - . · */
export function normaliseHeader(h: string): string {
  return h
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-.·:]+/g, "");
}

/** The header without a trailing parenthesised unit: "金额(元)" → "金额". */
function withoutUnit(norm: string): string {
  return norm.replace(/\([^()]*\)$/, "").replace(/\[[^[\]]*\]$/, "");
}

const compiled = new WeakMap<ColumnSpec, [string, string[]][]>();

function compile(spec: ColumnSpec): [string, string[]][] {
  let c = compiled.get(spec);
  if (!c) {
    c = Object.entries(spec).map(([role, aliases]) => [role, aliases.map(normaliseHeader)]);
    compiled.set(spec, c);
  }
  return c;
}

/**
 * Column index per role: each role takes the first header matching its earliest alias,
 * a header serves one role only; exact matches are preferred over unit-stripped ones.
 */
export function matchColumns<S extends ColumnSpec>(
  headers: readonly string[],
  spec: S,
): ColumnMap<S> {
  const exact = headers.map((h) => normaliseHeader(h ?? ""));
  const loose = exact.map(withoutUnit);
  const taken = new Set<number>();
  const out: Record<string, number> = {};
  for (const [role, aliases] of compile(spec)) {
    out[role] = findAlias(aliases, exact, taken);
    if (out[role] < 0) out[role] = findAlias(aliases, loose, taken);
    if (out[role] >= 0) taken.add(out[role]);
  }
  return out as ColumnMap<S>;
}

function findAlias(aliases: string[], headers: string[], taken: Set<number>): number {
  for (const a of aliases) {
    for (let j = 0; j < headers.length; j++) if (!taken.has(j) && headers[j] === a) return j;
  }
  return -1;
}

const ALL_ALIASES = new Set(
  [ORDER_COLUMNS, CUSTOMER_COLUMNS, INTERACTION_COLUMNS].flatMap((spec) =>
    compile(spec).flatMap(([, a]) => a),
  ),
);

/** How many cells of a row are known headers. */
function headerScore(row: readonly Cell[]): number {
  let n = 0;
  for (const c of row) {
    if (typeof c !== "string") continue;
    const h = normaliseHeader(c);
    if (h && (ALL_ALIASES.has(h) || ALL_ALIASES.has(withoutUnit(h)))) n++;
  }
  return n;
}

/**
 * Index of the header row among the first `scan` rows: the first row with the most known
 * headers (at least two), so a title row or a blank line above the header is skipped.
 * -1 when no row has two known headers (the caller then takes the first non-blank row).
 */
export function locateHeaderRow(rows: readonly (readonly Cell[])[], scan = 20): number {
  let best = -1;
  let bestScore = 1;
  for (let i = 0; i < rows.length && i < scan; i++) {
    const s = headerScore(rows[i]);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  return best;
}

/** Name folded for comparison: normalised, without "tbl"/"table" prefixes, "表" suffix or trailing digits. */
export function normaliseName(name: string): string {
  return normaliseHeader(name)
    .replace(/^(tbl|table)(?=.)/, "")
    .replace(/\d+$/, "")
    .replace(/(?<=.)表$/, "");
}

/** The kind a table or sheet name announces, null when it announces none. */
export function kindByName(name: string | null | undefined): TableKind | null {
  if (!name) return null;
  const n = normaliseName(name);
  for (const [kind, names] of Object.entries(TABLE_NAMES)) {
    if (names.some((x) => normaliseName(x) === n)) return kind as TableKind;
  }
  return null;
}

/** Orders, interactions or customers from the headers alone (settings and history go by name). */
export function kindByHeaders(headers: readonly string[]): TableKind | null {
  const o = matchColumns(headers, ORDER_COLUMNS);
  const hasAmount = o.amount >= 0 || (o.quantity >= 0 && o.unitPrice >= 0);
  if (o.customerId >= 0 && o.date >= 0 && hasAmount) return "orders";
  const x = matchColumns(headers, INTERACTION_COLUMNS);
  if (x.customerId >= 0 && x.date >= 0 && (x.channel >= 0 || x.type >= 0 || x.nextContact >= 0))
    return "interactions";
  const c = matchColumns(headers, CUSTOMER_COLUMNS);
  const described = ["name", "contact", "phone", "email", "industry", "region", "owner"] as const;
  if (c.customerId >= 0 && described.some((r) => c[r] >= 0)) return "customers";
  return null;
}

/** What a table holds: by table name, else by sheet name, else by its headers. */
export function classifyTable(
  tableName: string | null | undefined,
  sheetName: string | null | undefined,
  headers: readonly string[],
): TableKind | null {
  return kindByName(tableName) ?? kindByName(sheetName) ?? kindByHeaders(headers);
}
