/**
 * Browser test of the customer card (issue 17 §1) in the playground: headless Chromium
 * (playwright-core, Debian's /usr/bin/chromium; never downloads one). After Analyze, a click on
 * a cell of a customer's row in the workbook view selects it, the selection event reaches the
 * pane and the pane shows that customer's card, with name and phone; a click on an Orders row
 * shows its customer's card. Screenshots of the card in zh and en go to test-output/ and, with
 * CRM_SCREENSHOTS=1, to addin/screenshots/card-zh.png and card-en.png.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const root = join(import.meta.dirname, "..", "..");
const OUT = join(root, "test-output");

type Book = import("../../addin/fake-excel.js").FakeWorkbook;

/** Header → value of a 1-based row of a sheet, read in the page. */
function rowOf(page: Page, sheet: string, row: number): Promise<Record<string, unknown>> {
  return page.evaluate(
    ([name, r]) => {
      const book = (window as unknown as { crmBook: Book }).crmBook;
      const s = book.sheets.find((x) => x.name === name)!;
      const out: Record<string, unknown> = {};
      for (const [c, cell] of s.cells.get(0) ?? [])
        out[String(cell.value)] = s.cells.get(r - 1)?.get(c)?.value;
      return out;
    },
    [sheet, row] as const,
  );
}

describe.skipIf(!CHROMIUM)("customer card in the playground", () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    const { buildAddin } = await import("../../addin/build.mjs");
    const dir = await buildAddin({ quiet: true, outDir: mkdtempSync(join(tmpdir(), "crm-card-")) });
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

  it("shows the clicked customer's card, with name and phone, in Chinese and English", async () => {
    const context = await browser.newContext({
      locale: "zh-CN",
      viewport: { width: 1280, height: 1400 },
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
    await expect.poll(() => pane.locator(".card-hint").count()).toBe(1);

    // a cell of the Customers sheet's row 4 (the third customer)
    await page.locator("#tabs button", { hasText: "客户" }).first().click();
    const customer = await rowOf(page, "客户", 4);
    await page
      .locator("#grid tbody tr", { has: page.locator("th", { hasText: /^4$/ }) })
      .locator("td")
      .nth(3)
      .click();
    const card = pane.locator(".cust-card");
    await expect
      .poll(() => card.locator("h2").textContent(), { timeout: 10_000 })
      .toBe(String(customer["客户名称"]));
    expect(await card.locator(".phone dd").textContent()).toBe(String(customer["电话"]));
    expect(await card.locator(".cust-id").textContent()).toBe(String(customer["客户编号"]));
    expect(await card.locator("svg.rev-chart rect").count()).toBeGreaterThan(0);
    expect(await card.innerText()).toMatch(/近 24 个月月度销售额/);
    await card.screenshot({ path: join(OUT, "card-zh.png") });

    // an Orders row: its customer's card
    await page.locator("#tabs button", { hasText: "订单" }).click();
    const order = await rowOf(page, "订单", 6);
    await page
      .locator("#grid tbody tr", { has: page.locator("th", { hasText: /^6$/ }) })
      .locator("td")
      .nth(0)
      .click();
    await expect
      .poll(() => card.locator(".cust-id").textContent(), { timeout: 10_000 })
      .toBe(String(order["客户编号"]));

    // English
    await page.locator("#tabs button", { hasText: "客户" }).first().click();
    await pane.locator("#lang").selectOption("en");
    await page
      .locator("#grid tbody tr", { has: page.locator("th", { hasText: /^4$/ }) })
      .locator("td")
      .nth(1)
      .click();
    await expect
      .poll(() => card.locator(".cust-id").textContent(), { timeout: 10_000 })
      .toBe(String(customer["客户编号"]));
    expect(await card.innerText()).toMatch(/Monthly revenue, last 24 months/);
    expect(await card.locator(".phone dt").textContent()).toBe("Phone");
    await card.screenshot({ path: join(OUT, "card-en.png") });

    // the header row: no customer ID, said plainly
    await page
      .locator("#grid tbody tr", { has: page.locator("th", { hasText: /^1$/ }) })
      .locator("td")
      .nth(0)
      .click();
    await expect
      .poll(() => pane.locator(".cust-card-msg").textContent(), { timeout: 10_000 })
      .toMatch(/row 1 has no customer ID/);

    if (process.env.CRM_SCREENSHOTS)
      for (const f of ["card-zh.png", "card-en.png"])
        copyFileSync(join(OUT, f), join(root, "addin", "screenshots", f));
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
