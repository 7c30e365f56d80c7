import { defineMessages } from "./define.js";

/**
 * User-facing text of the Excel add-in: task pane, progress, summary, errors and warnings.
 * Ribbon labels live in manifest.xml (Office reads them from there, with <Override Locale>).
 */
export const addin = defineMessages({
  en: {
    "addin.title": "Customer Lifecycle",
    "addin.card.title": "Customer card",
    "addin.card.hint":
      "Select any cell of a customer's row in Customers, Orders, Interactions or Follow-ups to see the customer's card here.",
    "addin.card.noAnalysis": "Run Analyze first: the card reads the last analysis.",
    "addin.card.notTable":
      "{sheet} row {row} is not in a Customers, Orders, Interactions or Follow-ups table of the last analysis. Select a cell in a customer's row.",
    "addin.card.noId":
      "{sheet} row {row} has no customer ID, so there is no card to show. Select a row that carries a customer ID.",
    "addin.card.unknown":
      "Customer {id} ({sheet} row {row}) is not in the last analysis. Run Analyze again to include it.",
    "addin.card.stale":
      "This analysis is older than the data: the Orders table has changed since. Run Analyze to bring the card up to date.",
    "addin.card.from": "From {sheet}, row {row}",
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
    "addin.progress.step": "Analysing, step {n:int} of {total:int}: {step}…",
    "addin.step.send": "handing the tables to the analysis",
    "addin.step.clean": "checking and cleaning the rows",
    "addin.step.score": "RFM scores, grades and Pareto",
    "addin.step.clv": "fitting the lifetime-value model",
    "addin.step.lifecycle": "lifecycle stages and follow-ups",
    "addin.step.output": "preparing the result sheets",
    "addin.step.receive": "taking the results back",
    "addin.warn.noWorker":
      "This Office could not run the analysis in the background, so the pane ran it itself and may have stopped responding for a while.",
    "addin.error.worker":
      "The background analysis stopped unexpectedly (the workbook may be too large for this device's memory). Nothing was written.",
    "addin.command.handover":
      "This workbook has {rows:int} rows to read, more than the ribbon's Analyze takes ({limit:int}), because Office stops a ribbon command five minutes after the click. Nothing was changed. Open the pane (Home › Show pane) and click Analyze there: it shows progress and can be cancelled.",
    "addin.command.outOfTime":
      "The analysis took {seconds:int} s, too long to start writing safely before Office stops the ribbon's Analyze, so nothing was written. Open the pane (Home › Show pane) and click Analyze there.",
    "addin.legacy.title": "This version of Office cannot show the add-in",
    "addin.legacy.body":
      "Office shows add-ins here with an old web view (Internet Explorer or Edge Legacy), which cannot run Customer Lifecycle. Use Excel on the web, Microsoft 365 or Office 2021 or later on Windows or Mac, or install the Microsoft Edge WebView2 Runtime and reopen the pane.",
    "addin.done": "Done in {seconds} s.",
    "addin.summary.title": "Results",
    "addin.summary.asOf": "As of {day:date}",
    "addin.summary.customers": "Customers with purchases",
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
    "addin.followups.contact": "Contact",
    "addin.followups.phone": "Phone",
    "addin.followups.overdue": "{n:int} {n|day|days} overdue",
    "addin.followups.dueIn": "Due in {n:int} {n|day|days}",
    "addin.followups.dueToday": "Due today",
    "addin.followups.click": "Click a card to select the customer's row on sheet {sheet}.",
    "addin.followups.select": "Select row {row:int} of sheet {sheet}",
    "addin.followups.notInTable": "Not in the Customers table (only in the orders)",
    "addin.followups.stale": "Long overdue, listed apart ({n:int})",
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
    "addin.error.editMode":
      "Excel is editing a cell, and it takes no change from an add-in until that ends. Press Enter or Esc in that cell, then run Analyze again; nothing was changed.",
    "addin.error.workbookProtected":
      "The workbook's structure is protected (Review › Protect Workbook), so the add-in cannot add or replace its result sheets. Unprotect it and run Analyze again; nothing was changed.",
    "addin.error.sheetProtected":
      "Sheet {sheet} is protected (Review › Unprotect Sheet), and the add-in has to write there. Unprotect it and run Analyze again; nothing was changed.",
    "addin.error.ownedHidden":
      "The add-in's sheet {sheet} is hidden. Unhide it (right-click a sheet tab › Unhide) and run Analyze again; nothing was changed.",
    "addin.error.totalsRow":
      "Table {table} on sheet {sheet} has a totals row (row {row}). The result columns are added to this table, so turn the totals row off (Table Design › Total Row) and run Analyze again; nothing was changed.",
    "addin.error.headerBlank":
      "Header cell {cell} on sheet {sheet} is empty, but the column under it holds data. Give that column a header and run Analyze again; nothing was changed.",
    "addin.error.headerDuplicate":
      "Sheet {sheet} has two columns headed “{header}” ({first} and {cell}). Rename one of them and run Analyze again; nothing was changed.",
    "addin.error.headerMerged":
      "Header cells {cell} on sheet {sheet} are merged, so the columns under them have no header of their own. Unmerge them (Home › Merge & Center), give each column a header and run Analyze again; nothing was changed.",
    "addin.error.mergedBeside":
      "Cells {cell} on sheet {sheet}, where the result columns of table {table} go, are merged. Unmerge them (or insert empty columns) and run Analyze again; nothing was changed.",
    "addin.error.midwaySheets":
      "Writing the results stopped partway ({detail}). Your own cells are unchanged, and the result sheets are as they were before this run. Run Analyze again.",
    "addin.error.midwayColumns":
      "Writing the result columns of table {table} on sheet {sheet} stopped partway ({detail}). Your own cells are unchanged and the result sheets are new, but some result columns may still hold the previous run's values. Run Analyze again.",
    "addin.warn.nameClash":
      "Sheets or columns of yours already carry the add-in's names, and they stay yours: the results were written under other names ({names}).",
    "addin.warn.ownedRenamed":
      "You renamed the add-in's sheet {was} to {sheet}; it keeps your name and is refreshed there.",
    "addin.warn.ownedDeleted": "The add-in's sheet {sheet} had been deleted; it was created again.",
    "addin.warn.ownedTypedInto":
      "The add-in's sheet {sheet} holds content it did not write (the sheet now spans {range}; the add-in wrote {wrote}). That sheet is now yours, left as it is, and the results went to {name}.",
    "addin.warn.ownedChartAdded":
      "The add-in's sheet {sheet} holds a chart it did not draw ({chart}). That sheet is now yours, left as it is, and the results went to {name}.",
    "addin.warn.funnelRejected":
      "Excel did not accept a funnel chart on sheet {sheet}; the lifecycle stages are drawn as bars there.",
    "addin.warn.ownedEdited":
      "Cells the add-in wrote on its sheet {sheet} ({range}) have been changed. That sheet is now yours, left as it is, and the results went to {name}.",
    "addin.command.done":
      "Customer Lifecycle: {customers:int} {customers|customer|customers} analysed.",
  },
  zh: {
    "addin.card.title": "客户资料卡",
    "addin.card.hint":
      "在客户、订单、联系记录或待联系表中选中某位客户所在行的任一单元格，即可在这里查看该客户的资料卡。",
    "addin.card.noAnalysis": "请先点击“分析”：资料卡读取最近一次分析的结果。",
    "addin.card.notTable":
      "{sheet} 第 {row} 行不在最近一次分析的客户、订单、联系记录或待联系表中。请选中某位客户所在行的单元格。",
    "addin.card.noId": "{sheet} 第 {row} 行没有客户编号，无法显示资料卡。请选中带有客户编号的行。",
    "addin.card.unknown":
      "客户 {id}（{sheet} 第 {row} 行）不在最近一次分析中。请重新分析以包含该客户。",
    "addin.card.stale": "此分析早于当前数据：订单表在分析后已有变动。请重新分析以更新资料卡。",
    "addin.card.from": "来自 {sheet} 第 {row} 行",
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
    "addin.progress.step": "正在分析，第 {n:int}/{total:int} 步：{step}……",
    "addin.step.send": "把表格交给分析线程",
    "addin.step.clean": "检查并清理数据行",
    "addin.step.score": "RFM 评分、分级和帕累托",
    "addin.step.clv": "拟合客户终身价值模型",
    "addin.step.lifecycle": "生命周期阶段和待联系名单",
    "addin.step.output": "准备结果工作表",
    "addin.step.receive": "取回分析结果",
    "addin.warn.noWorker":
      "当前 Office 无法在后台运行分析，已由窗格直接运行，期间窗格可能有一段时间无响应。",
    "addin.error.worker": "后台分析意外停止（工作簿可能超出本机内存）。未写入任何内容。",
    "addin.command.handover":
      "本工作簿要读取 {rows:int} 行，超过功能区“分析”按钮能处理的上限（{limit:int} 行）：Office 会在点击五分钟后停止功能区命令。本次没有做任何改动。请打开窗格（开始 › 显示窗格）并在其中点击“分析”，可查看进度并随时取消。",
    "addin.command.outOfTime":
      "分析用了 {seconds:int} 秒，已来不及在 Office 停止功能区“分析”命令之前安全写入，因此没有写入任何内容。请打开窗格（开始 › 显示窗格）并在其中点击“分析”。",
    "addin.legacy.title": "此版本的 Office 无法显示本加载项",
    "addin.legacy.body":
      "此处的 Office 使用旧的网页视图（Internet Explorer 或旧版 Edge）显示加载项，无法运行“客户生命周期”。请使用网页版 Excel、Microsoft 365 或 Office 2021 及以上版本（Windows 或 Mac），或安装 Microsoft Edge WebView2 运行时后重新打开窗格。",
    "addin.done": "完成，用时 {seconds} 秒。",
    "addin.summary.title": "分析结果",
    "addin.summary.asOf": "截至 {day:date}",
    "addin.summary.customers": "有购买的客户",
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
    "addin.followups.contact": "联系人",
    "addin.followups.phone": "电话",
    "addin.followups.overdue": "逾期 {n:int} 天",
    "addin.followups.dueIn": "{n:int} 天后到期",
    "addin.followups.dueToday": "今天到期",
    "addin.followups.click": "点击卡片，即可在“{sheet}”工作表中选中该客户所在的行。",
    "addin.followups.select": "选中“{sheet}”工作表第 {row:int} 行",
    "addin.followups.notInTable": "不在客户表中（只出现在订单里）",
    "addin.followups.stale": "久未处理，单独列出（{n:int} 位）",
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
    "addin.error.editMode":
      "Excel 正在编辑某个单元格，编辑结束前不接受加载项的任何修改。请在该单元格中按 Enter 或 Esc，然后重新点击“分析”；本次没有做任何改动。",
    "addin.error.workbookProtected":
      "工作簿结构受保护（审阅 › 保护工作簿），加载项无法添加或替换结果工作表。请取消保护后重新分析；本次没有做任何改动。",
    "addin.error.sheetProtected":
      "“{sheet}”工作表受保护（审阅 › 撤消工作表保护），而加载项需要在其中写入。请取消保护后重新分析；本次没有做任何改动。",
    "addin.error.ownedHidden":
      "加载项的工作表“{sheet}”被隐藏了。请取消隐藏（右键单击工作表标签 › 取消隐藏）后重新分析；本次没有做任何改动。",
    "addin.error.totalsRow":
      "“{sheet}”工作表中的表格 {table} 有汇总行（第 {row} 行）。结果列要添加到这个表格中，请先关闭汇总行（表设计 › 汇总行）再重新分析；本次没有做任何改动。",
    "addin.error.headerBlank":
      "“{sheet}”工作表的标题单元格 {cell} 是空的，但它下面的列有数据。请给这一列加上标题后重新分析；本次没有做任何改动。",
    "addin.error.headerDuplicate":
      "“{sheet}”工作表中有两列的标题都是“{header}”（{first} 和 {cell}）。请重命名其中一列后重新分析；本次没有做任何改动。",
    "addin.error.headerMerged":
      "“{sheet}”工作表的标题单元格 {cell} 是合并单元格，其下的各列没有各自的标题。请取消合并（开始 › 合并后居中），给每一列加上标题后重新分析；本次没有做任何改动。",
    "addin.error.mergedBeside":
      "“{sheet}”工作表中表格 {table} 的结果列要写入的单元格 {cell} 是合并单元格。请取消合并（或插入空列）后重新分析；本次没有做任何改动。",
    "addin.error.midwaySheets":
      "写入结果时中途停止（{detail}）。您自己的单元格没有改动，结果工作表仍是本次运行之前的样子。请重新点击“分析”。",
    "addin.error.midwayColumns":
      "写入“{sheet}”工作表中表格 {table} 的结果列时中途停止（{detail}）。您自己的单元格没有改动，结果工作表已是新的，但部分结果列可能仍是上一次的值。请重新点击“分析”。",
    "addin.warn.nameClash":
      "您已有与加载项同名的工作表或列，它们仍归您所有、保持不变；结果改用其他名称写入（{names}）。",
    "addin.warn.ownedRenamed":
      "您把加载项的工作表“{was}”改名为“{sheet}”；它保留您起的名字，并在其中更新结果。",
    "addin.warn.ownedDeleted": "加载项的工作表“{sheet}”已被删除，本次重新创建了它。",
    "addin.warn.ownedTypedInto":
      "加载项的工作表“{sheet}”中有不是加载项写入的内容（该表现在的范围是 {range}，加载项写入的是 {wrote}）。这张工作表从此归您所有、保持原样，结果改为写入“{name}”。",
    "addin.warn.ownedChartAdded":
      "加载项的工作表“{sheet}”中有不是加载项绘制的图表（{chart}）。这张工作表从此归您所有、保持原样，结果改为写入“{name}”。",
    "addin.warn.funnelRejected":
      "Excel 没有接受“{sheet}”工作表中的漏斗图，生命周期阶段在那里改用条形图显示。",
    "addin.warn.ownedEdited":
      "加载项在其工作表“{sheet}”中写入的单元格（{range}）被修改过。这张工作表从此归您所有、保持原样，结果改为写入“{name}”。",
    "addin.command.done": "客户生命周期：已分析 {customers:int} 位客户。",
  },
});
