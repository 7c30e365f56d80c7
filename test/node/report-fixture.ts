/** A small ReportModel for the report tests and for looking at the page by eye. */
import type { ReportModel } from "../../analysis/report-model.js";

export const HOSTILE = `<script>alert(1)</script>`;

const DAY_2024_03_05 = 19787;

export function sampleReport(lang: "zh" | "en" = "zh"): ReportModel {
  const zh = lang === "zh";
  const customers = Array.from({ length: 40 }, (_, i) => [
    i === 0 ? HOSTILE : `${zh ? "客户" : "Customer "}${i + 1}`,
    DAY_2024_03_05 - i * 7,
    12345.678 - i * 100,
    0.4237 - i * 0.01,
    i + 1,
  ]);
  return {
    lang,
    title: zh ? `客户分析报告 ${HOSTILE}` : `Customer report ${HOSTILE}`,
    subtitle: zh ? "截至 2024年3月5日 · 120 位客户" : "As of 2024-03-05 · 120 customers",
    currency: "¥",
    sections: [
      {
        id: "overview",
        title: zh ? "概览" : "Overview",
        items: [
          {
            kind: "kpis",
            items: [
              { label: zh ? "客户数" : "Customers", value: "120" },
              {
                label: zh ? "销售额" : "Revenue",
                value: "¥1,234,567",
                note: zh ? "近 12 个月" : "last 12 months",
              },
              { label: HOSTILE, value: HOSTILE, note: HOSTILE },
              { label: zh ? "前 20% 客户贡献" : "Top 20% share", value: "78%" },
            ],
          },
          {
            kind: "text",
            text: zh
              ? "20% 的客户贡献了 78% 的销售额，接近二八法则。\n\n衰退期客户需要尽快联系。"
              : "20% of customers bring 78% of revenue, close to the 80/20 rule.\n\nCustomers in decline need a call soon.",
          },
        ],
      },
      {
        id: "stages",
        title: zh ? "生命周期阶段" : "Lifecycle stages",
        items: [
          {
            kind: "figure",
            title: zh ? "各阶段客户数" : "Customers by stage",
            caption: zh ? "红色阶段需要行动。" : "Red stages need action.",
            spec: {
              $schema: "https://vega.github.io/schema/vega-lite/v6.json",
              width: 520,
              height: 220,
              data: {
                values: [
                  { stage: zh ? "潜在期" : "Potential", n: 30 },
                  { stage: zh ? "成长期" : "Growth", n: 42 },
                  { stage: zh ? "成熟期" : "Maturity", n: 25 },
                  { stage: HOSTILE, n: 12 },
                ],
              },
              mark: "bar",
              encoding: {
                y: { field: "stage", type: "nominal", sort: null, title: null },
                x: { field: "n", type: "quantitative", title: zh ? "客户数" : "Customers" },
              },
            },
          },
          {
            kind: "figure",
            title: zh ? "帕累托曲线" : "Pareto curve",
            spec: {
              width: 520,
              height: 220,
              data: {
                values: Array.from({ length: 11 }, (_, i) => ({
                  x: i / 10,
                  y: Math.min(1, Math.sqrt(i / 10) * 1.05),
                })),
              },
              layer: [
                {
                  mark: { type: "area", opacity: 0.15 },
                  encoding: {
                    x: {
                      field: "x",
                      type: "quantitative",
                      axis: { format: "%" },
                      title: zh ? "客户占比" : "Share of customers",
                    },
                    y: {
                      field: "y",
                      type: "quantitative",
                      axis: { format: "%" },
                      title: zh ? "销售额占比" : "Share of revenue",
                    },
                  },
                },
                {
                  mark: { type: "line", point: true },
                  encoding: {
                    x: { field: "x", type: "quantitative" },
                    y: { field: "y", type: "quantitative" },
                  },
                },
              ],
            },
          },
        ],
      },
      {
        id: "customers",
        title: zh ? "客户明细" : "Customers",
        items: [
          {
            kind: "table",
            title: zh ? "最近购买" : "Last purchase",
            columns: [
              { header: zh ? "客户" : "Customer", format: "text" },
              { header: zh ? "最近购买" : "Last purchase", format: "date" },
              { header: zh ? "金额" : "Amount", format: "money" },
              { header: zh ? "存活概率" : "P(alive)", format: "pct" },
              { header: zh ? "次数" : "Orders", format: "int" },
            ],
            rows: customers,
            limit: 10,
          },
        ],
      },
    ],
  };
}
