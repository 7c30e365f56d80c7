import { defineMessages } from "./define.js";

/** User-facing text of the `crm` command line. */
export const cli = defineMessages({
  en: {
    "cli.help": `crm — customer lifecycle analysis for Excel workbooks and CSV files

Usage:
  crm analyze <workbook.xlsx | orders.csv | -> [options]   (- reads a CSV from standard input)
  crm demo [--out DIR] [--lang zh|en]        analyse the bundled sample workbook
  crm sample <file.xlsx> [--lang zh|en]      write the sample workbook
  crm cards <workbook.xlsx | orders.csv> [--owner NAME] [--date YYYY-MM-DD] [options]
                                             print today's customer cards to cards.html

Options:
  --customers <file|sheet>     Customers table: a file, or a sheet of the input workbook
  --interactions <file|sheet>  Interactions table (联系记录), likewise
  --as-of YYYY-MM-DD           analyse as of this date (default: the latest order date up to
                               today); later orders are left out and used for the CLV holdout
  --decimal ,|.                decimal comma or point in CSV numbers (default: point, and a
                               comma when most amounts read only with one, e.g. 1.234,56)
  --out DIR                    output folder (default ./crm-report)
  --lang zh|en                 language of the report and messages (default: from LANG)
  --outputs csv,json,xlsx,html which files to write (default: all; csv brings data-issues.csv)
  --history FILE               stage history CSV: read if present, this run's snapshot added
                               (created when missing; any other kind of file is refused)
  --model six|four             lifecycle model: six stages (default) or four (Dwyer et al.)
  --owner NAME                 cards: only this account manager's customers
  --date YYYY-MM-DD            cards: customers due on or before this day (default: as-of date)
  -q, --quiet                  no progress lines on stderr
  -h, --help                   this text

analyze writes customers.csv, owners.csv, data-issues.csv, summary.json, analysis.xlsx and
report.html; cards writes cards.html (it reads --history, never writes it).
Exit codes: 0 success, 1 unusable input, 2 bad arguments.`,
    "cli.seeHelp": "Run `crm --help` for usage.",
    "cli.error.lang": "--lang takes zh or en, not “{value}”.",
    "cli.error.outputs": "--outputs takes a comma-separated list of {allowed}, not “{value}”.",
    "cli.error.asOf": "--as-of takes a date as YYYY-MM-DD, not “{value}”.",
    "cli.error.model": "--model takes six or four, not “{value}”.",
    "cli.error.decimal": "--decimal takes , (decimal comma) or . (decimal point), not “{value}”.",
    "cli.error.analyzeArgs":
      "analyze takes exactly one input file (a workbook .xlsx or an orders .csv).",
    "cli.error.sampleArgs":
      "sample takes exactly one output file name, e.g. crm sample sample.xlsx.",
    "cli.error.extra": "Unexpected arguments: {args}.",
    "cli.error.command": "Unknown command “{command}”: use analyze, demo or sample.",
    "cli.error.noInput": "Input file not found: {file}.",
    "cli.error.parquetStream":
      "This is a Parquet file, which can be read from a file only, not from standard input or a pipe: save it as a file and give its path.",
    "cli.error.noOrders":
      "No orders table found in {file}: name a table or sheet “Orders” / “订单”, or give it a header row with customer ID, date and amount. Headers found: {seen}.",
    "cli.error.noTable": "“{ref}” is neither a file nor a sheet of the input workbook.",
    "cli.error.parquetTable":
      "“{file}” is a Parquet file: --customers and --interactions take a workbook (.xlsx) or a CSV file.",
    "cli.error.emptyWorkbook": "{file} has no table with data.",
    "cli.error.file": "Cannot read or write a file: {detail}",
    "cli.error.unexpected": "Unexpected error (please report it): {detail}",
    "cli.error.clash":
      "Refusing to write {output}: it is the input {input}. Nothing was written: choose another --out folder (or --history file).",
    "cli.error.outNotFolder": "--out {dir} is a file, not a folder. Nothing was written.",
    "cli.error.notHistory":
      "--history {file} is not a stage history, so it was left as it is: expected a CSV with the columns as_of, customer_id, stage, grade (or 日期, 客户编号, 阶段, 等级), found {found}.",
    "cli.history.found.workbook":
      "an Excel workbook (--history takes a CSV file, created when missing)",
    "cli.history.found.binary": "binary data, or text that is not UTF-8",
    "cli.history.found.headers": "the columns {headers}",
    "cli.history.found.noHeader": "no header row",
    "cli.error.lockHeld":
      "{file} is being updated by another run (process {pid} on {host}, since {since}). Nothing was written: try again when it has finished, or delete {lock} if no such run is going on.",
    "cli.error.lockHeldUnknown":
      "{file} is being updated by another run (lock file {lock}). Nothing was written: try again when it has finished, or delete the lock file if no such run is going on.",
    "cli.progress.waitLock": "waiting for another run (process {pid}) to finish with {file}…",
    "cli.history.badDate":
      "Snapshot date cannot be read; row left out of the comparison and kept in the history file as it is",
    "cli.history.noCustomer":
      "Snapshot row has no customer ID; row left out of the comparison and kept in the history file as it is",
    "cli.history.badStage":
      "“{value}” is not a stage name; row left out of the comparison and kept in the history file as it is",
    "cli.error.fs": "{path}: {problem}.",
    "cli.error.fsNoPath": "A file could not be read or written: {problem}.",
    "cli.fs.ENOENT": "no such file or folder",
    "cli.fs.EACCES": "permission denied",
    "cli.fs.EPERM": "operation not permitted",
    "cli.fs.EISDIR": "it is a folder, not a file",
    "cli.fs.ENOTDIR": "a part of the path is a file, not a folder",
    "cli.fs.EEXIST": "a file of that name is in the way",
    "cli.fs.EROFS": "the file system is read-only",
    "cli.fs.ENOSPC": "the disk is full (nothing was replaced)",
    "cli.fs.EDQUOT": "the disk quota is used up (nothing was replaced)",
    "cli.fs.EMFILE": "too many files open",
    "cli.fs.EBUSY": "the file is in use by another program",
    "cli.fs.ENAMETOOLONG": "the name is too long",
    "cli.fs.ELOOP": "too many symbolic links",
    "cli.fs.EIO": "the disk reported an input/output error",
    "cli.fs.EFBIG": "the file is too large for this file system",
    "cli.fs.ETXTBSY": "the file is in use by another program",
    "cli.fs.other": "file system error {code}",
    "cli.error.internal":
      "Unexpected error (please report it, with the output of the same command run with CRM_DEBUG=1): {detail}",
    "cli.stdin": "standard input",
    "cli.error.stdinEmpty": "Nothing came on standard input: pipe a CSV file into `crm analyze -`.",
    "cli.progress.reading": "reading {file}…",
    "cli.progress.analysing": "analysing…",
    "cli.progress.writing": "writing to {dir}…",
    "cli.sample.written": "Sample workbook written: {file}",
    "cli.done":
      "Analysed {n:int} {n|customer|customers}: {buyers:int} with purchases, {prospects:int} {prospects|prospect|prospects} ({issues:int} data {issues|issue|issues}). Files in {dir}:",
    "cli.openReport": "Open the report: {url}",
  },
  zh: {
    "cli.help": `crm — 基于 Excel 工作簿和 CSV 文件的客户生命周期分析

用法:
  crm analyze <工作簿.xlsx | 订单.csv | -> [选项]   （- 表示从标准输入读取 CSV）
  crm demo [--out 目录] [--lang zh|en]       分析自带的示例工作簿
  crm sample <文件.xlsx> [--lang zh|en]      生成示例工作簿
  crm cards <工作簿.xlsx | 订单.csv> [--owner 姓名] [--date YYYY-MM-DD] [选项]
                                             把今日客户资料卡写入 cards.html

选项:
  --customers <文件|工作表>    客户表:单独的文件,或输入工作簿中的工作表
  --interactions <文件|工作表> 联系记录表,同上
  --as-of YYYY-MM-DD           分析截止日(默认:今天及之前最近一笔订单的日期);
                               之后的订单不参与分析,用于终身价值模型的验证
  --decimal ,|.                CSV 数字的小数点是逗号还是句点(默认句点;多数金额只能
                               按逗号读取时,如 1.234,56,自动改用逗号)
  --out 目录                   输出目录(默认 ./crm-report)
  --lang zh|en                 报告和提示的语言(默认取自 LANG 环境变量)
  --outputs csv,json,xlsx,html 要生成的文件(默认全部;csv 包含 data-issues.csv)
  --history 文件               阶段历史 CSV:存在则读取,并加入本次快照
                               (不存在时创建;其他类型的文件会被拒绝)
  --model six|four             生命周期模型:六阶段(默认)或四阶段(Dwyer 等)
  --owner 姓名                 cards:只打印这位客户经理的客户
  --date YYYY-MM-DD            cards:下次联系在该日或之前的客户(默认:分析截止日)
  -q, --quiet                  不在 stderr 输出进度
  -h, --help                   显示本说明

analyze 生成 customers.csv、owners.csv、data-issues.csv、summary.json、analysis.xlsx 和
report.html;cards 生成 cards.html(只读取 --history,不写入)。
退出码:0 成功,1 输入无法使用,2 参数错误。`,
    "cli.seeHelp": "运行 `crm --help` 查看用法。",
    "cli.error.lang": "--lang 只能是 zh 或 en，而不是“{value}”。",
    "cli.error.outputs": "--outputs 应为逗号分隔的 {allowed}，而不是“{value}”。",
    "cli.error.asOf": "--as-of 应为 YYYY-MM-DD 格式的日期，而不是“{value}”。",
    "cli.error.model": "--model 只能是 six 或 four，而不是“{value}”。",
    "cli.error.decimal": "--decimal 只能是 ,（小数逗号）或 .（小数点），而不是“{value}”。",
    "cli.error.analyzeArgs": "analyze 需要且只需要一个输入文件（工作簿 .xlsx 或订单 .csv）。",
    "cli.error.sampleArgs": "sample 需要且只需要一个输出文件名，例如 crm sample sample.xlsx。",
    "cli.error.extra": "多余的参数：{args}。",
    "cli.error.command": "未知命令“{command}”：请使用 analyze、demo 或 sample。",
    "cli.error.noInput": "找不到输入文件：{file}。",
    "cli.error.parquetStream":
      "这是一个 Parquet 文件，只能从文件读取，不能从标准输入或管道读取：请先存为文件，再给出其路径。",
    "cli.error.noOrders":
      "{file} 中没有找到订单表：请将表或工作表命名为“订单”/“Orders”，或确保表头包含客户编号、日期和金额。现有表头：{seen}。",
    "cli.error.noTable": "“{ref}”既不是文件，也不是输入工作簿中的工作表。",
    "cli.error.parquetTable":
      "“{file}”是 Parquet 文件：--customers 和 --interactions 只接受工作簿（.xlsx）或 CSV 文件。",
    "cli.error.emptyWorkbook": "{file} 中没有含数据的表。",
    "cli.error.file": "无法读取或写入文件：{detail}",
    "cli.error.unexpected": "意外错误（请反馈）：{detail}",
    "cli.error.clash":
      "拒绝写入 {output}：它就是输入文件 {input}。未写入任何文件：请另选 --out 目录（或 --history 文件）。",
    "cli.error.outNotFolder": "--out {dir} 是一个文件，而不是目录。未写入任何文件。",
    "cli.error.notHistory":
      "--history {file} 不是阶段历史文件，已保持原样：应为包含 日期、客户编号、阶段、等级（或 as_of、customer_id、stage、grade）列的 CSV，实际为{found}。",
    "cli.history.found.workbook": "Excel 工作簿（--history 需要 CSV 文件，不存在时会自动创建）",
    "cli.history.found.binary": "二进制数据或非 UTF-8 编码的文本",
    "cli.history.found.headers": "以下列：{headers}",
    "cli.history.found.noHeader": "没有表头行的文件",
    "cli.error.lockHeld":
      "{file} 正在被另一次运行更新（{host} 上的进程 {pid}，开始于 {since}）。未写入任何文件：请等其结束后重试；如确认没有这样的运行，可删除 {lock}。",
    "cli.error.lockHeldUnknown":
      "{file} 正在被另一次运行更新（锁文件 {lock}）。未写入任何文件：请等其结束后重试；如确认没有这样的运行，可删除该锁文件。",
    "cli.progress.waitLock": "正在等待另一次运行（进程 {pid}）完成对 {file} 的写入…",
    "cli.history.badDate": "快照日期无法识别；该行不参与对比，并原样保留在历史文件中",
    "cli.history.noCustomer": "快照行缺少客户编号；该行不参与对比，并原样保留在历史文件中",
    "cli.history.badStage": "“{value}”不是阶段名称；该行不参与对比，并原样保留在历史文件中",
    "cli.error.fs": "{path}：{problem}。",
    "cli.error.fsNoPath": "无法读取或写入文件：{problem}。",
    "cli.fs.ENOENT": "文件或目录不存在",
    "cli.fs.EACCES": "没有权限",
    "cli.fs.EPERM": "不允许此操作",
    "cli.fs.EISDIR": "这是一个目录，而不是文件",
    "cli.fs.ENOTDIR": "路径中的某一部分是文件，而不是目录",
    "cli.fs.EEXIST": "已有同名文件挡住了路径",
    "cli.fs.EROFS": "文件系统为只读",
    "cli.fs.ENOSPC": "磁盘已满（未替换任何文件）",
    "cli.fs.EDQUOT": "磁盘配额已用完（未替换任何文件）",
    "cli.fs.EMFILE": "打开的文件过多",
    "cli.fs.EBUSY": "文件正被其他程序使用",
    "cli.fs.ENAMETOOLONG": "名称过长",
    "cli.fs.ELOOP": "符号链接层数过多",
    "cli.fs.EIO": "磁盘报告输入/输出错误",
    "cli.fs.EFBIG": "文件超出此文件系统允许的大小",
    "cli.fs.ETXTBSY": "文件正被其他程序使用",
    "cli.fs.other": "文件系统错误 {code}",
    "cli.error.internal":
      "意外错误（请反馈，并附上设置 CRM_DEBUG=1 后运行同一命令的输出）：{detail}",
    "cli.stdin": "标准输入",
    "cli.error.stdinEmpty": "标准输入没有内容：请将 CSV 文件通过管道传给 `crm analyze -`。",
    "cli.progress.reading": "正在读取 {file}…",
    "cli.progress.analysing": "正在分析…",
    "cli.progress.writing": "正在写入 {dir}…",
    "cli.sample.written": "已生成示例工作簿：{file}",
    "cli.done":
      "已分析 {n:int} 位客户：有购买的 {buyers:int} 位，潜在客户 {prospects:int} 位（数据问题 {issues:int} 条）。文件位于 {dir}：",
    "cli.openReport": "打开报告：{url}",
  },
});
