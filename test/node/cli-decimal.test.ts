/** crm analyze --decimal: numbers written with a decimal comma when the detection cannot tell. */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, type Io } from "../../analysis/node/cli.js";

const dir = mkdtempSync(join(tmpdir(), "crm-decimal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const err: string[] = [];
  const x: Io = { out: () => {}, err: (s) => err.push(s), env: {} };
  return { io: x, errText: () => err.join("") };
}

// mostly whole amounts, a few with a decimal comma: too few for the detection to switch
const csv = [
  "Customer ID;Date;Amount",
  ...Array.from({ length: 8 }, (_, i) => `K${i};2024-01-0${1 + i};${100 + i}`),
  "K8;2024-01-09;12,5",
  "K9;2024-01-09;7,25",
  "",
].join("\n");

describe("crm analyze --decimal", () => {
  it("--decimal , reads every number with a decimal comma", async () => {
    const file = join(dir, "orders.csv");
    writeFileSync(file, csv);
    const plain = join(dir, "plain");
    expect(await main(["analyze", file, "--out", plain, "--outputs", "json", "-q"], io().io)).toBe(
      0,
    );
    const before = JSON.parse(readFileSync(join(plain, "summary.json"), "utf8"));
    expect(before.counts.skipped_by_reason).toEqual({ "reading.badAmount": 2 });
    const comma = join(dir, "comma");
    const args = ["analyze", file, "--decimal", ",", "--out", comma, "--outputs", "json", "-q"];
    expect(await main(args, io().io)).toBe(0);
    const after = JSON.parse(readFileSync(join(comma, "summary.json"), "utf8"));
    expect(after.counts.rows_skipped).toBe(0);
    expect(after.pareto.total_value).toBe(828 + 12.5 + 7.25);
  });

  it("anything but , or . is a usage error (exit 2) in the user's language", async () => {
    const h = io();
    expect(await main(["analyze", "x.csv", "--decimal", ";", "--lang", "en"], h.io)).toBe(2);
    expect(h.errText()).toContain(
      "--decimal takes , (decimal comma) or . (decimal point), not “;”.",
    );
  });
});
