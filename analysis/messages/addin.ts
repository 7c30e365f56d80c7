import { defineMessages } from "./define.js";

/**
 * User-facing text of the Excel add-in: task pane, progress, summary, errors and warnings.
 * Ribbon labels live in manifest.xml (Office reads them from there, with <Override Locale>).
 */
export const addin = defineMessages({
  en: {
    "addin.title": "Customer Lifecycle",
    "addin.tagline": "Stages, grades, RFM, Pareto and follow-ups from the tables you already keep.",
    "addin.lang.label": "Language",
    "addin.lang.auto": "Follow Office",
    "addin.button.analyze": "Analyze",
    "addin.button.followups": "Follow-ups",
    "addin.button.settings": "Settings",
    "addin.button.sample": "Create sample workbook",
    "addin.button.cancel": "Cancel",
    "addin.button.convert": "Convert to table",
    "addin.button.openSheet": "Open sheet {sheet}",
    "addin.button.firstIssue": "Go to the first problem cell",
    "addin.button.playground": "Open the playground",
    "addin.intro":
      "Analyze reads your Orders table (and Customers and Interactions when present) and writes the results into columns it adds to Customers and into its own sheets. None of your own cells are changed.",
    "addin.progress.read": "Reading tables… {done:int} of {total:int} {total|row|rows}",
    "addin.progress.analyze": "Analysing {rows:int} order {rows|row|rows}…",
    "addin.progress.write": "Writing results… {pct:pct}",
    "addin.progress.label": "Progress",
    "addin.done": "Done in {seconds} s.",
    "addin.summary.title": "Results",
    "addin.summary.asOf": "As of {day:date}",
    "addin.summary.customers": "Customers",
    "addin.summary.prospects": "Prospects",
    "addin.summary.stages": "Lifecycle stages",
    "addin.summary.grades": "Grades",
    "addin.summary.pareto": "Pareto (80/20)",
    "addin.summary.top20": "The top 20% of customers bring {share:pct} of the value.",
    "addin.summary.for80":
      "{n:int} {n|customer|customers} ({share:pct} of them) make up 80% of the value.",
    "addin.summary.gini": "Concentration (Gini): {gini}",
    "addin.summary.issues": "Data issues",
    "addin.summary.issuesNone": "No data problems found.",
    "addin.summary.issuesCount":
      "{skipped:int} {skipped|row|rows} skipped, {warnings:int} {warnings|warning|warnings} — listed on sheet {sheet}.",
    "addin.summary.written":
      "Written: {columns:int} result {columns|column|columns}, {sheets:int} {sheets|sheet|sheets}, {charts:int} {charts|chart|charts}.",
    "addin.summary.read": "Read: {list}.",
    "addin.summary.readItem": "{kind} from {sheet} ({rows:int} {rows|row|rows})",
    "addin.issue.where": "sheet {sheet}, row {row}, column {column}",
    "addin.issue.whereRow": "sheet {sheet}, row {row}",
    "addin.kind.orders": "Orders",
    "addin.kind.customers": "Customers",
    "addin.kind.interactions": "Interactions",
    "addin.kind.settings": "Settings",
    "addin.kind.history": "Stage history",
    "addin.plain.offer":
      "The {kind} data on sheet {sheet} ({address}) is a plain range. Convert it to an Excel table so result columns can be added and it is found quickly.",
    "addin.plain.converted": "Converted to table {table}.",
    "addin.followups.title": "Follow-ups",
    "addin.followups.intro": "Customers overdue or due this week, most important first.",
    "addin.followups.none": "Nobody is due this week.",
    "addin.followups.needRun":
      "Run Analyze first; the follow-up list is then shown here and on sheet {sheet}.",
    "addin.followups.more": "…and {n:int} more on sheet {sheet}.",
    "addin.followups.field": "{label}: {value}",
    "addin.settings.title": "Settings",
    "addin.settings.intro":
      "Rules are set on the {sheet} sheet: as-of date, ABC cut-offs, lifecycle windows, cadences, date system, currency. It is created with defaults on the first run and never overwritten; edit it and run Analyze again.",
    "addin.settings.missing":
      "The {sheet} sheet does not exist yet; run Analyze once to create it.",
    "addin.sample.done": "Sample workbook created on sheets {sheets}. Press Analyze to try it.",
    "addin.outside.title": "This task pane runs inside Excel",
    "addin.outside.body":
      "This page is open outside Excel, so there is no workbook to analyse. Open the add-in from Excel's Home tab (group “Customer Lifecycle”), or try it on an in-memory sample workbook in the playground (npm run playground).",
    "addin.error.title": "Something went wrong",
    "addin.error.noOrders":
      "No orders table was found. Sheets in this workbook: {sheets}. Name a table or sheet “Orders” (订单), or give it headers such as Customer ID, Date and Amount.",
    "addin.error.rightNotEmpty":
      "The result columns are added to the right of table {table} on sheet {sheet}, but cell {cell} there is not empty. Move that content (or insert empty columns) and run Analyze again; nothing was changed.",
    "addin.error.tableChanged":
      "Table {table} on sheet {sheet} changed while the analysis ran. Run Analyze again.",
    "addin.error.cancelled":
      "Cancelled. Result sheets may be incomplete until Analyze runs to the end.",
    "addin.error.excel": "Excel could not apply a change ({code}): {detail}",
    "addin.error.sampleExists":
      "Sheet or table {sheet} already exists. Open a blank workbook to create the sample.",
    "addin.error.api":
      "This version of Excel lacks features the add-in needs (ExcelApi 1.8). Update Office or use Excel on the web.",
    "addin.warn.columnsNeedTable":
      "Customers on sheet {sheet} is a plain range, so no result columns were added there. Convert it to a table and run Analyze again.",
    "addin.warn.dates1904":
      "The latest order date read is {day:date}, about four years before today. If this workbook uses the 1904 date system (common in files from Excel for Mac), set the date system to 1904 on the Settings sheet.",
    "addin.warn.datesFuture":
      "The latest order date read is {day:date}, in the future. If this workbook uses the 1900 date system (Excel's default), set the date system to 1900 on the Settings sheet.",
    "addin.warn.noFunnel":
      "This Excel has no funnel charts (ExcelApi 1.9); lifecycle stages are drawn as bars.",
    "addin.command.done":
      "Customer Lifecycle: {customers:int} {customers|customer|customers} analysed.",
  },
  zh: {
    "addin.title": "客户生命周期",
    "addin.tagline": "用您现有的表格，算出客户阶段、等级、RFM、帕累托和待联系名单。",
    "addin.lang.label": "语言",
    "addin.lang.auto": "跟随 Office",
    "addin.button.analyze": "分析",
    "addin.button.followups": "待联系",
    "addin.button.settings": "设置",
    "addin.button.sample": "创建示例工作簿",
    "addin.button.cancel": "取消",
    "addin.button.convert": "转换为表格",
    "addin.button.openSheet": "打开“{sheet}”工作表",
    "addin.button.firstIssue": "定位到第一个问题单元格",
    "addin.button.playground": "打开演示环境",
    "addin.intro":
      "“分析”会读取订单表（如有客户表和联系记录也一并读取），把结果写入客户表新增的结果列和加载项自己的工作表。您原有的单元格一个都不会改动。",
    "addin.progress.read": "正在读取表格…… 已读 {done:int} / {total:int} 行",
    "addin.progress.analyze": "正在分析 {rows:int} 行订单……",
    "addin.progress.write": "正在写入结果…… {pct:pct}",
    "addin.progress.label": "进度",
    "addin.done": "完成，用时 {seconds} 秒。",
    "addin.summary.title": "分析结果",
    "addin.summary.asOf": "截至 {day:date}",
    "addin.summary.customers": "客户",
    "addin.summary.prospects": "潜在客户",
    "addin.summary.stages": "生命周期阶段",
    "addin.summary.grades": "客户等级",
    "addin.summary.pareto": "帕累托（二八法则）",
    "addin.summary.top20": "前 20% 的客户贡献了 {share:pct} 的价值。",
    "addin.summary.for80": "{n:int} 位客户（占 {share:pct}）贡献了 80% 的价值。",
    "addin.summary.gini": "集中度（基尼系数）：{gini}",
    "addin.summary.issues": "数据问题",
    "addin.summary.issuesNone": "没有发现数据问题。",
    "addin.summary.issuesCount":
      "跳过 {skipped:int} 行，提醒 {warnings:int} 条，明细见“{sheet}”工作表。",
    "addin.summary.written":
      "已写入：{columns:int} 个结果列、{sheets:int} 张工作表、{charts:int} 个图表。",
    "addin.summary.read": "已读取：{list}。",
    "addin.summary.readItem": "“{sheet}”中的{kind}（{rows:int} 行）",
    "addin.issue.where": "“{sheet}”工作表第 {row} 行“{column}”列",
    "addin.issue.whereRow": "“{sheet}”工作表第 {row} 行",
    "addin.kind.orders": "订单",
    "addin.kind.customers": "客户",
    "addin.kind.interactions": "联系记录",
    "addin.kind.settings": "设置",
    "addin.kind.history": "阶段历史",
    "addin.plain.offer":
      "“{sheet}”工作表中的{kind}数据（{address}）是普通区域。转换为 Excel 表格后，才能添加结果列，查找也更快。",
    "addin.plain.converted": "已转换为表格 {table}。",
    "addin.followups.title": "待联系",
    "addin.followups.intro": "已逾期或本周到期的客户，重要的排在前面。",
    "addin.followups.none": "本周没有需要联系的客户。",
    "addin.followups.needRun": "请先点击“分析”，之后待联系名单会显示在这里和“{sheet}”工作表中。",
    "addin.followups.more": "……另有 {n:int} 位，见“{sheet}”工作表。",
    "addin.followups.field": "{label}：{value}",
    "addin.settings.title": "设置",
    "addin.settings.intro":
      "规则在“{sheet}”工作表中设置：截止日期、ABC 分级界限、生命周期窗口、联系频率、日期系统、货币等。首次分析时按默认值创建，之后不会被覆盖；修改后再点“分析”即可生效。",
    "addin.settings.missing": "“{sheet}”工作表还不存在，先运行一次“分析”即可创建。",
    "addin.sample.done": "示例数据已写入工作表 {sheets}。点击“分析”试试看。",
    "addin.outside.title": "此任务窗格需要在 Excel 中运行",
    "addin.outside.body":
      "此页面不是在 Excel 中打开的，没有可分析的工作簿。请在 Excel“开始”选项卡的“客户生命周期”组中打开加载项，或在演示环境中用内存示例工作簿体验（npm run playground）。",
    "addin.error.title": "出错了",
    "addin.error.noOrders":
      "没有找到订单表。本工作簿中的工作表：{sheets}。请把表格或工作表命名为“订单”（Orders），或使用“客户编号”“日期”“金额”等列标题。",
    "addin.error.rightNotEmpty":
      "结果列要加在“{sheet}”工作表中表格 {table} 的右侧，但那里的单元格 {cell} 不是空的。请移走这些内容（或插入空列）后重新分析；本次没有做任何改动。",
    "addin.error.tableChanged":
      "分析期间，“{sheet}”工作表中的表格 {table} 发生了变化。请重新点击“分析”。",
    "addin.error.cancelled": "已取消。结果工作表可能不完整，完整运行一次“分析”即可。",
    "addin.error.excel": "Excel 无法完成修改（{code}）：{detail}",
    "addin.error.sampleExists": "工作表或表格“{sheet}”已存在。请新建一个空白工作簿再创建示例。",
    "addin.error.api":
      "当前 Excel 版本缺少加载项所需的功能（ExcelApi 1.8）。请更新 Office，或使用网页版 Excel。",
    "addin.warn.columnsNeedTable":
      "“{sheet}”工作表中的客户数据是普通区域，因此没有添加结果列。请转换为表格后重新分析。",
    "addin.warn.dates1904":
      "读到的最近订单日期是 {day:date}，比今天早了约四年。如果本工作簿使用 1904 日期系统（Mac 版 Excel 的文件常见），请在“设置”工作表中把日期系统改为 1904。",
    "addin.warn.datesFuture":
      "读到的最近订单日期是 {day:date}，在今天之后。如果本工作簿使用 1900 日期系统（Excel 默认），请在“设置”工作表中把日期系统改为 1900。",
    "addin.warn.noFunnel": "当前 Excel 不支持漏斗图（ExcelApi 1.9），生命周期阶段改用条形图显示。",
    "addin.command.done": "客户生命周期：已分析 {customers:int} 位客户。",
  },
});
