/**
 * Small hand-built Datasets and Measures for rule tests: orders as [id, "YYYY-MM-DD", amount,
 * orderId?] rows. Cancellations: negative amount or an order ID starting with "C". Measures
 * follow types.ts (rows after as-of stay in ds.orders but are left out of the measures).
 */
import type { CustomerRecord, Dataset, Interaction, Measures } from "../../analysis/types.js";

export type OrderRow = [id: string, date: string, amount: number, orderId?: string];

/** ISO date → epoch day. */
export function day(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** Epoch day → ISO date. */
export function iso(d: number): string {
  return new Date(d * 86_400_000).toISOString().slice(0, 10);
}

export function customer(id: string, extra: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id,
    row: 0,
    name: `Name ${id}`,
    contact: "",
    phone: "",
    email: "",
    industry: "",
    region: "",
    owner: "",
    source: "",
    firstContact: null,
    money: null,
    authority: null,
    need: null,
    stageOverride: "",
    notes: "",
    ...extra,
  };
}

export interface InteractionRow {
  id: string;
  date: string;
  type?: Interaction["type"];
  channel?: Interaction["channel"];
  outcome?: string;
  next?: string;
}

export interface BuildOptions {
  asOf: string;
  /** Customers-table rows, in table order (their sheet rows are 2, 3, … unless given). */
  customers?: CustomerRecord[];
  interactions?: InteractionRow[];
}

export function buildDataset(
  rows: OrderRow[],
  opts: BuildOptions,
): { ds: Dataset; measures: Measures } {
  const asOf = day(opts.asOf);
  const customerIds: string[] = [];
  const records: (CustomerRecord | null)[] = [];
  const index = new Map<string, number>();
  (opts.customers ?? []).forEach((c, k) => {
    index.set(c.id, customerIds.length);
    customerIds.push(c.id);
    records.push({ ...c, row: c.row || k + 2 });
  });
  for (const [id] of rows) {
    if (!index.has(id)) {
      index.set(id, customerIds.length);
      customerIds.push(id);
      records.push(null);
    }
  }
  const n = rows.length;
  const orderKeys = new Map<string, number>();
  const orders = {
    n,
    customer: new Int32Array(n),
    day: new Int32Array(n),
    amount: new Float64Array(n),
    cost: null,
    order: new Int32Array(n),
    cancelled: new Uint8Array(n),
    orderCount: 0,
  };
  rows.forEach(([id, date, amount, orderId], r) => {
    orders.customer[r] = index.get(id)!;
    orders.day[r] = day(date);
    orders.amount[r] = amount;
    const key = orderId ?? `#row${r}`;
    if (!orderKeys.has(key)) orderKeys.set(key, orderKeys.size);
    orders.order[r] = orderKeys.get(key)!;
    orders.cancelled[r] = amount < 0 || (orderId !== undefined && /^c/i.test(orderId)) ? 1 : 0;
  });
  orders.orderCount = orderKeys.size;

  const c = customerIds.length;
  const measures: Measures = {
    asOf,
    count: c,
    firstDay: new Float64Array(c).fill(NaN),
    lastDay: new Float64Array(c).fill(NaN),
    recency: new Float64Array(c).fill(NaN),
    frequency: new Int32Array(c),
    monetary: new Float64Array(c),
    profit: null,
    hasRows: new Uint8Array(c),
    purchased: new Uint8Array(c),
  };
  const seen = Array.from({ length: c }, () => new Set<number>());
  for (let r = 0; r < n; r++) {
    const i = orders.customer[r];
    const d = orders.day[r];
    if (d > asOf) continue;
    measures.hasRows[i] = 1;
    measures.monetary[i] += orders.amount[r];
    if (orders.cancelled[r]) continue;
    measures.purchased[i] = 1;
    seen[i].add(orders.order[r]);
    if (!(measures.firstDay[i] <= d)) measures.firstDay[i] = d;
    if (!(measures.lastDay[i] >= d)) measures.lastDay[i] = d;
  }
  for (let i = 0; i < c; i++) {
    measures.frequency[i] = seen[i].size;
    if (measures.purchased[i]) measures.recency[i] = asOf - measures.lastDay[i];
  }

  const interactions: Interaction[] = (opts.interactions ?? []).map((x, k) => ({
    customer: x.id,
    row: k + 2,
    day: day(x.date),
    channel: x.channel ?? "phone",
    type: x.type ?? "followup",
    outcome: x.outcome ?? "",
    nextContact: x.next ? day(x.next) : null,
  }));

  const ds: Dataset = {
    customerIds,
    records,
    orders,
    interactions,
    issues: [],
    counts: {
      rowsRead: n,
      rowsUsed: n,
      orderRowsRead: n,
      orderRowsUsed: n,
      skipped: {},
      afterAsOf: 0,
    },
    hasCost: false,
    maxDay: n ? Math.max(...orders.day) : NaN,
    sources: {
      orders: "Orders",
      customers: opts.customers ? "Customers" : null,
      interactions: opts.interactions ? "Interactions" : null,
    },
  };
  return { ds, measures };
}

/** Index of a customer ID in the dataset (throws when absent, so tests fail loudly). */
export function idx(ds: Dataset, id: string): number {
  const i = ds.customerIds.indexOf(id);
  if (i < 0) throw new Error(`no customer ${id}`);
  return i;
}
