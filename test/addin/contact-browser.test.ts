/**
 * Browser check of logging a contact (issue 17 §2) in the playground: headless Chromium
 * (playwright-core, Debian's /usr/bin/chromium; never downloads one). After Analyze, a click on
 * a customer's row shows the card with its contact form; Save writes one row to the
 * Interactions sheet, the card lists the contact and shows the new next contact, and the pane
 * names the row to delete to undo it. In English, a next contact before the contact's date is
 * said under its field and nothing is written. Screenshots of the card with the form go to
 * test-output/ and, with CRM_SCREENSHOTS=1, to addin/screenshots/contact-zh.png and
 * contact-en.png.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, FrameLocator, Page } from "playwright-core";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const root = join(import.meta.dirname, "..", "..");
const OUT = join(root, "test-output");

type Book = import("../../addin/fake-excel.js").FakeWorkbook;

/** Rows of the Interactions table (header included) and its last row's values. */
function interactions(page: Page, sheet: string): Promise<{ rows: number; last: unknown[] }> {
  return page.evaluate((name) => {
    const book = (window as unknown as { crmBook: Book }).crmBook;
    const t = book.tables.find((x) => x.name === "Interactions")!;
    const s = book.sheets.find((x) => x.name === name)!;
    const r = t.row + t.rows - 1;
    const last = Array.from({ length: t.cols }, (_, c) => s.cells.get(r)?.get(t.col + c)?.value);
    return { rows: t.rows, last };
  }, sheet);
}

async function clickRow(page: Page, tab: string, row: number, col = 1): Promise<void> {
  await page.locator("#tabs button", { hasText: tab }).first().click();
  await page
    .locator("#grid tbody tr", { has: page.locator("th", { hasText: new RegExp(`^${row}$`) }) })
    .locator("td")
    .nth(col)
    .click();
}

async function fill(pane: FrameLocator, f: { when: string; note: string; next: string }) {
  await pane.locator("#contact-when").fill(f.when);
  await pane.locator("#contact-note").fill(f.note);
  await pane.locator("#contact-next").fill(f.next);
}

describe.skipIf(!CHROMIUM)("logging a contact in the playground", () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    const { buildAddin } = await import("../../addin/build.mjs");
    const dir = await buildAddin({
      quiet: true,
      outDir: mkdtempSync(join(tmpdir(), "crm-contact-")),
    });
    const { serve } = await import("../../addin/dev-server.mjs");
    server = await serve({ dir, port: 0, host: "127.0.0.1" });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    mkdirSync(OUT, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("saves a contact from the card: one row written, the card updated, the undo said", async () => {
    const context = await browser.newContext({
      locale: "zh-CN",
      viewport: { width: 1280, height: 1600 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}playground/`);
    await page.waitForFunction(
      () => (window as unknown as { crmBook?: Book }).crmBook?.sheets.length === 3,
      null,
      { timeout: 30_000 },
    );
    const pane = page.frameLocator("#pane");
    await pane.locator("#analyze:not([disabled])").waitFor({ timeout: 30_000 });
    await pane.locator("#analyze").click();
    await expect.poll(() => pane.locator("#summary-title").count(), { timeout: 60_000 }).toBe(1);

    await clickRow(page, "客户", 4);
    const card = pane.locator(".cust-card");
    await card.locator("#contact-form").waitFor({ timeout: 10_000 });
    const before = await interactions(page, "联系记录");
    await pane.locator("label.cf-chip", { hasText: "拜访" }).click();
    await fill(pane, { when: "2026-11-15T10:30", note: "=1+1 约好下周送样", next: "2026-11-16" });
    await pane.locator("#contact-deal").selectOption("open");
    await pane.locator("#contact-save").click();
    await pane.locator(".cf-done").waitFor({ timeout: 10_000 });

    // exactly one row more, holding what the form said, text kept as text
    const after = await interactions(page, "联系记录");
    expect(after.rows).toBe(before.rows + 1);
    expect(after.last.slice(2, 5)).toEqual(["拜访", "商机", "进行中：=1+1 约好下周送样"]);
    // the card: the contact first in its log; the next contact the planned date, now the
    // earliest planned date after the last contact (an earlier row plans 2026-11-17)
    await expect
      .poll(() => card.locator(".cust-log li").first().innerText())
      .toMatch(/2026年11月15日.*拜访 · 商机 · 进行中：=1\+1 约好下周送样/);
    expect(await card.locator(".cust-next").innerText()).toMatch(
      /下次联系 2026年11月16日 · 联系记录中约定 2026年11月16日/,
    );
    const row = after.rows; // the table starts in row 1: its last row is its row count
    expect(await pane.locator(".cf-done").innerText()).toContain(
      `已记录在工作表 联系记录 的第 ${row} 行。`,
    );
    expect(await pane.locator(".cf-done").innerText()).toContain(
      `请删除工作表 联系记录 的第 ${row} 行`,
    );
    await card.screenshot({ path: join(OUT, "contact-zh.png") });

    // English: a next contact before the contact's own date, said under its field
    await pane.locator("#lang").selectOption("en");
    await clickRow(page, "客户", 6);
    await expect
      .poll(() => card.locator("#contact-form h3").textContent(), { timeout: 10_000 })
      .toBe("Log a contact");
    await fill(pane, {
      when: "2026-11-15T09:00",
      note: "Asked for the price list",
      next: "2026-11-10",
    });
    await pane.locator("#contact-save").click();
    await expect
      .poll(() => pane.locator("#contact-err-next").textContent())
      .toBe(
        "The next contact date (2026-11-10) is before the contact's own date (2026-11-15): pick a day on or after 2026-11-15.",
      );
    expect(await pane.locator("#contact-next").getAttribute("aria-invalid")).toBe("true");
    expect((await interactions(page, "联系记录")).rows).toBe(after.rows);
    await card.screenshot({ path: join(OUT, "contact-en.png") });

    if (process.env.CRM_SCREENSHOTS)
      for (const f of ["contact-zh.png", "contact-en.png"])
        copyFileSync(join(OUT, f), join(root, "addin", "screenshots", f));
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
