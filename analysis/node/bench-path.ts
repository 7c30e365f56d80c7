/**
 * What `npm run bench` times, in a module of its own so that scripts can run it too: the
 * generated order file, and the CSV → RFM + grades + Pareto path.
 */
import { readCsv } from "./csv.js";
import { readFileShared } from "./csv-parallel.js";
import { readDataset } from "../clean.js";
import { makeSettings, type Settings } from "../settings.js";
import type { Dataset } from "../types.js";
import { measure, scoreRfm } from "../rfm.js";
import { segmentCustomers } from "../segment.js";
import { customerValue, valueBasis, valueRanking } from "../value.js";
import { gradeAbc } from "../grade.js";
import { customerPyramid } from "../pyramid.js";
import { pareto } from "../pareto.js";
import { mulberry32 } from "../random.js";

/** order_id,customer_id,date,amount — dates ascending over two years, skewed customers. */
export function generateOrdersCsv(rows: number, customers: number, seed = 20261128): string {
  const rand = mulberry32(seed);
  const parts: string[] = ["order_id,customer_id,date,amount\n"];
  const start = Date.UTC(2024, 0, 1) / 86_400_000;
  let written = 0;
  let order = 0;
  while (written < rows) {
    order++;
    const cust = Math.min(customers - 1, Math.floor(customers * Math.pow(rand(), 1.6)));
    const day = start + Math.floor((written / rows) * 730);
    const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
    const cancel = rand() < 0.02;
    const lines = rand() < 0.3 ? 2 + Math.floor(rand() * 2) : 1;
    const id = `${cancel ? "C" : "SO"}${String(order).padStart(8, "0")}`;
    const cid = `K${String(cust).padStart(6, "0")}`;
    for (let l = 0; l < lines && written < rows; l++, written++) {
      const amount = Math.exp(3 + 1.2 * (rand() + rand() + rand() - 1.5)) * 10;
      parts.push(`${id},${cid},${iso},${(cancel ? -amount : amount).toFixed(2)}\n`);
    }
  }
  return parts.join("");
}

/** The cleaned orders of the bench file, from its bytes. */
export function benchDataset(path: string, settings: Settings): Dataset {
  return readDataset({ orders: readCsv(readFileShared(path), "orders.csv") }, settings);
}

/** The CSV → RFM + grades + Pareto path, end to end from the file's bytes. */
export function rfmPath(path: string) {
  const settings = makeSettings();
  const ds = benchDataset(path, settings);
  const m = measure(ds, settings);
  const scores = scoreRfm(m);
  const segments = segmentCustomers(scores, settings.segments);
  const value = customerValue(m, valueBasis(m, settings));
  const ranking = valueRanking(value, ds);
  const abc = gradeAbc(value, ds, settings, ranking);
  const pyramid = customerPyramid(value, ds, settings, ranking);
  const p = pareto(value, ds, m.profit, m.hasRows, ranking);
  return { ds, m, scores, segments, abc, pyramid, p };
}
