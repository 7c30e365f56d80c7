import { defineMessages } from "./define.js";

/**
 * User-facing text of the DuckDB engine (issue 19 §2): `crm analyze orders.parquet`,
 * `crm analyze big.csv --engine duckdb|memory|auto`, its progress lines and its errors.
 */
export const engine = defineMessages({
  en: {
    "engine.help": `Big files (DuckDB, optional package @duckdb/node-api):
  crm analyze orders.parquet [options]   Parquet is always read by DuckDB (a file, or a
                               folder of Parquet parts, as Spark writes a table)
  --engine auto|duckdb|memory  who reads a CSV's orders (default auto: DuckDB above 1 GB,
                               unless the file is one only the in-memory reader reads right)`,
    "engine.error.missing.csv":
      "Reading “{file}” with DuckDB needs the npm package @duckdb/node-api, which is not installed. Install it in the program's folder with: npm install @duckdb/node-api — or read the CSV in memory with --engine memory.",
    "engine.error.missing.parquet":
      "Reading the Parquet file “{file}” needs DuckDB, the npm package @duckdb/node-api, which is not installed. Install it in the program's folder with: npm install @duckdb/node-api",
    "engine.error.engine": "--engine must be duckdb, memory or auto (got “{value}”).",
    "engine.error.memory":
      "DuckDB ran out of memory reading “{file}” at its limit of {limit}. Give it more with the environment variable CRM_DUCKDB_MEMORY (for example CRM_DUCKDB_MEMORY=16GB), up to what this computer can spare, and run again.",
    "engine.error.parquetInMemory":
      "“{file}” is Parquet: only the DuckDB engine reads Parquet (leave out --engine memory).",
    "engine.error.wrongType.customerId":
      "Column “{column}” of “{table}” is of type {type}, which cannot be read as a customer ID: it needs text or whole numbers.",
    "engine.error.wrongType.orderId":
      "Column “{column}” of “{table}” is of type {type}, which cannot be read as an order ID: it needs text or whole numbers.",
    "engine.error.wrongType.date":
      "Column “{column}” of “{table}” is of type {type}, which cannot be read as a date: it needs dates, timestamps, or text such as 2024-01-05 or 20240105.",
    "engine.error.wrongType.amount":
      "Column “{column}” of “{table}” is of type {type}, which cannot be read as an amount: it needs numbers, or text such as 1234.50.",
    "engine.error.wrongType.quantity":
      "Column “{column}” of “{table}” is of type {type}, which cannot be read as a quantity: it needs numbers, or text such as 12.",
    "engine.error.wrongType.unitPrice":
      "Column “{column}” of “{table}” is of type {type}, which cannot be read as a unit price: it needs numbers, or text such as 19.90.",
    "engine.error.wrongType.cost":
      "Column “{column}” of “{table}” is of type {type}, which cannot be read as a cost: it needs numbers, or text such as 1234.50.",
    "engine.error.read": "DuckDB could not read “{file}”: {detail}",
    "engine.error.noUsableRows":
      "None of the {rows:int} {rows|row|rows} of the order table “{table}” can be used. For example, row {row} column “{column}” holds “{value}”. Read by DuckDB or a database, dates must be dates, timestamps or text such as 2024-01-05, 2024/1/5 or 20240105, and amounts numbers or text such as 1234.50 or 1,234.50 (no currency signs, 年月日 or full-width digits): convert such a column where the data are made. See Data issues for every row.",
    "engine.error.damaged":
      "DuckDB could not read “{file}” to the end: {detail}. The file looks damaged (cut short, or changed while it was being written): write it again from where it came from.",
    "engine.error.memorySetting":
      "The environment variable CRM_DUCKDB_MEMORY is “{value}”, which is no amount of memory: give one such as 4GB or 1500MB.",
    "engine.error.rowNumberColumn":
      "“{file}” has a column named “{column}”, a name DuckDB gives what it numbers a Parquet file’s rows by, so it cannot read this file with them. Rename that column where the file is made, and run again.",
    "engine.error.oneColumn":
      "DuckDB read “{file}” as a single column (“{column}”): no separator splits all its lines alike: some rows have more or fewer fields than the header, or a quote is left open. The in-memory reader reads such files and lists the odd rows: run again with --engine memory.",
    "engine.error.readCsv":
      "DuckDB could not read “{file}”: {detail}. The in-memory reader may read it: run again with --engine memory.",
    "engine.moreRows":
      "{n:int} more {n|row|rows} like the {shown:int} above, not listed one by one",
    "engine.reason.badAmount":
      "Not an amount the SQL reads (e.g. 1234.50 or 1,234.50, without a currency sign)",
    "engine.progress.duckdb": "Reading {file} with DuckDB",
    "engine.progress.auto":
      "{file} is {size} (over {limit}): reading it with DuckDB (--engine memory reads it in memory)",
    "engine.progress.autoMemory":
      "{file} is {size} (over {limit}) but stays on the in-memory reader",
    "engine.why.encoding": "it is not UTF-8 text (the in-memory reader tells GBK and UTF-16)",
    "engine.why.value":
      "row {row} column “{column}” holds “{value}”, which only the in-memory reader reads",
    "engine.why.headers": "DuckDB reads its header line differently ({found})",
    "engine.why.unreadable": "DuckDB cannot read it ({detail})",
    "parts.error.otherFile":
      "The folder {folder} holds “{file}”, which is neither a .parquet nor a .csv file. A folder is read as one table in parts, each of its files a part (names starting with _ or . excepted), and a table missing a part would be wrong: move “{file}” out, or unpack it.",
    "parts.error.subfolder":
      "The folder {folder} holds a folder, “{file}”. A folder is read as one table of part files; a table split into folders (such as day=2024-01-01) is not read, lest a folder be left out. Write the table out as plain Parquet parts, or give one of its folders.",
    "parts.error.emptyFolder":
      "The folder {folder} holds no .parquet or .csv file to read as a table in parts (names starting with _ or . are the writer’s own and are not read): give a file, or a folder of parts.",
    "parts.error.mixedFolder":
      "The folder {folder} holds both Parquet and CSV files (“{parquet}”, “{csv}”): the parts of one table are of one kind.",
    "parts.error.tableFormat":
      "The folder {folder} holds a table in the {format} format (it has {marker}). Such a folder also keeps the files of the table's earlier versions, so reading every file would count rows twice, or rows since deleted. Write the table's current version out as plain Parquet and give that.",
    "parts.error.columns":
      "“{file}” has the columns {found}, unlike “{first}” ({expected}): the parts of one table have the same columns.",
    "parts.error.outInFolder":
      "--out {out} is inside the input folder {folder}, whose every file is read as a part: choose an output folder outside it.",
    "parts.error.kinds":
      "“{file}” holds column “{column}” as {type}, but “{first}” holds it as {firstType}: the parts of one table hold each column as the same kind of value (text, whole numbers, decimals, dates or timestamps), or they would not be read alike. Write the parts again with one type for that column.",
    "parts.error.historyInFolder":
      "--history {file} is inside the input folder {folder}, whose every file is read as a part: keep the history file outside it.",
    "parts.error.csvOrders":
      "The folder {folder} holds CSV files: a folder of orders is read as one table only when its parts are Parquet (as Spark writes them). Give one CSV file, or the parts as Parquet.",
  },
  zh: {
    "engine.help": `大文件（DuckDB，可选包 @duckdb/node-api）：
  crm analyze orders.parquet [选项]      Parquet 总是由 DuckDB 读取（一个文件，或像 Spark
                               那样存放 Parquet 分块的文件夹）
  --engine auto|duckdb|memory  由谁读取 CSV 的订单（默认 auto：超过 1 GB 用 DuckDB，
                               除非该文件只有内存读取器能正确读取）`,
    "engine.error.missing.csv":
      "用 DuckDB 读取“{file}”需要 npm 包 @duckdb/node-api，但它没有安装。请在程序所在文件夹运行：npm install @duckdb/node-api；或用 --engine memory 在内存中读取该 CSV。",
    "engine.error.missing.parquet":
      "读取 Parquet 文件“{file}”需要 DuckDB（npm 包 @duckdb/node-api），但它没有安装。请在程序所在文件夹运行：npm install @duckdb/node-api",
    "engine.error.engine": "--engine 只能是 duckdb、memory 或 auto（收到的是“{value}”）。",
    "engine.error.memory":
      "DuckDB 读取“{file}”时用完了内存（上限 {limit}）。请用环境变量 CRM_DUCKDB_MEMORY 给它更多内存（例如 CRM_DUCKDB_MEMORY=16GB，以本机能腾出的为限），再运行一次。",
    "engine.error.parquetInMemory":
      "“{file}”是 Parquet 格式：只有 DuckDB 引擎能读取 Parquet（请去掉 --engine memory）。",
    "engine.error.wrongType.customerId":
      "“{table}”的列“{column}”类型为 {type}，不能作为客户编号读取：客户编号应为文本或整数。",
    "engine.error.wrongType.orderId":
      "“{table}”的列“{column}”类型为 {type}，不能作为订单号读取：订单号应为文本或整数。",
    "engine.error.wrongType.date":
      "“{table}”的列“{column}”类型为 {type}，不能作为日期读取：日期应为日期、时间戳，或 2024-01-05、20240105 这样的文本。",
    "engine.error.wrongType.amount":
      "“{table}”的列“{column}”类型为 {type}，不能作为金额读取：金额应为数字，或 1234.50 这样的文本。",
    "engine.error.wrongType.quantity":
      "“{table}”的列“{column}”类型为 {type}，不能作为数量读取：数量应为数字，或 12 这样的文本。",
    "engine.error.wrongType.unitPrice":
      "“{table}”的列“{column}”类型为 {type}，不能作为单价读取：单价应为数字，或 19.90 这样的文本。",
    "engine.error.wrongType.cost":
      "“{table}”的列“{column}”类型为 {type}，不能作为成本读取：成本应为数字，或 1234.50 这样的文本。",
    "engine.error.read": "DuckDB 无法读取“{file}”：{detail}",
    "engine.error.noUsableRows":
      "订单表“{table}”的 {rows:int} 行数据都无法使用，例如第 {row} 行“{column}”列的值为“{value}”。由 DuckDB 或数据库读取时，日期须为日期、时间戳，或 2024-01-05、2024/1/5、20240105 这样的文本；金额须为数字，或 1234.50、1,234.50 这样的文本（不能带货币符号、年月日或全角数字）：请在数据生成处转换该列。每一行的原因见“数据问题”。",
    "engine.error.damaged":
      "DuckDB 无法完整读取“{file}”：{detail}。文件似乎已损坏（被截断，或在写入过程中被改动）：请从原处重新导出。",
    "engine.error.memorySetting":
      "环境变量 CRM_DUCKDB_MEMORY 的值“{value}”不是内存大小：请写成 4GB 或 1500MB 这样的形式。",
    "engine.error.rowNumberColumn":
      "“{file}”有一列名为“{column}”，DuckDB 读取 Parquet 时用这个名字给行编号，因此无法带行号读取此文件。请在生成该文件的地方给这一列改名，再运行一次。",
    "engine.error.oneColumn":
      "DuckDB 把“{file}”读成了一列（“{column}”）：没有一种分隔符能把所有行一致地分开：有些行的字段比表头多或少，或者有未闭合的引号。内存读取器能读取这类文件并列出这些行：请加上 --engine memory 再运行。",
    "engine.error.readCsv":
      "DuckDB 无法读取“{file}”：{detail}。内存读取器或许可以：请加上 --engine memory 再运行。",
    "engine.moreRows": "另有 {n:int} 行与上面 {shown:int} 行同因，未逐行列出",
    "engine.reason.badAmount":
      "金额无法识别（SQL 读取 1234.50 或 1,234.50 这样的写法，不带货币符号）",
    "engine.progress.duckdb": "正在用 DuckDB 读取 {file}",
    "engine.progress.auto":
      "{file} 大小为 {size}（超过 {limit}）：改用 DuckDB 读取（--engine memory 可在内存中读取）",
    "engine.progress.autoMemory": "{file} 大小为 {size}（超过 {limit}），但仍在内存中读取",
    "engine.why.encoding": "它不是 UTF-8 文本（内存读取器能识别 GBK 和 UTF-16）",
    "engine.why.value": "第 {row} 行“{column}”列的值“{value}”只有内存读取器能读",
    "engine.why.headers": "DuckDB 读出的表头不同（{found}）",
    "engine.why.unreadable": "DuckDB 无法读取它（{detail}）",
    "parts.error.otherFile":
      "文件夹 {folder} 中有“{file}”，它既不是 .parquet 也不是 .csv 文件。文件夹作为一张分块的表读取，其中每个文件都是一部分（以 _ 或 . 开头的除外），缺了一部分的表是错的：请把“{file}”移出，或先解压。",
    "parts.error.subfolder":
      "文件夹 {folder} 中有一个文件夹“{file}”。文件夹作为由分块文件组成的一张表读取；按文件夹分区的表（如 day=2024-01-01）不读取，以免漏掉其中某个文件夹。请把表写成普通的 Parquet 分块，或给出其中一个文件夹。",
    "parts.error.emptyFolder":
      "文件夹 {folder} 中没有可作为分块表读取的 .parquet 或 .csv 文件（以 _ 或 . 开头的是写入程序自己的文件，不读取）：请给出一个文件，或存放各部分的文件夹。",
    "parts.error.mixedFolder":
      "文件夹 {folder} 中既有 Parquet 文件也有 CSV 文件（“{parquet}”、“{csv}”）：同一张表的各部分应为同一种格式。",
    "parts.error.tableFormat":
      "文件夹 {folder} 中是一张 {format} 格式的表（其中有 {marker}）。这种文件夹还保留着表的旧版本文件，读取其中所有文件会把行算两次，或算进已删除的行。请把表的当前版本另存为普通 Parquet 再给出。",
    "parts.error.columns":
      "“{file}”的列为 {found}，与“{first}”的列（{expected}）不同：同一张表的各部分应有相同的列。",
    "parts.error.outInFolder":
      "--out {out} 位于输入文件夹 {folder} 之内，而该文件夹中的每个文件都会作为一部分读取：请选择文件夹之外的输出位置。",
    "parts.error.kinds":
      "“{file}”中的列“{column}”为 {type}，而“{first}”中为 {firstType}：同一张表的各部分中，每一列应为同一种值（文本、整数、小数、日期或时间戳），否则无法以同样方式读取。请以统一的列类型重新写出各部分。",
    "parts.error.historyInFolder":
      "--history {file} 位于输入文件夹 {folder} 之内，而该文件夹中的每个文件都会作为一部分读取：请把历史文件放在文件夹之外。",
    "parts.error.csvOrders":
      "文件夹 {folder} 中是 CSV 文件：订单文件夹只有在各部分为 Parquet（如 Spark 所写）时才作为一张表读取。请给出一个 CSV 文件，或把各部分存为 Parquet。",
  },
});
