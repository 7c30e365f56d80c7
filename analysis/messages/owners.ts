import { defineMessages } from "./define.js";

/**
 * User-facing text of the account-manager area (客户经理, issue 17 §5): the owners sheet and
 * report section, its column headers, and the data issues of owner spellings and planned
 * contact dates.
 */
export const owners = defineMessages({
  en: {
    "owners.unassigned": "(unassigned)",
    "owners.section": "Account managers",
    "owners.sheet.title": "Account managers as of {asOf:date}",
    "owners.chart.title": "Customers and work due per account manager",
    "owners.chart.customers": "Customers",
    "owners.chart.overdue": "Overdue",
    "owners.chart.due7d": "Due within 7 days",
    "owners.chart.series": "Figure",
    "owners.chart.count": "Customers",
    "owners.intro":
      "One row per account manager (Customers table, Owner column; names compared without surrounding white space). Windows count the as-of date {asOf:date}: contacts in the last 7 and 30 days, revenue in the last 90 days and the 90 days before. Cadence kept: share of graded customers whose last interaction lies within their grade's call cadence.",
    "owners.noMovement":
      "Moved down is empty: there is no earlier snapshot in the stage history to compare with.",
    "owners.col.owner": "Account manager",
    "owners.col.customers": "Customers",
    "owners.col.prospects": "Prospects",
    "owners.col.gradeA": "Grade A",
    "owners.col.gradeB": "Grade B",
    "owners.col.gradeC": "Grade C",
    "owners.col.gradeD": "Grade D",
    "owners.col.overdue": "Overdue",
    "owners.col.due7d": "Due within 7 days",
    "owners.col.contacts7d": "Contacts, 7 days",
    "owners.col.contacts30d": "Contacts, 30 days",
    "owners.col.revenue90d": "Revenue, 90 days",
    "owners.col.revenuePrev90d": "Revenue, previous 90 days",
    "owners.col.movedDown": "Moved down",
    "owners.col.dormant": "Dormant",
    "owners.col.cadenceKept": "Cadence kept",
    "owners.kpi.owners": "Account managers",
    "owners.kpi.unassigned": "Customers without an owner",
    "owners.kpi.cadence": "Cadence kept, all",
    "owners.kpi.share": "{x:pct}",
    "owners.table.customers": "Customers per account manager",
    "owners.table.work": "Follow-up work and revenue per account manager",
    "owners.issue.spelling":
      "Owner {value} differs from {first} (rows {rows}) only by white space or character width: counted as one owner, {owner}",
    "owners.issue.nextBeforeContact":
      "Next contact {next:date} is before this contact's own date {day:date}; it was not used for planning",
  },
  zh: {
    "owners.unassigned": "（未分配）",
    "owners.section": "客户经理",
    "owners.sheet.title": "客户经理（截至 {asOf:date}）",
    "owners.chart.title": "各客户经理的客户与待办",
    "owners.chart.customers": "客户数",
    "owners.chart.overdue": "已逾期",
    "owners.chart.due7d": "7 天内到期",
    "owners.chart.series": "指标",
    "owners.chart.count": "客户数",
    "owners.intro":
      "每位客户经理一行（客户表的客户经理列；比较姓名时忽略首尾空白）。各时间窗口均含截止日 {asOf:date}：最近 7 天和 30 天的联系次数，最近 90 天及其前 90 天的销售额。节奏达标率：已分级客户中，最近一次联系在其等级电话节奏之内的比例。",
    "owners.noMovement": "“等级/阶段下降”为空：阶段历史中没有更早的快照可供比较。",
    "owners.col.owner": "客户经理",
    "owners.col.customers": "客户数",
    "owners.col.prospects": "潜在客户",
    "owners.col.gradeA": "A类",
    "owners.col.gradeB": "B类",
    "owners.col.gradeC": "C类",
    "owners.col.gradeD": "D类",
    "owners.col.overdue": "已逾期",
    "owners.col.due7d": "7 天内到期",
    "owners.col.contacts7d": "近 7 天联系",
    "owners.col.contacts30d": "近 30 天联系",
    "owners.col.revenue90d": "近 90 天销售额",
    "owners.col.revenuePrev90d": "前 90 天销售额",
    "owners.col.movedDown": "等级/阶段下降",
    "owners.col.dormant": "休眠",
    "owners.col.cadenceKept": "节奏达标率",
    "owners.kpi.owners": "客户经理人数",
    "owners.kpi.unassigned": "未分配客户",
    "owners.kpi.cadence": "整体节奏达标率",
    "owners.kpi.share": "{x:pct}",
    "owners.table.customers": "各客户经理的客户",
    "owners.table.work": "各客户经理的跟进与销售额",
    "owners.issue.spelling":
      "客户经理 {value} 与 {first}（第 {rows} 行）仅空白或全角半角不同：按同一位客户经理 {owner} 统计",
    "owners.issue.nextBeforeContact":
      "下次联系日期 {next:date} 早于本次联系日期 {day:date}，未用于安排跟进",
  },
});
