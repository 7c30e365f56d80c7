/** Assemble the report model: an overview, then each area's section, then the data issues. */
import type { Lang } from "../types.js";
import type { Analysis } from "../pipeline.js";
import { formatDay, formatNumber, t } from "../messages/index.js";
import type { ReportModel, ReportSection } from "../report-model.js";
import { issueColumns, issueCount, issueRows } from "./issues.js";
import { paretoSection } from "./pareto.js";
import { rfmSection } from "./rfm.js";
import { gradesSection } from "./grades.js";
import { clvSection } from "./clv.js";
import { followupSection, lifecycleSection } from "./lifecycle.js";
import { ownersSection } from "./owners.js";
import { buildSummary } from "./summary.js";

function overview(a: Analysis, lang: Lang): ReportSection {
  const s = buildSummary(a);
  const n = (x: number) => formatNumber(x, lang, 0);
  return {
    id: "overview",
    title: t(lang, "overview.section"),
    items: [
      {
        kind: "kpis",
        items: [
          { label: t(lang, "overview.asOf"), value: formatDay(a.asOf, lang) },
          {
            label: t(lang, "overview.customers"),
            value: n(s.counts.customers),
            note: t(lang, {
              key: "overview.customers.note",
              params: { buyers: s.counts.customers_with_purchases, prospects: s.counts.prospects },
            }),
          },
          {
            label: t(lang, "overview.rows"),
            // the order table's rows alone (Customers and Interactions rows are not orders)
            value: n(s.counts.order_rows_used),
            note: t(lang, {
              key: "overview.rows.note",
              params: {
                read: s.counts.order_rows_read,
                skipped: s.counts.order_rows_read - s.counts.order_rows_used,
                after: s.counts.rows_after_as_of,
              },
            }),
          },
          { label: t(lang, "overview.issues"), value: n(issueCount(a.issues)) },
          {
            label: t(lang, "pareto.kpi.top20"),
            value: t(lang, { key: "pct", params: { x: s.pareto.top20_share } }),
          },
          {
            label: t(lang, "overview.overdue"),
            value: n(s.followups.overdue),
            note: t(lang, { key: "overview.dueSoon", params: { n: s.followups.due_soon } }),
          },
        ],
      },
      {
        kind: "text",
        text: t(lang, {
          key: "overview.sources",
          params: {
            orders: a.dataset.sources.orders,
            customers: a.dataset.sources.customers ?? "—",
            interactions: a.dataset.sources.interactions ?? "—",
          },
        }),
      },
    ],
  };
}

/** Data issues listed in the report (data-issues.csv and the issues sheet list all of them). */
const REPORT_ISSUES = 200;

function issuesSection(a: Analysis, lang: Lang): ReportSection {
  return {
    id: "issues",
    title: t(lang, "issues.section"),
    items: a.issues.length
      ? [
          {
            kind: "text",
            text: t(lang, { key: "issues.intro", params: { n: issueCount(a.issues) } }),
          },
          {
            kind: "table",
            title: t(lang, "issues.section"),
            columns: issueColumns(lang),
            // only the rows shown are formatted; the note counts them all
            rows: issueRows(a.issues.slice(0, REPORT_ISSUES), lang),
            limit: REPORT_ISSUES,
            total: a.issues.length,
          },
        ]
      : [{ kind: "text", text: t(lang, "issues.none") }],
  };
}

export function buildReport(a: Analysis, lang: Lang): ReportModel {
  const currency = a.settings.currency;
  return {
    lang,
    title: t(lang, "report.title"),
    subtitle: t(lang, {
      key: "report.subtitle",
      params: { asOf: formatDay(a.asOf, lang), source: a.dataset.sources.orders },
    }),
    currency,
    sections: [
      overview(a, lang),
      paretoSection(a, lang),
      rfmSection(a, lang),
      gradesSection(a, lang),
      lifecycleSection(a, lang),
      clvSection(a.clv, lang, currency, (c) => a.dataset.records[c]?.name ?? ""),
      followupSection(a, lang),
      ownersSection(a, lang),
      issuesSection(a, lang),
    ],
  };
}
