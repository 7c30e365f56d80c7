/**
 * `crm cards` end to end, in-process (main() with an in-memory Io), and the page it writes:
 * self-contained, print CSS for A4, the customer ID as text, both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main, type Io } from "../../analysis/node/cli.js";
import { OUTCOME_CHARS, renderCardsHtml } from "../../analysis/node/cards-html.js";
import { runAnalysis } from "../../analysis/index.js";
import { review, todaysCards } from "../../analysis/cards.js";
import { AS_OF, OWNER_OVERRIDES, ownersInput } from "../helpers/owners-fixture.js";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const x: Io = { out: (s) => out.push(s), err: (s) => err.push(s), env: {} };
  return { io: x, text: () => out.join(""), errText: () => err.join("") };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "crm-cards-"));
  // "007" must stay "007"; 王磊 is written once with a trailing space
  writeFileSync(
    join(dir, "orders.csv"),
    [
      "Customer ID,Date,Amount",
      "007,2024-06-20,500",
      "007,2023-01-15,300",
      "008,2024-05-01,80",
      "009,2024-06-29,40",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "customers.csv"),
    [
      "Customer ID,Name,Contact,Phone,Email,Region,Industry,Owner",
      "007,<b>Bond & Co</b>,James,+86 10 0000 0007,j@example.com,North,Retail,王磊",
      "008,Ocho Ltd,Ana,+86 10 0000 0008,,South,Food,王磊 ",
      "009,Nueve GmbH,Max,+86 10 0000 0009,,West,Tools,Wang Lei",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "interactions.csv"),
    [
      "Customer ID,Date,Channel,Type,Outcome,Next Contact",
      "007,2024-06-01,phone,followup,ok,2024-06-25",
      "008,2024-06-10,visit,complaint,late,2024-06-05",
    ].join("\n"),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (...more: string[]) => [
  "cards",
  join(dir, "orders.csv"),
  "--customers",
  join(dir, "customers.csv"),
  "--interactions",
  join(dir, "interactions.csv"),
  "--as-of",
  "2024-06-30",
  "-q",
  ...more,
];

describe("crm cards", () => {
  it("writes cards.html for the owner, the ID as text, and says how many", async () => {
    const out = join(dir, "zh");
    const x = io();
    const code = await main(args("--owner", "王磊 ", "--out", out, "--lang", "zh"), x.io);
    expect(x.errText()).toBe("");
    expect(code).toBe(0);
    const html = readFileSync(join(out, "cards.html"), "utf8");
    // both overdue (007 planned for 06-25; 008's complaint of 06-10 due 06-17), same call
    // slot: grade A (007) before grade B (008), though 008 is later
    const order = [...html.matchAll(/<span class="id"[^>]*>([^<]*)<\/span>\s*<h2/g)].map(
      (m) => m[1],
    );
    expect(order).toEqual(["007", "008"]);
    expect(x.text()).toContain("已写出 2 张资料卡");
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain("客户资料卡");
    expect(html).toContain("&lt;b&gt;Bond &amp; Co&lt;/b&gt;");
    expect(html).not.toContain("<b>Bond");
    // nothing of analyze's files is written
    expect(existsSync(join(out, "customers.csv"))).toBe(false);
  });

  it("in English, all owners, on a later date", async () => {
    const out = join(dir, "en");
    const x = io();
    expect(await main(args("--out", out, "--lang", "en", "--date", "2024-07-30"), x.io)).toBe(0);
    const html = readFileSync(join(out, "cards.html"), "utf8");
    expect(html).toContain('lang="en"');
    expect(html).toContain("Customer cards");
    expect(html).toContain("Monthly revenue, last 24 months");
    expect(x.text()).toMatch(/^Wrote \d+ cards? to /);
  });

  it("an owner nobody has: exit 1 listing the owners found", async () => {
    const x = io();
    expect(
      await main(args("--owner", "Nobody", "--out", join(dir, "n"), "--lang", "en"), x.io),
    ).toBe(1);
    expect(x.errText()).toBe(
      "crm: No account manager is named Nobody. Account managers found: 王磊, Wang Lei\n",
    );
    const z = io();
    await main(args("--owner", "Nobody", "--out", join(dir, "n"), "--lang", "zh"), z.io);
    expect(z.errText()).toContain("现有客户经理：王磊, Wang Lei");
  });

  it("--owner on data without any owner: exit 1 saying the Customers table names none", async () => {
    const x = io();
    const code = await main(
      [
        "cards",
        join(dir, "orders.csv"),
        "--owner",
        "王磊",
        "--out",
        join(dir, "o"),
        "--lang",
        "en",
        "-q",
      ],
      x.io,
    );
    expect(code).toBe(1);
    expect(x.errText()).toBe(
      "crm: No account manager is named 王磊: the Customers table names no owner (客户经理 / Owner column)\n",
    );
  });

  it("a date that is not one: exit 2, nothing written", async () => {
    for (const bad of ["2024-02-30", "30/06/2024", "tomorrow"]) {
      const x = io();
      const out = join(dir, `bad-${bad.replace(/\W/g, "")}`);
      expect(await main(args("--date", bad, "--out", out, "--lang", "en"), x.io)).toBe(2);
      expect(x.errText()).toContain(`--date must be a date written YYYY-MM-DD, got ${bad}`);
      expect(existsSync(join(out, "cards.html"))).toBe(false);
    }
  });

  it("no input or two: exit 2", async () => {
    const x = io();
    expect(await main(["cards", "--lang", "en"], x.io)).toBe(2);
    expect(x.errText()).toContain("crm cards needs exactly one input");
  });
});

describe("crm cards --history, and crm analyze's owners outputs", () => {
  it("compares with the previous snapshot and leaves the history file as it was", async () => {
    const hist = join(dir, "history.csv");
    const first = io();
    const early = [...args("--out", join(dir, "early"), "--lang", "en", "--history", hist)];
    early[0] = "analyze";
    early[early.indexOf("2024-06-30")] = "2024-05-15";
    expect(await main([...early, "--outputs", "json"], first.io)).toBe(0);
    const before = readFileSync(hist);
    const x = io();
    const out = join(dir, "hist");
    expect(await main(args("--out", out, "--lang", "en", "--history", hist), x.io)).toBe(0);
    expect(readFileSync(hist).equals(before)).toBe(true);
    const html = readFileSync(join(out, "cards.html"), "utf8");
    expect(html).toContain("Changes since 2024-05-15");
    expect(html).not.toContain("No earlier snapshot");
  });

  it(
    "crm analyze writes owners.csv and the Account managers sheet",
    { timeout: 60_000 },
    async () => {
      const x = io();
      const out = join(dir, "analyze");
      const a = [...args("--out", out, "--lang", "en", "--outputs", "csv,xlsx")];
      a[0] = "analyze";
      expect(await main(a, x.io)).toBe(0);
      const csv = readFileSync(join(out, "owners.csv"), "utf8").replace(/^\uFEFF/, "");
      const lines = csv.trim().split(/\r?\n/);
      expect(lines[0]).toBe(
        "owner,customers,prospects,grade_a,grade_b,grade_c,grade_d,overdue,due_7d,contacts_7d,contacts_30d,revenue_90d,revenue_prev_90d,moved_down,dormant,cadence_kept",
      );
      expect(lines.map((l) => l.split(",")[0])).toEqual(["owner", "王磊", "Wang Lei"]);
      // 007 and 008 are 王磊's: 500 + 80 in the 90 days up to 2024-06-30
      expect(lines[1].split(",").slice(1, 3)).toEqual(["2", "0"]);
      expect(lines[1].split(",")[11]).toBe("580");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(out, "analysis.xlsx"));
      const ws = wb.getWorksheet("Account managers")!;
      expect(ws).toBeDefined();
      expect(ws.getRow(2).getCell(1).value).toBe("Account manager");
      expect(ws.getRow(3).getCell(1).value).toBe("王磊");
      expect(ws.getImages().length).toBe(1); // the chart, as a picture in the CLI's workbook
      const issues = readFileSync(join(out, "data-issues.csv"), "utf8");
      expect(issues).toContain("only by white space"); // 008's "王磊 "
      expect(issues).toContain("before this contact's own date"); // 008's next contact
    },
  );
});

describe("the cards page", () => {
  const a = runAnalysis(ownersInput(), {
    lang: "en",
    overrides: OWNER_OVERRIDES,
    today: AS_OF,
  }).analysis;
  for (const lang of ["zh", "en"] as const) {
    const html = renderCardsHtml({
      analysis: a,
      cards: todaysCards(a, {}),
      review: review(a, {}),
      lang,
      date: AS_OF,
      owner: null,
    });
    it(`${lang}: self-contained, no script, print CSS for A4, one article per card`, () => {
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<link|@import|url\(/i);
      const urls = [...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]);
      expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg"]));
      expect(html).toContain("@page { size: A4 portrait");
      expect(html).toMatch(/\.card \{[^}]*break-inside: avoid/);
      expect(html.match(/<article class="card/g)).toHaveLength(3);
      expect(html.match(/<svg /g)).toHaveLength(3);
    });
  }
  it("a long outcome note is cut on the card, so a card stays within a page", () => {
    const cards = todaysCards(a, {});
    const long = "很长的备注".repeat(400);
    cards[0].interactions[0] = { ...cards[0].interactions[0], outcome: long };
    const html = renderCardsHtml({
      analysis: a,
      cards,
      review: review(a, {}),
      lang: "zh",
      date: AS_OF,
      owner: null,
    });
    expect(html).not.toContain(long.slice(0, 200));
    expect(html).toContain(long.slice(0, OUTCOME_CHARS - 1) + "…");
  });

  it("the review says when there is no earlier snapshot", () => {
    const html = renderCardsHtml({
      analysis: a,
      cards: [],
      review: review(a, {}),
      lang: "en",
      date: AS_OF,
      owner: "王磊",
    });
    expect(html).toContain("No customer&#39;s next contact is on or before");
    expect(html).toContain("No earlier snapshot to compare with");
    expect(html).toContain("Account manager: 王磊");
  });
});
