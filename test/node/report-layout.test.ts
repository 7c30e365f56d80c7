/**
 * What a manager reads, measured in Chromium (issue 18 §2, §7): the demo report at 1280 and
 * 1920 px, in both languages. No table is cut off (scrolls sideways), the follow-up list reads
 * a row in a line or three, the page grows on a wide screen, the strategy is shown once per
 * stage, and the CLV table names its customers. Never downloads a browser: skips without one.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import { renderReport } from "../../analysis/node/report.js";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
if (!CHROMIUM)
  console.warn("report layout test skipped: no Chromium at /usr/bin/chromium (never downloaded)");

interface Measured {
  main: number;
  tables: { title: string; over: number; rowH: number; headers: string[]; firstRow: string[] }[];
}

describe.skipIf(!CHROMIUM)("the report's layout in Chromium", () => {
  let browser: Browser;
  const html: Record<string, string> = {};

  beforeAll(async () => {
    for (const lang of ["en", "zh"] as const) {
      const run = runAnalysis(sampleWorkbook({ lang }), { lang, today: 21_000 });
      html[lang] = await renderReport(run.report);
    }
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function measure(lang: "en" | "zh", width: number): Promise<Measured> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.setContent(html[lang]);
    const m = await page.evaluate(() => ({
      main: document.querySelector("main")!.getBoundingClientRect().width,
      tables: [...document.querySelectorAll(".table-block")].map((b) => {
        const scroll = b.querySelector(".table-scroll") as HTMLElement;
        const rows = [...b.querySelectorAll("tbody tr")];
        const rowH = rows.length
          ? rows.reduce((s, r) => s + r.getBoundingClientRect().height, 0) / rows.length
          : 0;
        return {
          title: b.querySelector("h3")!.textContent ?? "",
          over: scroll.scrollWidth - scroll.clientWidth,
          rowH,
          headers: [...b.querySelectorAll("thead th")].map((th) => th.textContent ?? ""),
          firstRow: [...(rows[0]?.querySelectorAll("td") ?? [])].map((td) => td.textContent ?? ""),
        };
      }),
    }));
    await page.close();
    return m;
  }

  for (const lang of ["en", "zh"] as const) {
    for (const width of [1280, 1920]) {
      it(`${lang} at ${width} px: no table cut off, follow-ups compact`, async () => {
        const m = await measure(lang, width);
        const cut = m.tables.filter((x) => x.over > 1).map((x) => `${x.title} (+${x.over}px)`);
        expect(cut).toEqual([]);
        // the page uses a laptop's whole width, and grows on a wide screen
        expect(m.main).toBeGreaterThanOrEqual(width === 1280 ? 1000 : 1400);
        const follow = m.tables.find((x) => /Follow-ups:|待联系/.test(x.title))!;
        expect(follow.firstRow.length).toBeGreaterThan(0);
        // a row takes a line or three, not the ten-line rows of a strategy in every row
        expect(follow.rowH).toBeLessThanOrEqual(width === 1280 ? 100 : 50);
        expect(follow.headers.join("|")).not.toMatch(/Stage strategy|Strategy|阶段策略|跟进策略/);
        const strategies = m.tables.find((x) =>
          /What to do, by stage|各阶段的跟进策略/.test(x.title),
        );
        expect(strategies?.firstRow.length).toBe(2);
        // the CLV table names its customers
        const clv = m.tables.find((x) => /highest CLV|终身价值最高/.test(x.title))!;
        expect(clv.firstRow[2]).not.toBe("");
      }, 60_000);
    }
  }
});
