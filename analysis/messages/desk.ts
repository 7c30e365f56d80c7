import { defineMessages } from "./define.js";

/**
 * User-facing text of the account manager's desk in the task pane (issue 17 §3–§5): Today,
 * the printable page of today's cards, Review, the Account managers view and the owner filter
 * ("my customers"). The cards and review themselves use the cards.* messages (cards.ts).
 */
export const desk = defineMessages({
  en: {
    "desk.button.today": "Today",
    "desk.button.review": "Review",
    "desk.button.owners": "Account managers",
    "desk.owner.label": "My customers",
    "desk.owner.all": "All account managers ({n:int})",
    "desk.owner.option": "{name} ({n:int})",
    "desk.owner.gone":
      "No account manager is named {owner} in this analysis: showing every account manager's customers.",
    "desk.owner.spelling":
      "Account manager {owner} is written {n:int} ways in the Customers table ({list}); counted as one account manager.",
    "desk.owner.spellingItem": "“{text}” in rows {rows}",
    "desk.owner.spellingItem1": "“{text}” in row {rows}",
    "desk.needRun": "Click Analyze first; then {view} shows here.",
    "desk.loading": "Loading…",
    "desk.error": "Could not build this view from the last analysis. Run Analyze again.",
    "desk.today.title": "Today",
    "desk.today.intro":
      "Customers to contact on {date:date}, the analysis' as-of date (as crm cards): overdue first, then due that day, each group in the order of its suggested call slots.",
    "desk.today.click": "Click a customer to select its row on sheet {sheet} and see its card.",
    "desk.today.count":
      "{n:int} to contact: {overdue:int} overdue, {due:int} due today, {stale:int} long overdue.",
    "desk.today.none": "Nobody to contact on {date:date}.",
    "desk.today.more": "…and {n:int} more: choose an account manager to see theirs.",
    "desk.today.stale": "Long overdue ({n:int} days)",
    "desk.today.noSlot": "no call planned",
    "desk.print.button": "Printable page of today's cards",
    "desk.print.title": "Today's cards, printable (A4)",
    "desk.print.hint":
      "{n:int} {n|card|cards}, one per customer, the same as crm cards prints; a card is never split across two pages.",
    "desk.print.capped":
      "The page holds the first {n:int} of the {total:int} cards due, in calling order. Go back and choose an account manager for theirs; crm cards prints them all.",
    "desk.print.print": "Print",
    "desk.print.open": "Open in a new window",
    "desk.print.close": "Back",
    "desk.print.blocked":
      "This host did not open a new window: print from here with Print instead.",
    "desk.print.footer":
      "Printed from the Customer Lifecycle task pane from the last analysis. Every figure was computed on this computer from your own data.",
    "desk.review.title": "Review",
    "desk.review.noHistory":
      "No earlier snapshot to compare with: Analyze adds one to the Stage history sheet on every run, so changes show from the next run on (a later as-of date).",
    "desk.review.changesMore": "…and {n:int} more changes.",
    "desk.owners.title": "Account managers",
    "desk.owners.intro":
      "The figures of the Account managers sheet, as of {asOf:date}. The filter above (my customers) applies to Today, Review and Follow-ups; the chosen account manager is highlighted.",
    "desk.owners.t.customers": "Customers",
    "desk.owners.t.grades": "Customers by grade",
    "desk.owners.t.work": "Follow-up work",
    "desk.owners.t.revenue": "Revenue and cadence kept",
    "desk.owners.noMovement":
      "Moved down is empty: there is no earlier snapshot in the stage history to compare with.",
    "desk.select.dup":
      "Customer ID {id} is on sheet {sheet} more than once (rows {rows}); selected row {row:int}, the first, which the analysis used.",
    "desk.select.noId": "This entry has no customer ID: there is no row to select.",
    "desk.followups.filtered": "{owner}: {n:int} of the {total:int} follow-ups.",
  },
  zh: {
    "desk.button.today": "今日",
    "desk.button.review": "复查",
    "desk.button.owners": "客户经理",
    "desk.owner.label": "我的客户",
    "desk.owner.all": "全部客户经理（{n:int} 位）",
    "desk.owner.option": "{name}（{n:int}）",
    "desk.owner.gone": "本次分析中没有名为 {owner} 的客户经理：显示全部客户经理的客户。",
    "desk.owner.spelling":
      "客户经理 {owner} 在客户表中有 {n:int} 种写法（{list}），按同一位客户经理统计。",
    "desk.owner.spellingItem": "“{text}”在第 {rows} 行",
    "desk.owner.spellingItem1": "“{text}”在第 {rows} 行",
    "desk.needRun": "请先点击“分析”，之后{view}会显示在这里。",
    "desk.loading": "正在加载…",
    "desk.error": "无法根据最近一次分析生成此视图，请重新点击“分析”。",
    "desk.today.title": "今日",
    "desk.today.intro":
      "{date:date}（分析截至日，与 crm cards 相同）需要联系的客户：先逾期，后当日到期，每组按建议致电时段排序。",
    "desk.today.click": "点击客户即可选中其在“{sheet}”工作表中的行并显示资料卡。",
    "desk.today.count":
      "共 {n:int} 位需要联系：逾期 {overdue:int}，今日到期 {due:int}，久未处理 {stale:int}。",
    "desk.today.none": "{date:date} 没有需要联系的客户。",
    "desk.today.more": "……另有 {n:int} 位：选择客户经理即可只看其客户。",
    "desk.today.stale": "久未处理（逾期 {n:int} 天）",
    "desk.today.noSlot": "未安排致电",
    "desk.print.button": "打印今日资料卡",
    "desk.print.title": "今日资料卡打印页（A4）",
    "desk.print.hint":
      "共 {n:int} 张，每位客户一张，与 crm cards 打印的相同；每张资料卡都不会跨页断开。",
    "desk.print.capped":
      "此页只含按致电顺序的前 {n:int} 张（共 {total:int} 张到期）。请返回并选择客户经理以打印其资料卡；crm cards 可打印全部。",
    "desk.print.print": "打印",
    "desk.print.open": "在新窗口中打开",
    "desk.print.close": "返回",
    "desk.print.blocked": "当前环境未能打开新窗口：请直接点击“打印”。",
    "desk.print.footer":
      "由客户生命周期任务窗格根据最近一次分析打印。所有数字均在本机根据您自己的数据计算。",
    "desk.review.title": "复查",
    "desk.review.noHistory":
      "没有更早的快照可供比较：每次分析都会在“阶段历史”工作表中添加一个快照，下次分析（更晚的截至日期）起即可看到变化。",
    "desk.review.changesMore": "……另有 {n:int} 项变化。",
    "desk.owners.title": "客户经理",
    "desk.owners.intro":
      "“客户经理”工作表中的各项数字，截至 {asOf:date}。上方的筛选（我的客户）作用于今日、复查和待联系；所选客户经理的行已突出显示。",
    "desk.owners.t.customers": "客户",
    "desk.owners.t.grades": "各等级客户",
    "desk.owners.t.work": "跟进工作",
    "desk.owners.t.revenue": "销售额与节奏达标",
    "desk.owners.noMovement": "“下降”列为空：阶段历史中没有更早的快照可供比较。",
    "desk.select.dup":
      "客户编号 {id} 在“{sheet}”工作表中出现多次（第 {rows} 行）；已选中分析所用的第一行，即第 {row:int} 行。",
    "desk.select.noId": "此条目没有客户编号，无法选中对应的行。",
    "desk.followups.filtered": "{owner}：待联系 {total:int} 位中的 {n:int} 位。",
  },
});
