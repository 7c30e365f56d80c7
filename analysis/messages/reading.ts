import { defineMessages } from "./define.js";

/**
 * User-facing text of the reading area: why a row was skipped or what was assumed
 * (数据问题 Data issues), and why an input cannot be analysed at all.
 * The cell value, row and column are shown beside the reason, so reasons don't repeat them.
 */
export const reading = defineMessages({
  en: {
    "reading.missingCustomerId": "No customer ID",
    "reading.missingDate": "No date",
    "reading.badDate": "Not a date that can be read (e.g. 2024-01-05 or 2024/1/5)",
    "reading.missingAmount": "No amount",
    "reading.badAmount": "Not an amount that can be read (e.g. 1234.50 or ¥1,234.50)",
    "reading.missingQuantity": "No quantity",
    "reading.badQuantity": "Not a quantity that can be read",
    "reading.missingUnitPrice": "No unit price",
    "reading.badUnitPrice": "Not a unit price that can be read",
    "reading.errorValue": "The cell holds an Excel error value",
    "reading.duplicateCustomer": "Customer ID already listed in row {first}; that row was kept",
    "reading.missingOrderId": "No order ID; the row was counted as an order of its own",
    "reading.unknownCustomer":
      "Customer ID not in “{table}”: analysed all the same, without a name or owner (check for a typo, or add the customer)",
    "reading.badCost": "Cost empty or unreadable; counted as 0",
    "reading.badFirstContact": "First-contact date unreadable or before 1900; left empty",
    "reading.badNextContact": "Next-contact date unreadable or before 1900; left empty",
    "reading.badYesNo": "Not a yes/no answer (use 是/否 or Y/N); left empty",
    "reading.unknownChannel":
      "Unknown channel; counted as “other” (use phone, SMS, email, visit, WeChat or QQ)",
    "reading.unknownType":
      "Unknown interaction type; counted as “other” (use follow-up, complaint, quote or deal)",
    "reading.amountTooLarge":
      "Amount beyond ±{max:int}: a typo or an overflow, so the row was left out",
    "reading.costTooLarge": "Cost beyond ±{max:int}; counted as 0",
    "reading.futureDate":
      "Date after today ({today}): taken for a typo and left out, so it does not become the as-of date (to analyse as of a later date, set the as-of date: --as-of or the Settings sheet)",
    "reading.implausibleDate": "Date before 1900 or after 9999: taken for a typo and left out",
    "reading.badEncodingId":
      "The customer ID holds characters that could not be read in the file's encoding (shown as �), so it might not match the same customer's other rows; the row was left out. Save the file as UTF-8 and run again",
    "reading.idTooLong":
      "Longer than 1,000 characters: not a customer ID (perhaps a quote that was never closed); the row was left out",
    "reading.encodingGuessed.utf-16le":
      "“{file}” has no byte order mark; read as UTF-16 (little-endian) from its zero bytes",
    "reading.encodingGuessed.utf-16be":
      "“{file}” has no byte order mark; read as UTF-16 (big-endian) from its zero bytes",
    "reading.encodingGuessed.gb18030":
      "“{file}” is not UTF-8; read as GB18030 (Chinese, as Excel in China saves CSV files). If names look wrong, save the file as UTF-8",
    "reading.encodingGuessed.windows-1252":
      "“{file}” is not UTF-8 and does not look like Chinese (GB18030); read as Windows-1252 (Western European, e.g. “Müller”). If names look wrong, save the file as UTF-8",
    "reading.invalidUtf8":
      "“{file}” is UTF-8 with {n:int} invalid {n|byte sequence|byte sequences}; they show as � (customer IDs with one are left out)",
    "reading.unclosedQuote":
      "A quote opened in this cell (line {line:int} of the file) is never closed: the {lines:int} {lines|line|lines} after it, to the end of the file, were read as part of this cell, not as rows. Close or remove the quote and run again",
    "reading.longQuote":
      "A quoted cell opened here (line {line:int} of the file) runs over {lines:int} lines: probably a quote closed only by a stray quote further down, so the lines in between were read as part of this cell, not as rows",
    "reading.decimalCommaAssumed":
      "Column “{column}”: numbers like 1.234,56 or 12,5 are written with a decimal comma; the order table's numbers were read that way",
    "reading.textTooLong":
      "Text longer than {max:int} characters (Excel's limit for a cell); only the first {max:int} were kept",
    "reading.cPrefixIgnored":
      "Every order ID starts with “C”, so the letter is taken as part of the numbering, not as a cancellation mark",
    "reading.dateOrderAssumed.mdy":
      "Column “{column}”: dates like 05/01/2024 could be month/day or day/month; read as month/day/year",
    "reading.dateOrderAssumed.dmy":
      "Column “{column}”: dates like 05/01/2024 could be month/day or day/month; read as day/month/year",
    "reading.dateOrderConflict.mdy":
      "Column “{column}” mixes month/day/year and day/month/year dates; read as month/day/year, rows that don't fit were skipped",
    "reading.dateOrderConflict.dmy":
      "Column “{column}” mixes month/day/year and day/month/year dates; read as day/month/year, rows that don't fit were skipped",

    "reading.unreadableWorkbook":
      "“{file}” cannot be opened as an Excel workbook (.xlsx): {detail}",
    "reading.emptyTable": "The order table “{table}” has no data rows.",
    "reading.noUsableRows":
      "None of the {rows:int} {rows|row|rows} of the order table “{table}” can be used. For example, row {row} column “{column}” holds “{value}”. See Data issues for every row.",
    "reading.missing.orders.customerId":
      "The order table “{table}” has no customer ID column (e.g. “Customer ID” or “客户编号”). Headers found: {found}.",
    "reading.missing.orders.date":
      "The order table “{table}” has no date column (e.g. “Date” or “日期”). Headers found: {found}.",
    "reading.missing.orders.amount":
      "The order table “{table}” has no amount column (“Amount” / “金额”), nor quantity and unit price columns. Headers found: {found}.",
    "reading.missing.orders.customerId_date":
      "The order table “{table}” has no customer ID column and no date column. Headers found: {found}.",
    "reading.missing.orders.customerId_amount":
      "The order table “{table}” has no customer ID column and no amount (or quantity and unit price) columns. Headers found: {found}.",
    "reading.missing.orders.date_amount":
      "The order table “{table}” has no date column and no amount (or quantity and unit price) columns. Headers found: {found}.",
    "reading.missing.orders.customerId_date_amount":
      "“{table}” does not look like an order table: it needs customer ID, date and amount columns (e.g. “Customer ID”, “Date”, “Amount”). Headers found: {found}.",
    "reading.missing.customers.customerId":
      "The customer table “{table}” has no customer ID column (e.g. “Customer ID” or “客户编号”). Headers found: {found}.",
    "reading.missing.interactions.customerId":
      "The interaction log “{table}” has no customer ID column. Headers found: {found}.",
    "reading.missing.interactions.date":
      "The interaction log “{table}” has no date column. Headers found: {found}.",
    "reading.missing.interactions.customerId_date":
      "The interaction log “{table}” has no customer ID column and no date column. Headers found: {found}.",
    "reading.notAWorkbook":
      "“{file}” is not an Excel workbook (.xlsx): it is not the compressed package an .xlsx is. If it is a CSV or an old .xls file, save it as .xlsx or CSV and try again.",
    "reading.damagedWorkbook":
      "“{file}” is damaged and cannot be read as an Excel workbook (.xlsx). Open it in Excel and save it again.",
    "reading.damagedWorkbookPart":
      "“{file}” is damaged: its part “{part}” cannot be decompressed. Open it in Excel and save it again.",
    "reading.workbookTooLarge":
      "“{file}” is larger than {limit} MB once decompressed (an .xlsx is a compressed package), more than this tool reads from a workbook. Nothing was read. Save the orders as CSV and analyse that file.",
    "reading.workbookPartTooLarge":
      "“{file}”: its part “{part}” is larger than {limit} MB once decompressed, more than this tool reads from one part of a workbook. Nothing was read. Save the orders as CSV and analyse that file.",
    "reading.badSharedString":
      "“{file}”, sheet “{sheet}”, cell {cell}: the cell refers to entry {index} of the workbook's list of texts, which has {count} {count|entry|entries}. The file is damaged: open it in Excel and save it again.",
    "reading.badTableRef":
      "“{file}”, sheet “{sheet}”: the table “{table}” covers “{ref}”, which is not a range of cells. The file is damaged: open it in Excel and save it again.",
    "reading.xlsx.cellShortened":
      "Sheet “{sheet}”, cell {cell}: the text has {length:int} characters; Excel holds at most 32,767 in a cell, so it was shortened to 32,767",
    "reading.xlsx.rowsLeftOut":
      "Only the first {shown:int} of {total:int} rows are on this sheet: Excel holds at most 1,048,576 rows in a sheet. Every row is in {file}.",
    "reading.xlsx.rowsLeftOutWarning":
      "Sheet “{sheet}” of analysis.xlsx shows the first {shown:int} of {total:int} rows (Excel's limit is 1,048,576 rows); every row is in {file}.",
    "reading.xlsx.sheetNameClash":
      "Sheets of yours in the input workbook carry the names of result sheets; they are kept as they are in analysis.xlsx, and the results went under other names ({names}).",
    "reading.xlsx.columnNameClash":
      "Columns of yours in the Customers table carry the names of result columns; they are kept as they are in analysis.xlsx, and the results went under other names ({names}).",
  },
  zh: {
    "reading.missingCustomerId": "缺少客户编号",
    "reading.missingDate": "缺少日期",
    "reading.badDate": "日期无法识别（可写作 2024-01-05 或 2024/1/5）",
    "reading.missingAmount": "缺少金额",
    "reading.badAmount": "金额无法识别（可写作 1234.50 或 ¥1,234.50）",
    "reading.missingQuantity": "缺少数量",
    "reading.badQuantity": "数量无法识别",
    "reading.missingUnitPrice": "缺少单价",
    "reading.badUnitPrice": "单价无法识别",
    "reading.errorValue": "单元格是 Excel 错误值",
    "reading.duplicateCustomer": "客户编号与第 {first} 行重复，已保留第 {first} 行",
    "reading.missingOrderId": "缺少订单号，此行按单独一笔订单计算",
    "reading.unknownCustomer":
      "客户编号不在“{table}”中：照常分析，但没有名称和负责人（请检查是否输错，或补充该客户）",
    "reading.badCost": "成本为空或无法识别，按 0 计算",
    "reading.badFirstContact": "首次接触日期无法识别或早于 1900 年，已留空",
    "reading.badNextContact": "下次联系日期无法识别或早于 1900 年，已留空",
    "reading.badYesNo": "无法识别为“是/否”（请填 是/否 或 Y/N），已留空",
    "reading.unknownChannel":
      "无法识别的联系方式，按“其他”计（可填 电话、短信、邮件、拜访、微信、QQ）",
    "reading.unknownType": "无法识别的联系类型，按“其他”计（可填 跟进、投诉、报价、商机）",
    "reading.amountTooLarge": "金额超出 ±{max:int}，应为笔误或溢出，此行未计入",
    "reading.costTooLarge": "成本超出 ±{max:int}，按 0 计算",
    "reading.futureDate":
      "日期晚于今天（{today}），视为笔误，此行未计入，以免它成为分析基准日（如需按更晚的日期分析，请设置分析基准日：--as-of 或“设置”表）",
    "reading.implausibleDate": "日期早于 1900 年或晚于 9999 年，视为笔误，此行未计入",
    "reading.badEncodingId":
      "客户编号中有按文件编码无法识别的字符（显示为 �），可能与该客户其他行的编号对不上，此行未计入。请将文件另存为 UTF-8 后重新运行",
    "reading.idTooLong": "超过 1,000 个字符，不是客户编号（可能有未闭合的引号），此行未计入",
    "reading.encodingGuessed.utf-16le":
      "“{file}”没有字节顺序标记（BOM），根据其中的零字节按 UTF-16（小端）读取",
    "reading.encodingGuessed.utf-16be":
      "“{file}”没有字节顺序标记（BOM），根据其中的零字节按 UTF-16（大端）读取",
    "reading.encodingGuessed.gb18030":
      "“{file}”不是 UTF-8 编码，已按 GB18030（中文 Excel 保存 CSV 时使用的编码）读取。如名称显示不正确，请将文件另存为 UTF-8",
    "reading.encodingGuessed.windows-1252":
      "“{file}”不是 UTF-8 编码，也不像中文（GB18030），已按 Windows-1252（西欧文字，如“Müller”）读取。如名称显示不正确，请将文件另存为 UTF-8",
    "reading.invalidUtf8":
      "“{file}”是 UTF-8 编码，但有 {n:int} 处无效字节，显示为 �（含有这类字符的客户编号所在行未计入）",
    "reading.unclosedQuote":
      "此单元格（文件第 {line:int} 行）中的引号没有闭合：其后直到文件末尾的 {lines:int} 行都被读成了这个单元格的内容，而不是数据行。请补上或删除该引号后重新运行",
    "reading.longQuote":
      "此处（文件第 {line:int} 行）开始的带引号单元格跨越了 {lines:int} 行：很可能引号只被下方某个多余的引号闭合，中间各行被读成了这个单元格的内容，而不是数据行",
    "reading.decimalCommaAssumed":
      "“{column}”列中的数字（如 1.234,56 或 12,5）以逗号作小数点，订单表中的数字已按此读取",
    "reading.textTooLong":
      "文字超过 {max:int} 个字符（Excel 单元格的上限），只保留了前 {max:int} 个字符",
    "reading.cPrefixIgnored": "所有订单号都以“C”开头，因此把“C”视为编号的一部分，而不是退单标记",
    "reading.dateOrderAssumed.mdy":
      "“{column}”列中像 05/01/2024 这样的日期无法判断是月/日还是日/月，已按“月/日/年”读取",
    "reading.dateOrderAssumed.dmy":
      "“{column}”列中像 05/01/2024 这样的日期无法判断是月/日还是日/月，已按“日/月/年”读取",
    "reading.dateOrderConflict.mdy":
      "“{column}”列同时出现“月/日/年”和“日/月/年”两种写法，已按“月/日/年”读取，不符合的行已跳过",
    "reading.dateOrderConflict.dmy":
      "“{column}”列同时出现“月/日/年”和“日/月/年”两种写法，已按“日/月/年”读取，不符合的行已跳过",

    "reading.unreadableWorkbook": "无法以 Excel 工作簿（.xlsx）打开“{file}”：{detail}",
    "reading.emptyTable": "订单表“{table}”中没有数据行。",
    "reading.noUsableRows":
      "订单表“{table}”的 {rows:int} 行数据都无法使用，例如第 {row} 行“{column}”列的值为“{value}”。每一行的原因见“数据问题”。",
    "reading.missing.orders.customerId":
      "订单表“{table}”中找不到客户编号列（如“客户编号”或“Customer ID”）。现有表头：{found}。",
    "reading.missing.orders.date":
      "订单表“{table}”中找不到日期列（如“日期”或“订单日期”）。现有表头：{found}。",
    "reading.missing.orders.amount":
      "订单表“{table}”中找不到金额列（“金额”），也没有“数量”和“单价”列。现有表头：{found}。",
    "reading.missing.orders.customerId_date":
      "订单表“{table}”中找不到客户编号列和日期列。现有表头：{found}。",
    "reading.missing.orders.customerId_amount":
      "订单表“{table}”中找不到客户编号列和金额列（或“数量”“单价”列）。现有表头：{found}。",
    "reading.missing.orders.date_amount":
      "订单表“{table}”中找不到日期列和金额列（或“数量”“单价”列）。现有表头：{found}。",
    "reading.missing.orders.customerId_date_amount":
      "“{table}”看起来不是订单表：需要客户编号、日期和金额列（如“客户编号”“日期”“金额”）。现有表头：{found}。",
    "reading.missing.customers.customerId":
      "客户表“{table}”中找不到客户编号列（如“客户编号”或“Customer ID”）。现有表头：{found}。",
    "reading.missing.interactions.customerId":
      "联系记录表“{table}”中找不到客户编号列。现有表头：{found}。",
    "reading.missing.interactions.date": "联系记录表“{table}”中找不到日期列。现有表头：{found}。",
    "reading.missing.interactions.customerId_date":
      "联系记录表“{table}”中找不到客户编号列和日期列。现有表头：{found}。",
    "reading.notAWorkbook":
      "“{file}”不是 Excel 工作簿（.xlsx）：它不是 .xlsx 所用的压缩包格式。如果它是 CSV 或旧版 .xls 文件，请另存为 .xlsx 或 CSV 后再试。",
    "reading.damagedWorkbook":
      "“{file}”已损坏，无法作为 Excel 工作簿（.xlsx）读取。请用 Excel 打开并重新保存。",
    "reading.damagedWorkbookPart":
      "“{file}”已损坏：其中的部件“{part}”无法解压。请用 Excel 打开并重新保存。",
    "reading.workbookTooLarge":
      "“{file}”解压后超过 {limit} MB（.xlsx 是压缩包），超出本工具读取工作簿的上限，未读取任何内容。请将订单另存为 CSV，再分析该文件。",
    "reading.workbookPartTooLarge":
      "“{file}”：其中的部件“{part}”解压后超过 {limit} MB，超出本工具读取工作簿单个部件的上限，未读取任何内容。请将订单另存为 CSV，再分析该文件。",
    "reading.badSharedString":
      "“{file}”的工作表“{sheet}”单元格 {cell}：该单元格引用工作簿文本列表的第 {index} 项，但列表只有 {count} 项。文件已损坏，请用 Excel 打开并重新保存。",
    "reading.badTableRef":
      "“{file}”的工作表“{sheet}”：表格“{table}”的范围“{ref}”不是有效的单元格区域。文件已损坏，请用 Excel 打开并重新保存。",
    "reading.xlsx.cellShortened":
      "工作表“{sheet}”单元格 {cell}：文本有 {length:int} 个字符，Excel 每个单元格最多 32,767 个字符，已截短为 32,767 个",
    "reading.xlsx.rowsLeftOut":
      "本表只列出 {total:int} 行中的前 {shown:int} 行：Excel 每张工作表最多 1,048,576 行。所有行都在 {file} 中。",
    "reading.xlsx.rowsLeftOutWarning":
      "analysis.xlsx 的工作表“{sheet}”只列出 {total:int} 行中的前 {shown:int} 行（Excel 上限为 1,048,576 行）；所有行都在 {file} 中。",
    "reading.xlsx.sheetNameClash":
      "输入工作簿中有您自己的工作表与结果工作表同名；它们在 analysis.xlsx 中原样保留，结果改用其他名称写入（{names}）。",
    "reading.xlsx.columnNameClash":
      "客户表中有您自己的列与结果列同名；它们在 analysis.xlsx 中原样保留，结果改用其他名称写入（{names}）。",
  },
});
