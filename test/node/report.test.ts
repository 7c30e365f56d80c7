import { describe, expect, it } from "vitest";
import { hasMessage } from "../../analysis/messages/index.js";
import { report as reportMessages } from "../../analysis/messages/report.js";
import { esc, formatCell, renderReport } from "../../analysis/node/report.js";
import type { ReportModel } from "../../analysis/report-model.js";
import { HOSTILE, sampleReport } from "./report-fixture.js";

const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";

function svgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

describe("a table given only its first rows", () => {
  it("counts the whole table in its note", async () => {
    const model: ReportModel = {
      ...sampleReport("en"),
      sections: [
        {
          id: "list",
          title: "List",
          items: [
            {
              kind: "table",
              title: "Follow-ups",
              columns: [{ header: "Customer", format: "text" }],
              rows: [["A"], ["B"], ["C"]],
              limit: 2,
              total: 250,
            },
          ],
        },
      ],
    };
    const html = await renderReport(model);
    expect(html).toContain("Showing the first 2 of 250 rows.");
    expect(html).toContain('<td class="text">B</td>');
    expect(html).not.toContain('<td class="text">C</td>');
  });
});

describe("KPI values", () => {
  it("wider than nine columns (a Chinese character counts two) take the smaller size", async () => {
    const params = "r = 0.243, α = 4.414, a = 0.793, b = 2.426";
    const values = [
      "77%",
      "301",
      "2026-11-15",
      "¥13,528,674",
      "2026年11月15日",
      "12,345,678",
      params,
    ];
    const model: ReportModel = {
      ...sampleReport("en"),
      sections: [
        {
          id: "k",
          title: "K",
          items: [{ kind: "kpis", items: values.map((value) => ({ label: "x", value })) }],
        },
      ],
    };
    const html = await renderReport(model);
    const classes = [...html.matchAll(/<dd class="(kpi-value[^"]*)">([^<]*)<\/dd>/g)].map((m) => [
      m[2],
      m[1],
    ]);
    expect(classes).toEqual([
      ["77%", "kpi-value"],
      ["301", "kpi-value"],
      ["2026-11-15", "kpi-value long"],
      ["¥13,528,674", "kpi-value long"],
      ["2026年11月15日", "kpi-value long"],
      ["12,345,678", "kpi-value long"],
      // the model's parameters: small plain text (issue 18 §18), not six lines of large bold type
      [params, "kpi-value long text-value"],
    ]);
  });

  it("an English page puts Latin fonts before the Chinese ones (their quotes are full-width)", async () => {
    const html = await renderReport(sampleReport("en"));
    const en = /html\[lang="en"\] \{\s*--font: ([^;]+);/.exec(html)?.[1] ?? "";
    expect(en.indexOf("Arial")).toBeGreaterThan(-1);
    expect(en.indexOf("Arial")).toBeLessThan(en.indexOf("Noto Sans CJK SC"));
  });
});

describe("renderReport", async () => {
  const zh = await renderReport(sampleReport("zh"));
  const en = await renderReport(sampleReport("en"));

  it("sets the lang attribute from the model", () => {
    expect(zh).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(en).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it("contains no script at all", () => {
    expect(zh.toLowerCase()).not.toContain("<script");
    expect(en.toLowerCase()).not.toContain("<script");
    expect(zh).not.toMatch(/\son[a-z]+=/i);
  });

  it("escapes a hostile name in the title, a KPI, a table and a chart", () => {
    expect(zh).toContain(`<title>客户分析报告 ${ESCAPED}</title>`);
    expect(zh).toContain(`<h1>客户分析报告 ${ESCAPED}</h1>`);
    expect(zh).toContain(
      `<dt>${ESCAPED}</dt><dd class="kpi-value long text-value">${ESCAPED}</dd><dd class="kpi-note">${ESCAPED}</dd>`,
    );
    // a name of 20 characters or more may wrap: class "text long"
    expect(zh).toContain(`<td class="text long">${ESCAPED}</td>`);
    const stageChart = svgs(zh)[0];
    expect(stageChart).toContain(ESCAPED);
    expect(stageChart).not.toContain(HOSTILE);
  });

  it("escapes quotes in attributes and text", () => {
    expect(esc(`"a" & 'b' <c>`)).toBe("&quot;a&quot; &amp; &#39;b&#39; &lt;c&gt;");
  });

  it("references nothing on the network (only the SVG namespaces)", () => {
    for (const html of [zh, en]) {
      const rest = html.replace(/\sxmlns(:\w+)?="http:\/\/www\.w3\.org\/[\w/]+"/g, "");
      expect(rest).not.toMatch(/https?:\/\//);
      expect(rest).not.toMatch(/<link|<img|@import|url\((?!#)/i);
    }
  });

  it("draws every figure as inline SVG with ids unique in the page", () => {
    const figures = zh.match(/<figure class="figure">[\s\S]*?<\/figure>/g) ?? [];
    expect(figures).toHaveLength(2);
    for (const f of figures)
      expect(f).toMatch(/<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svgs(zh)).toHaveLength(2);
    const ids = [...zh.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("formats numbers, money, percentages and dates by column format", () => {
    // Row 1: 12345.678 money, 0.4237 pct, epoch day 19787 = 2024-03-05, int 1.
    expect(zh).toContain(
      `<td class="date">2024年3月5日</td><td class="num">¥12,346</td><td class="num">42.4%</td><td class="num">1</td>`,
    );
    expect(en).toContain(
      `<td class="date">2024-03-05</td><td class="num">¥12,346</td><td class="num">42.4%</td><td class="num">1</td>`,
    );
  });

  it("cuts long tables at the limit and says so", () => {
    const body = zh.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "";
    expect(body.match(/<tr>/g)).toHaveLength(10);
    expect(zh).toContain("仅显示前 10 行，共 40 行。");
    expect(en).toContain("Showing the first 10 of 40 rows.");
  });

  it("lists every section in the contents, linked to its anchor", () => {
    expect(zh).toContain(
      `<ol><li><a href="#s-overview">概览</a></li><li><a href="#s-stages">生命周期阶段</a></li><li><a href="#s-customers">客户明细</a></li></ol>`,
    );
    expect(zh).toContain(`<section id="s-overview"`);
  });

  it("gives the same bytes for the same model", async () => {
    expect(await renderReport(sampleReport("zh"))).toBe(zh);
  });

  it("shows a note instead of failing when a spec cannot be drawn", async () => {
    const model: ReportModel = {
      lang: "en",
      title: "t",
      subtitle: "",
      currency: "$",
      sections: [
        {
          id: "x y<",
          title: "X",
          items: [{ kind: "figure", title: "bad", spec: { mark: "nonsense" } }],
        },
      ],
    };
    const html = await renderReport(model);
    expect(html).toContain(`<p class="figure-error">This chart could not be drawn:`);
    expect(html).toContain(`<section id="s-xy"`);
  });
});

describe("formatCell", () => {
  it("formats by CellFormat and leaves text and blanks alone", () => {
    expect(formatCell(1234.5, "money", "en", "$")).toBe("$1,235");
    expect(formatCell(-12.5, "money", "en", "$")).toBe("-$12.5");
    expect(formatCell(0.05, "pct", "zh", "¥")).toBe("5.0%");
    expect(formatCell(0.0512, "pct", "en", "¥")).toBe("5.1%");
    // one decimal throughout a column (issue 18 §13: "6.2%" beside "11%" read as different precision)
    expect(formatCell(0.11, "pct", "en", "¥")).toBe("11.0%");
    expect(formatCell(2.6, "int", "en", "")).toBe("3");
    expect(formatCell(0, "date", "en", "")).toBe("1970-01-01");
    expect(formatCell(null, "money", "en", "$")).toBe("");
    expect(formatCell("n/a", "money", "en", "$")).toBe("n/a");
    expect(formatCell(Number.NaN, "number", "en", "")).toBe("");
  });
});

describe("report messages", () => {
  it("has every key in both languages", () => {
    const keys = Object.keys(reportMessages.en);
    expect(keys.length).toBeGreaterThan(5);
    expect(Object.keys(reportMessages.zh).sort()).toEqual([...keys].sort());
    for (const k of keys) expect(hasMessage(k)).toBe(true);
  });
});
