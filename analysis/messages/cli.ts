import { defineMessages } from "./define.js";

/** User-facing text of the `crm` command line. */
export const cli = defineMessages({
  en: {
    "cli.help": `crm — customer lifecycle analysis for Excel workbooks and CSV files

Usage:
  crm analyze <workbook.xlsx | orders.csv> [options]
  crm demo [--out DIR] [--lang zh|en]        analyse the bundled sample workbook
  crm sample <file.xlsx> [--lang zh|en]      write the sample workbook

Options:
  --customers <file|sheet>     Customers table: a file, or a sheet of the input workbook
  --interactions <file|sheet>  Interactions table (联系记录), likewise
  --as-of YYYY-MM-DD           analyse as of this date (default: the latest order date);
                               later orders are left out and used for the CLV holdout check
  --out DIR                    output folder (default ./crm-report)
  --lang zh|en                 language of the report and messages (default: from LANG)
  --outputs csv,json,xlsx,html which files to write (default: all; csv brings data-issues.csv)
  --history FILE               stage history CSV: read if present, this run's snapshot appended
  --model six|four             lifecycle model: six stages (default) or four (Dwyer et al.)
  -q, --quiet                  no progress lines on stderr
  -h, --help                   this text

Writes customers.csv, data-issues.csv, summary.json, analysis.xlsx and report.html.
Exit codes: 0 success, 1 unusable input, 2 bad arguments.`,
    "cli.seeHelp": "Run `crm --help` for usage.",
    "cli.error.lang": "--lang takes zh or en, not “{value}”.",
    "cli.error.outputs": "--outputs takes a comma-separated list of {allowed}, not “{value}”.",
    "cli.error.asOf": "--as-of takes a date as YYYY-MM-DD, not “{value}”.",
    "cli.error.model": "--model takes six or four, not “{value}”.",
    "cli.error.analyzeArgs":
      "analyze takes exactly one input file (a workbook .xlsx or an orders .csv).",
    "cli.error.sampleArgs":
      "sample takes exactly one output file name, e.g. crm sample sample.xlsx.",
    "cli.error.extra": "Unexpected arguments: {args}.",
    "cli.error.command": "Unknown command “{command}”: use analyze, demo or sample.",
    "cli.error.noInput": "Input file not found: {file}.",
    "cli.error.noOrders":
      "No orders table found in {file}: name a table or sheet “Orders” / “订单”, or give it a header row with customer ID, date and amount.",
    "cli.error.noTable": "“{ref}” is neither a file nor a sheet of the input workbook.",
    "cli.error.emptyWorkbook": "{file} has no table with data.",
    "cli.error.file": "Cannot read or write a file: {detail}",
    "cli.error.unexpected": "Unexpected error (please report it): {detail}",
    "cli.progress.reading": "reading {file}…",
    "cli.progress.analysing": "analysing…",
    "cli.progress.writing": "writing to {dir}…",
    "cli.sample.written": "Sample workbook written: {file}",
    "cli.done":
      "Analysed {n:int} {n|customer|customers} ({issues:int} data {issues|issue|issues}). Files in {dir}:",
    "cli.openReport": "Open the report: {url}",
  },
  zh: {
    "cli.help": `crm — 基于 Excel 工作簿和 CSV 文件的客户生命周期分析

用法:
  crm analyze <工作簿.xlsx | 订单.csv> [选项]
  crm demo [--out 目录] [--lang zh|en]       分析自带的示例工作簿
  crm sample <文件.xlsx> [--lang zh|en]      生成示例工作簿

选项:
  --customers <文件|工作表>    客户表:单独的文件,或输入工作簿中的工作表
  --interactions <文件|工作表> 联系记录表,同上
  --as-of YYYY-MM-DD           分析截止日(默认:最近一笔订单的日期);
                               之后的订单不参与分析,用于终身价值模型的验证
  --out 目录                   输出目录(默认 ./crm-report)
  --lang zh|en                 报告和提示的语言(默认取自 LANG 环境变量)
  --outputs csv,json,xlsx,html 要生成的文件(默认全部;csv 包含 data-issues.csv)
  --history 文件               阶段历史 CSV:存在则读取,并追加本次快照
  --model six|four             生命周期模型:六阶段(默认)或四阶段(Dwyer 等)
  -q, --quiet                  不在 stderr 输出进度
  -h, --help                   显示本说明

生成 customers.csv、data-issues.csv、summary.json、analysis.xlsx 和 report.html。
退出码:0 成功,1 输入无法使用,2 参数错误。`,
    "cli.seeHelp": "运行 `crm --help` 查看用法。",
    "cli.error.lang": "--lang 只能是 zh 或 en，而不是“{value}”。",
    "cli.error.outputs": "--outputs 应为逗号分隔的 {allowed}，而不是“{value}”。",
    "cli.error.asOf": "--as-of 应为 YYYY-MM-DD 格式的日期，而不是“{value}”。",
    "cli.error.model": "--model 只能是 six 或 four，而不是“{value}”。",
    "cli.error.analyzeArgs": "analyze 需要且只需要一个输入文件（工作簿 .xlsx 或订单 .csv）。",
    "cli.error.sampleArgs": "sample 需要且只需要一个输出文件名，例如 crm sample sample.xlsx。",
    "cli.error.extra": "多余的参数：{args}。",
    "cli.error.command": "未知命令“{command}”：请使用 analyze、demo 或 sample。",
    "cli.error.noInput": "找不到输入文件：{file}。",
    "cli.error.noOrders":
      "{file} 中没有找到订单表：请将表或工作表命名为“订单”/“Orders”，或确保表头包含客户编号、日期和金额。",
    "cli.error.noTable": "“{ref}”既不是文件，也不是输入工作簿中的工作表。",
    "cli.error.emptyWorkbook": "{file} 中没有含数据的表。",
    "cli.error.file": "无法读取或写入文件：{detail}",
    "cli.error.unexpected": "意外错误（请反馈）：{detail}",
    "cli.progress.reading": "正在读取 {file}…",
    "cli.progress.analysing": "正在分析…",
    "cli.progress.writing": "正在写入 {dir}…",
    "cli.sample.written": "已生成示例工作簿：{file}",
    "cli.done": "已分析 {n:int} 位客户（数据问题 {issues:int} 条）。文件位于 {dir}：",
    "cli.openReport": "打开报告：{url}",
  },
});
