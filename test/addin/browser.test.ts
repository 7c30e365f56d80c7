/**
 * Browser test: build the pane, serve it on 127.0.0.1, open it in Debian's Chromium with
 * playwright-core. (1) In the playground the in-memory workbook stands in for Excel: click
 * Analyze, check the owned sheets and columns, go to the first data issue, save screenshots.
 * (2) The real office.js (from @microsoft/office-js) outside Office: the pane says it must run
 * inside Excel. Requests to Office's CDN are answered from node_modules; any other request off
 * the page's origin fails the test. Never downloads a browser: skips when Chromium is absent.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
if (!CHROMIUM)
  console.warn(
    "browser test skipped: no Chromium at /usr/bin/chromium (this test never downloads a browser)",
  );

const root = join(import.meta.dirname, "..", "..");
const OFFICE_DIST = join(root, "node_modules", "@microsoft", "office-js", "dist");
const OUT = join(root, "test-output");
const CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/";

describe.skipIf(!CHROMIUM)("task pane in Chromium", () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };
  const offOrigin: string[] = [];

  beforeAll(async () => {
    const { buildAddin } = await import("../../addin/build.mjs");
    const dir = await buildAddin({ quiet: true, outDir: mkdtempSync(join(tmpdir(), "crm-pane-")) });
    const { serve } = await import("../../addin/dev-server.mjs");
    server = await serve({ dir, port: 0, host: "127.0.0.1" });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    });
    mkdirSync(OUT, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(locale: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale,
      viewport: { width: 1280, height: 1000 },
      deviceScaleFactor: 1,
    });
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      if (url.startsWith(CDN)) {
        const file = join(OFFICE_DIST, url.slice(CDN.length).split("?")[0]);
        if (existsSync(file))
          return route.fulfill({
            status: 200,
            contentType: "text/javascript",
            body: readFileSync(file),
          });
        return route.fulfill({ status: 404, body: "" });
      }
      if (!url.startsWith(server.url) && !url.startsWith("data:") && !url.startsWith("about:")) {
        offOrigin.push(url);
        return route.abort();
      }
      return route.continue();
    });
    const page = await context.newPage();
    return { context, page };
  }

  it("runs Analyze on the in-memory workbook and writes the owned sheets and columns", async () => {
    const { context, page } = await open("zh-CN");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}playground/`);
    await page.waitForFunction(
      () => (window as unknown as { crmBook?: { sheets: unknown[] } }).crmBook?.sheets.length === 3,
      null,
      { timeout: 30_000 },
    );
    const pane = page.frameLocator("#pane");
    await expect
      .poll(() => pane.locator("h1").textContent(), { timeout: 30_000 })
      .toBe("客户生命周期");
    await pane.locator("#analyze").click();
    await expect.poll(() => pane.locator("#summary-title").count(), { timeout: 60_000 }).toBe(1);

    const state = await page.evaluate(() => {
      const book = (
        window as unknown as { crmBook: import("../../addin/fake-excel.js").FakeWorkbook }
      ).crmBook;
      const customers = book.tables.find((t) => t.name === "Customers")!;
      const sheet = book.sheets.find((s) => s.id === customers.sheetId)!;
      const header = [];
      for (let c = customers.col; c < customers.col + customers.cols; c++)
        header.push(sheet.cells.get(customers.row)?.get(c)?.value);
      return {
        sheets: book.sheets.map((s) => s.name),
        header,
        charts: book.sheets.reduce((n, s) => n + s.charts.length, 0),
      };
    });
    expect(state.sheets.slice(0, 3)).toEqual(["客户", "订单", "联系记录"]);
    for (const s of ["分析", "帕累托", "待联系", "数据问题", "设置"])
      expect(state.sheets).toContain(s);
    for (const h of ["阶段", "阶段原因", "等级", "下次联系"]) expect(state.header).toContain(h);
    expect(state.charts).toBeGreaterThan(0);
    const summary = await pane.locator(".summary").innerText();
    expect(summary).toMatch(/前 20% 的客户贡献了/);
    expect(summary).toMatch(/数据问题/);
    await page.locator("#pane").screenshot({ path: join(OUT, "pane-after-analyze.png") });

    // the data-issue link selects the first bad cell
    await pane.locator("#first-issue").click();
    await expect
      .poll(
        () =>
          page.evaluate(
            () => (window as unknown as { crmBook: { selection: unknown } }).crmBook.selection,
          ),
        { timeout: 10_000 },
      )
      .toMatchObject({ sheet: "订单" });

    // the follow-up cards: labelled fields, worded as Chinese writes them (full-width colon)
    await pane.locator("#followups").click();
    await expect.poll(() => pane.locator(".card").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const card = await pane.locator(".card .muted").first().innerText();
    expect(card).toMatch(/^[^:]+：.+ · [^:]+：/);
    await page.locator("#pane").screenshot({ path: join(OUT, "pane-followups.png") });
    await pane.locator("#followups").click();

    // language toggle overrides Office's language
    await pane.locator("#lang").selectOption("en");
    await expect.poll(() => pane.locator("h1").textContent()).toBe("Customer Lifecycle");
    await pane.locator("#lang").selectOption("zh");

    // the workbook view: the Pareto chart sheet, its native chart drawn from the cells it plots
    await page.locator("#tabs button", { hasText: "帕累托" }).click();
    await expect
      .poll(() => page.locator("#charts svg").count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(OUT, "playground.png") });
    if (process.env.CRM_SCREENSHOTS) {
      mkdirSync(join(root, "addin", "screenshots"), { recursive: true });
      copyFileSync(
        join(OUT, "playground.png"),
        join(root, "addin", "screenshots", "playground.png"),
      );
      copyFileSync(
        join(OUT, "pane-after-analyze.png"),
        join(root, "addin", "screenshots", "pane-after-analyze.png"),
      );
    }
    expect(errors).toEqual([]);
    expect(offOrigin).toEqual([]);
    await context.close();
  }, 120_000);

  it("analyses in its Web Worker under the pane's Content Security Policy, with progress and Cancel", async () => {
    const { context, page } = await open("en-US");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const console: string[] = [];
    page.on("console", (m) => console.push(m.text()));
    // 200,000 order rows: the analysis takes long enough to be cancelled while it runs
    await page.goto(`${server.url}playground/?lang=en-US&orders=200000`);
    const pane = page.frameLocator("#pane");
    await pane.locator("#analyze:not([disabled])").waitFor({ timeout: 60_000 });
    const frame = page.frames().find((f) => f.url().includes("pane.html"))!;
    await frame.evaluate(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const sheets = () =>
      page.evaluate(() =>
        (window as unknown as { crmBook: { sheets: { name: string }[] } }).crmBook.sheets.map(
          (s) => s.name,
        ),
      );
    const before = await sheets();

    // Cancel while the worker analyses: the pane answers, the worker stops, nothing is written
    await pane.locator("#analyze").click();
    await pane
      .locator(".progress-label", { hasText: /step [2-5] of 7/ })
      .waitFor({ timeout: 120_000 });
    await pane.locator("#cancel").click();
    await expect
      .poll(() => pane.locator(".msg.error").innerText(), { timeout: 20_000 })
      .toMatch(/Cancel/);
    expect(await sheets()).toEqual(before);

    // then a full run: every step shown, in the worker (no fallback notice)
    const labels: string[] = [];
    await frame.evaluate(() => {
      const w = window as unknown as { labels: string[] };
      w.labels = [];
      new MutationObserver(() => {
        const l = document.querySelector(".progress-label")?.textContent ?? "";
        if (l && w.labels[w.labels.length - 1] !== l) w.labels.push(l);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await pane.locator("#analyze").click();
    await expect.poll(() => pane.locator("#summary-title").count(), { timeout: 180_000 }).toBe(1);
    labels.push(
      ...(await frame.evaluate(() => (window as unknown as { labels: string[] }).labels)),
    );
    for (const step of ["cleaning the rows", "lifetime-value model", "result sheets"])
      expect(
        labels.some((l) => l.includes(step)),
        step,
      ).toBe(true);
    expect(await pane.locator(".msg.notice").allInnerTexts()).not.toContainEqual(
      expect.stringMatching(/background/),
    );
    expect(await sheets()).toContain("Analysis");
    expect(
      await frame.evaluate(() => (window as unknown as { violations: string[] }).violations),
    ).toEqual([]);
    expect(console.filter((c) => /Content Security Policy/i.test(c))).toEqual([]);
    expect(errors).toEqual([]);
    expect(offOrigin).toEqual([]);
    await context.close();
  }, 300_000);

  it("leaves a user's sheet named like the add-in's alone and writes beside it, saying so in the pane", async () => {
    const { context, page } = await open("zh-CN");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}playground/`);
    await page.waitForFunction(
      () => (window as unknown as { crmBook?: { sheets: unknown[] } }).crmBook?.sheets.length === 3,
      null,
      { timeout: 30_000 },
    );
    // The user's own sheet "分析" with notes, before the first Analyze.
    await page.evaluate(() => {
      const book = (
        window as unknown as { crmBook: import("../../addin/fake-excel.js").FakeWorkbook }
      ).crmBook;
      book.put("分析", "A1", [["我的笔记"], ["周五给 C003 回电话"]]);
    });
    const pane = page.frameLocator("#pane");
    await expect
      .poll(() => pane.locator("h1").textContent(), { timeout: 30_000 })
      .toBe("客户生命周期");
    for (let run = 0; run < 2; run++) {
      await pane.locator("#analyze").click();
      await expect.poll(() => pane.locator("#summary-title").count(), { timeout: 60_000 }).toBe(1);
      const state = await page.evaluate(() => {
        const book = (
          window as unknown as { crmBook: import("../../addin/fake-excel.js").FakeWorkbook }
        ).crmBook;
        const mine = book.sheets.find((s) => s.name === "分析")!;
        return {
          sheets: book.sheets.map((s) => s.name),
          mine: [...mine.cells.entries()].map(([r, cols]) => [r, [...cols.values()]]),
          charts: mine.charts.length,
        };
      });
      expect(state.mine).toEqual([
        [0, [{ value: "我的笔记" }]],
        [1, [{ value: "周五给 C003 回电话" }]],
      ]);
      expect(state.charts).toBe(0);
      expect(state.sheets.filter((n) => n.startsWith("分析"))).toEqual(["分析", "分析（2）"]);
      const notices = await pane.locator(".msg.notice").allInnerTexts();
      // said once: on the first run, not again on the second
      expect(notices.filter((t) => t.includes("分析 → 分析（2）"))).toHaveLength(run === 0 ? 1 : 0);
      if (run === 0)
        await page.locator("#pane").screenshot({ path: join(OUT, "pane-name-clash.png") });
    }
    expect(errors).toEqual([]);
    expect(offOrigin).toEqual([]);
    await context.close();
  }, 150_000);

  it("in English: follow-up cards select the customer's row, labels are whole, quotes Latin, RFM bars side by side", async () => {
    const { context, page } = await open("en-US");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}playground/?lang=en-US`);
    await page.waitForFunction(
      () => (window as unknown as { crmBook?: { sheets: unknown[] } }).crmBook?.sheets.length === 3,
      null,
      { timeout: 30_000 },
    );
    const pane = page.frameLocator("#pane");
    await pane.locator("#analyze:not([disabled])").waitFor({ timeout: 30_000 });
    await pane.locator("#analyze").click();
    await expect.poll(() => pane.locator("#summary-title").count(), { timeout: 60_000 }).toBe(1);
    const frame = page.frames().find((f) => f.url().includes("pane.html"))!;

    // stage labels ("Development", "Termination") whole at the pane's width (360 px)
    const chips = await frame.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>(".bars .chip")].map((e) => ({
        text: e.textContent,
        scroll: e.scrollWidth,
        client: e.clientWidth,
      })),
    );
    expect(chips.map((c) => c.text)).toEqual(
      expect.arrayContaining(["Development", "Termination"]),
    );
    for (const c of chips) expect(c.scroll, c.text ?? "").toBeLessThanOrEqual(c.client);

    // English text in Latin fonts: a quote mark is narrow, not a full-width CJK one (~1 em)
    const quoteEm = (
      f: import("playwright-core").Frame | import("playwright-core").Page,
      sel: string,
    ) =>
      f.evaluate((sel) => {
        const host = document.querySelector(sel)!;
        const span = document.createElement("span");
        span.textContent = "\u201C";
        host.append(span);
        const em = span.getBoundingClientRect().width / parseFloat(getComputedStyle(span).fontSize);
        span.remove();
        return em;
      }, sel);
    expect(await quoteEm(frame, "main")).toBeLessThan(0.6);
    expect(await quoteEm(page, "#grid")).toBeLessThan(0.6);

    // follow-up cards: owner, contact, phone and days overdue; a click selects the row
    await pane.locator("#followups").click();
    const card = pane.locator("button.card").first();
    await card.waitFor({ timeout: 10_000 });
    const text = await card.innerText();
    const row = Number(await card.getAttribute("data-row"));
    const sheetRow = await page.evaluate((row) => {
      const book = (
        window as unknown as { crmBook: import("../../addin/fake-excel.js").FakeWorkbook }
      ).crmBook;
      const sheet = book.sheets.find((s) => s.name === "Customers")!;
      const out: Record<string, unknown> = {};
      for (const [c, cell] of sheet.cells.get(0)!)
        out[String(cell.value)] = sheet.cells.get(row - 1)?.get(c)?.value;
      return out;
    }, row);
    expect(text).toContain(String(sheetRow["Name"]));
    expect(text).toContain(`Owner: ${String(sheetRow["Owner"])}`);
    expect(text).toContain(`Contact: ${String(sheetRow["Contact"])}`);
    expect(text).toContain(`Phone: ${String(sheetRow["Phone"])}`);
    expect(text).toMatch(/\b\d+ days? overdue|Due (today|in \d+ days?)/);
    await page.locator("#pane").screenshot({ path: join(OUT, "pane-followups-en.png") });
    // stale items (overdue beyond the setting) are apart, folded, and never in today's list
    const overdue = (texts: string[]) =>
      texts.map((t) => /(\d+) days? overdue/.exec(t)).map((m) => (m ? Number(m[1]) : 0));
    const stale = pane.locator("details.stale");
    const staleCount = Number(/\((\d+)\)$/.exec(await stale.locator("summary").innerText())![1]);
    expect(staleCount).toBeGreaterThan(0);
    await stale.locator("summary").click();
    const staleDays = Number(
      /more than (\d+) days/.exec(await stale.locator("p.muted").first().innerText())![1],
    );
    const staleCards = await stale.locator(".card").allInnerTexts();
    expect(staleCards).toHaveLength(Math.min(25, staleCount));
    for (const d of overdue(staleCards)) expect(d).toBeGreaterThan(staleDays);
    const todays = await pane.locator(".cards-wrap .card").allInnerTexts();
    expect(todays.length).toBeGreaterThan(0);
    for (const d of overdue(todays)) expect(d).toBeLessThanOrEqual(staleDays);
    if (process.env.CRM_SCREENSHOTS)
      copyFileSync(
        join(OUT, "pane-followups-en.png"),
        join(root, "addin", "screenshots", "pane-followups-en.png"),
      );
    await card.click();
    await expect
      .poll(
        () =>
          page.evaluate(
            () => (window as unknown as { crmBook: { selection: unknown } }).crmBook.selection,
          ),
        { timeout: 10_000 },
      )
      .toMatchObject({
        sheet: "Customers",
        address: expect.stringMatching(new RegExp(`^A${row}:[A-Z]+${row}$`)),
      });
    // the playground shows the selected row
    await expect.poll(() => page.locator("#grid td.sel-range").count()).toBeGreaterThan(3);

    // the RFM sheet's clustered bar charts: the series side by side, never stacked
    await page.locator("#tabs button", { hasText: /^RFM$/ }).click();
    await expect
      .poll(() => page.locator("#charts svg").count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(OUT, "playground-rfm-en.png") });
    const bars = await page.evaluate(() =>
      [...document.querySelectorAll("#charts figure")].map((fig) => ({
        caption: fig.querySelector("figcaption")?.textContent ?? "",
        legend: fig.querySelectorAll(".role-legend-symbol path, .role-legend-label text").length,
        rects: [...fig.querySelectorAll<SVGGraphicsElement>(".mark-rect path")]
          .map((p) => p.getBoundingClientRect())
          .filter((r) => r.width > 0.5 && r.height > 0.5)
          .map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })),
      })),
    );
    const clustered = bars.filter((b) => b.caption.startsWith("BarClustered"));
    expect(clustered.length).toBeGreaterThan(0);
    for (const b of clustered) {
      expect(b.rects.length).toBeGreaterThan(4);
      // horizontal bars: every bar starts at the zero line (stacked ones start where the
      // previous series ends) and no two overlap vertically
      const left = Math.min(...b.rects.map((r) => r.x));
      for (const r of b.rects) expect(Math.abs(r.x - left)).toBeLessThan(1);
      const ys = [...b.rects].sort((p, q) => p.y - q.y);
      for (let i = 1; i < ys.length; i++)
        expect(ys[i].y).toBeGreaterThanOrEqual(ys[i - 1].y + ys[i - 1].h - 0.5);
      expect(b.legend).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    expect(offOrigin).toEqual([]);
    await context.close();
  }, 150_000);

  it("creates the sample workbook from the pane on an empty playground (?empty), then analyses it", async () => {
    const { context, page } = await open("en-US");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}playground/?empty&lang=en-US`);
    const pane = page.frameLocator("#pane");
    await pane.locator("#sample:not([disabled])").waitFor({ timeout: 30_000 });
    const sheets = () =>
      page.evaluate(() =>
        (window as unknown as { crmBook: { sheets: { name: string }[] } }).crmBook.sheets.map(
          (s) => s.name,
        ),
      );
    expect(await sheets()).toEqual([]);
    await pane.locator("#sample").click();
    await expect.poll(sheets, { timeout: 30_000 }).toEqual(["Customers", "Orders", "Interactions"]);
    expect(await pane.locator(".msg.error").count()).toBe(0);
    expect(await pane.locator(".msg.notice").first().innerText()).toMatch(
      /Sample workbook created/,
    );
    // the order dates are date serials with a date format, as Excel holds them
    const firstOrder = await page.evaluate(() => {
      const book = (
        window as unknown as { crmBook: import("../../addin/fake-excel.js").FakeWorkbook }
      ).crmBook;
      const sheet = book.sheets.find((s) => s.name === "Orders")!;
      return [...sheet.cells.get(1)!.values()].map((c) => [c.value, c.numberFormat ?? null]);
    });
    expect(
      firstOrder.some(([v, f]) => typeof v === "number" && v > 40_000 && /y/i.test(String(f))),
    ).toBe(true);
    await pane.locator("#analyze").click();
    await expect.poll(() => pane.locator("#summary-title").count(), { timeout: 60_000 }).toBe(1);
    expect(await sheets()).toContain("Follow-ups");
    expect(errors).toEqual([]);
    expect(offOrigin).toEqual([]);
    await context.close();
  }, 120_000);

  it("says clearly that it must run inside Excel when office.js finds no host", async () => {
    const { context, page } = await open("en-US");
    await page.goto(`${server.url}taskpane.html`);
    await expect
      .poll(() => page.locator(".outside h2").textContent(), { timeout: 30_000 })
      .toBe("This task pane runs inside Excel");
    expect(
      await page.evaluate(() => typeof (window as unknown as { Office?: unknown }).Office),
    ).toBe("object");
    expect(await page.locator(".outside a").getAttribute("href")).toBe("playground/");
    await page.screenshot({ path: join(OUT, "outside-office.png") });
    expect(offOrigin).toEqual([]);
    await context.close();
  }, 60_000);
});
