import { defineMessages } from "./define.js";

/**
 * User-facing text of the database sources (issue 19 §3): `crm analyze postgres://…` with
 * --table or --query, `crm analyze --summary FILE` and `crm sql`. `{where}` is the server as
 * "host:port" or "the socket in /folder (port n)", never with a password.
 */
export const postgres = defineMessages({
  en: {
    "postgres.error.badUrl":
      "“{url}” is not a PostgreSQL connection URL: write postgres://user@host:port/database (or postgres:///database?host=/socket/folder).",
    "postgres.error.noSource":
      'A database input needs --table NAME or --query "SELECT …" to say where the orders are.',
    "postgres.error.bothSources": "Give either --table or --query, not both.",
    "postgres.error.sourceWithoutDatabase":
      "--table and --query are for a database input (postgres://…); “{input}” is a file.",
    "postgres.error.unreachable":
      "Cannot reach the PostgreSQL server at {where}: {reason}. Check that it runs and accepts connections there (host, port, firewall).",
    "postgres.error.timeout":
      "The PostgreSQL server at {where} did not answer within {seconds:int} {seconds|second|seconds}. Check the host and port, and that a firewall lets the connection through.",
    "postgres.error.auth":
      "The PostgreSQL server at {where} refused the login of user “{user}”: {reason}. Check the user name and password (the password is not shown here).",
    "postgres.error.noDatabase":
      "The PostgreSQL server at {where} has no database “{database}”: {reason}.",
    "postgres.error.connect": "Cannot connect to the PostgreSQL server at {where}: {reason}.",
    "postgres.error.noTable":
      "There is no table or view “{table}” in the database “{database}” at {where}. Tables there: {tables}.",
    "postgres.error.query":
      "The query could not be run in the database “{database}” at {where}: {reason}.",
    "postgres.error.lost":
      "The connection to the PostgreSQL server at {where} was lost while it was working: {reason}.",
    "postgres.error.noRows":
      "Nothing to analyse: {source} in the database “{database}” returned no rows.",
    "postgres.error.wrongType":
      "Column “{column}” of {source} is of type {type}, but the {role} must be {expected}. Cast it in a query, e.g. --query 'SELECT …, CAST({quoted} AS {cast}) AS {alias} FROM …'.",
    "postgres.error.multipleStatements":
      "--query must be one statement: the server refused a text of several statements (separated by “;”) and ran none of them. Give a single SELECT.",
    "postgres.error.needPassword":
      "The PostgreSQL server at {where} asks for a password for user “{user}”, and none was given: put it in the URL (postgres://{user}:PASSWORD@…), in the PGPASSWORD environment variable, or in ~/.pgpass (or the file PGPASSFILE names).",
    "postgres.error.timeZone":
      "PGTZ is “{zone}”, which the PostgreSQL server at {where} does not know as a time zone: set it to a zone such as UTC or Europe/Berlin (SELECT name FROM pg_timezone_names lists them), or unset it to use the server's.",
    "postgres.error.noSsl":
      "The PostgreSQL server at {where} does not offer SSL, but the URL asks for sslmode={mode}: use sslmode=prefer to fall back to an unencrypted connection, or enable SSL on the server.",
    "postgres.error.sslVerify":
      "The certificate of the PostgreSQL server at {where} could not be verified (sslmode={mode}): {reason}. Give the CA that signed it with sslrootcert=FILE, or use sslmode=require to encrypt without verifying.",
    "postgres.error.sslMode": "sslmode “{mode}” is not one of {allowed}.",
    "postgres.error.sslFile": "The {name} file “{file}” of the URL cannot be read: {reason}.",
    "postgres.error.lockedTable":
      "The table “{table}” is locked by another session of the database “{database}” at {where}: crm waited {seconds:int} {seconds|second|seconds} for it. Try again when that session has finished (pg_locks and pg_stat_activity show which one holds it).",
    "postgres.error.lockedQuery":
      "A table the query reads is locked by another session of the database “{database}” at {where}: crm waited {seconds:int} {seconds|second|seconds} for it. Try again when that session has finished (pg_locks and pg_stat_activity show which one holds it).",
    "postgres.error.interrupted":
      "Stopped by {signal}: the query running on the PostgreSQL server at {where} was cancelled.",
    "postgres.source.table": "the table “{table}”",
    "postgres.source.query": "the query",
    "postgres.role.customerId": "customer ID",
    "postgres.role.orderId": "order ID",
    "postgres.role.date": "order date",
    "postgres.role.amount": "amount",
    "postgres.role.quantity": "quantity",
    "postgres.role.unitPrice": "unit price",
    "postgres.role.cost": "cost",
    "postgres.expected.date": "a date, a timestamp, or text such as 2024-01-05 or 20240105",
    "postgres.expected.number":
      "a number (integer, numeric, real, double precision) or text such as 1234.50",
    "postgres.expected.text": "text or a number",
    "postgres.progress.connecting": "Connecting to PostgreSQL at {where}",
    "postgres.progress.aggregating":
      "Aggregating {source} inside the database (no order rows are fetched)",
    "postgres.progress.received": "Received {customers:int} customers’ summaries from the database",
    "summary.error.noFile": "Summary file not found: {file}.",
    "summary.error.notFile":
      "{file} is neither a file nor a folder: give the summary's .parquet or .csv file, or the folder of its parts.",
    "summary.error.duplicateParts":
      "Customer “{id}” is listed twice, in “{firstFile}” row {first:int} and in “{file}” row {row:int}; a summary has one row per customer.",
    "summary.error.format":
      "“{file}” cannot be read as a per-customer summary: use a .parquet or .csv file.",
    "summary.error.unreadable": "“{file}” cannot be read: {reason}.",
    "summary.error.missingColumns":
      "“{file}” lacks the summary column(s) {missing}. A per-customer summary has the columns of `crm sql` ({expected}). Columns found: {found}.",
    "summary.error.noRows": "“{file}” holds no customers.",
    "summary.error.badValue":
      "“{file}”, row {row:int}, column “{column}”: “{value}” is not {expected}.",
    "summary.error.duplicate":
      "“{file}”: customer “{id}” is listed twice (rows {first:int} and {row:int}); a summary has one row per customer.",
    "summary.error.needsAsOf":
      "--summary needs --as-of YYYY-MM-DD: the same as-of date the summary was computed at (the one given to crm sql).",
    "summary.error.withInput":
      "--summary replaces the orders input: give either an orders file or database, or --summary FILE.",
    "summary.expected.integer": "a whole number of 0 or more",
    "summary.expected.text": "a customer ID",
    "summary.expected.number": "a number within ±10^18",
    "summary.expected.day":
      "a date from 1900-01-01 to 9999-12-31 (YYYY-MM-DD, or its day number counted from 1970-01-01)",
    "summary.error.inconsistent":
      "“{file}”, row {row:int} (customer “{id}”): {what}. A summary made by crm sql never has this: was it computed at another --as-of date, or edited?",
    "summary.rule.afterAsOf": "{column} {value} is after the as-of date {asOf}",
    "summary.rule.pair": "{given} is given but {empty} is empty",
    "summary.rule.order": "{a} {av} is after {b} {bv}",
    "summary.rule.txDays":
      "tx_days is {n:int}, which does not fit the days from tx_first_day {first} to tx_last_day {last}",
    "summary.rule.same": "{a} {av} differs from {b} {bv}",
    "summary.rule.noTxDays":
      "tx_days is 0, yet there is a purchase on or before the as-of date {asOf} (first_purchase, tx_first_day or tx_last_day)",
    "summary.rule.negative":
      "{column} is {value}, below zero: it sums purchases, and a negative amount is a cancellation",
    "summary.rule.firstSpend":
      "tx_first_spend {first} is more than tx_total {total}, which includes it",
    "summary.progress.reading": "Reading the per-customer summary {file}",
    "sql.error.dialect": "--dialect takes {allowed}, not “{value}”.",
    "sql.error.args":
      "sql takes no file: crm sql --dialect postgres --table orders --as-of YYYY-MM-DD.",
    "sql.error.needsAsOf":
      "crm sql needs --as-of YYYY-MM-DD: the SQL computes the summary at that date, and --summary must be given the same one.",
    "sql.error.kind": "Column “{column}”: “{kind}” is not a kind of column; use one of {allowed}.",
    "sql.header": `The per-customer order summary of crm (issue 19), {dialect} SQL, as of {asOf},
lifecycle window {window} days. Columns: {columns}.
Run it where the orders are, save the result as Parquet or CSV (one file, or a folder of
parts as Spark writes), then:
  crm analyze --summary customers_summary.parquet --as-of {asOf}
An order ID "C" + digit counts as a cancellation here (in memory, when every order ID has
the prefix, it is a numbering scheme instead).`,
    "postgres.help": `Databases and warehouses:
  crm analyze postgres://user@host:5432/db --table orders   (or --query "SELECT …")
                               the orders are aggregated inside PostgreSQL; only one row per
                               customer comes back (Unix socket: postgres:///db?host=/run/postgresql)
  crm analyze --summary FILE --as-of YYYY-MM-DD
                               run on a per-customer summary made by crm sql (.parquet or
                               .csv, or a folder of its parts)
  crm sql --dialect postgres|duckdb --table orders --as-of YYYY-MM-DD [--columns LIST]
                               print that SQL (columns "name[:kind],…"; or give postgres://…
                               to take them from the table)`,
  },
  zh: {
    "postgres.error.badUrl":
      "“{url}”不是 PostgreSQL 连接地址：请写成 postgres://用户@主机:端口/数据库（或 postgres:///数据库?host=/套接字目录）。",
    "postgres.error.noSource": '数据库输入需要 --table 表名 或 --query "SELECT …" 指明订单所在。',
    "postgres.error.bothSources": "--table 与 --query 只能给一个。",
    "postgres.error.sourceWithoutDatabase":
      "--table 和 --query 用于数据库输入（postgres://…）；“{input}”是文件。",
    "postgres.error.unreachable":
      "无法连接到 {where} 的 PostgreSQL 服务器：{reason}。请确认服务器在运行并在该地址接受连接（主机、端口、防火墙）。",
    "postgres.error.timeout":
      "{where} 的 PostgreSQL 服务器在 {seconds:int} 秒内没有应答。请检查主机和端口，以及防火墙是否放行。",
    "postgres.error.auth":
      "{where} 的 PostgreSQL 服务器拒绝了用户“{user}”的登录：{reason}。请检查用户名和密码（此处不显示密码）。",
    "postgres.error.noDatabase": "{where} 的 PostgreSQL 服务器上没有数据库“{database}”：{reason}。",
    "postgres.error.connect": "无法连接到 {where} 的 PostgreSQL 服务器：{reason}。",
    "postgres.error.noTable":
      "{where} 的数据库“{database}”中没有表或视图“{table}”。现有的表：{tables}。",
    "postgres.error.query": "查询无法在 {where} 的数据库“{database}”中执行：{reason}。",
    "postgres.error.lost": "与 {where} 的 PostgreSQL 服务器的连接在处理中断开：{reason}。",
    "postgres.error.noRows": "数据库“{database}”中{source}没有返回任何行：没有可分析的订单。",
    "postgres.error.wrongType":
      "{source}的列“{column}”类型为 {type}，而{role}必须是{expected}。请在查询中转换，例如 --query 'SELECT …, CAST({quoted} AS {cast}) AS {alias} FROM …'。",
    "postgres.error.multipleStatements":
      "--query 只能是一条语句：服务器拒绝了由“;”分隔的多条语句，一条也没有执行。请只给出一条 SELECT。",
    "postgres.error.needPassword":
      "{where} 的 PostgreSQL 服务器要求用户“{user}”提供密码，但没有给出：请写在连接地址中（postgres://{user}:密码@…），或设置环境变量 PGPASSWORD，或写入 ~/.pgpass（或 PGPASSFILE 指定的文件）。",
    "postgres.error.timeZone":
      "PGTZ 为“{zone}”，{where} 的 PostgreSQL 服务器不认识这个时区：请设为 UTC、Asia/Shanghai 这样的时区（SELECT name FROM pg_timezone_names 可列出全部），或取消设置以使用服务器的时区。",
    "postgres.error.noSsl":
      "{where} 的 PostgreSQL 服务器不提供 SSL，而连接地址要求 sslmode={mode}：可改用 sslmode=prefer（不支持时退回未加密连接），或在服务器上启用 SSL。",
    "postgres.error.sslVerify":
      "无法验证 {where} 的 PostgreSQL 服务器的证书（sslmode={mode}）：{reason}。请用 sslrootcert=文件 指定签发它的 CA，或改用 sslmode=require（加密但不验证证书）。",
    "postgres.error.sslMode": "sslmode“{mode}”无效，可选 {allowed}。",
    "postgres.error.sslFile": "无法读取连接地址中的 {name} 文件“{file}”：{reason}。",
    "postgres.error.lockedTable":
      "表“{table}”被 {where} 的数据库“{database}”中的另一个会话锁定：crm 等待了 {seconds:int} 秒。请在该会话结束后重试（pg_locks 和 pg_stat_activity 可查看是哪个会话持有锁）。",
    "postgres.error.lockedQuery":
      "查询读取的某个表被 {where} 的数据库“{database}”中的另一个会话锁定：crm 等待了 {seconds:int} 秒。请在该会话结束后重试（pg_locks 和 pg_stat_activity 可查看是哪个会话持有锁）。",
    "postgres.error.interrupted":
      "已被 {signal} 中止：{where} 的 PostgreSQL 服务器上正在运行的查询已取消。",
    "postgres.source.table": "表“{table}”",
    "postgres.source.query": "查询",
    "postgres.role.customerId": "客户编号",
    "postgres.role.orderId": "订单号",
    "postgres.role.date": "订单日期",
    "postgres.role.amount": "金额",
    "postgres.role.quantity": "数量",
    "postgres.role.unitPrice": "单价",
    "postgres.role.cost": "成本",
    "postgres.expected.date": "日期、时间戳，或 2024-01-05、20240105 这样的文本",
    "postgres.expected.number":
      "数值（integer、numeric、real、double precision）或 1234.50 这样的文本",
    "postgres.expected.text": "文本或数值",
    "postgres.progress.connecting": "正在连接 {where} 的 PostgreSQL",
    "postgres.progress.aggregating": "正在数据库内汇总{source}（不取回订单行）",
    "postgres.progress.received": "已从数据库收到 {customers:int} 位客户的汇总",
    "summary.error.noFile": "找不到汇总文件：{file}。",
    "summary.error.notFile":
      "{file} 既不是文件也不是文件夹：请给出汇总的 .parquet 或 .csv 文件，或存放其各部分的文件夹。",
    "summary.error.duplicateParts":
      "客户“{id}”出现了两次：“{firstFile}”第 {first:int} 行和“{file}”第 {row:int} 行；汇总中每位客户只能有一行。",
    "summary.error.format": "“{file}”无法作为每客户汇总读取：请使用 .parquet 或 .csv 文件。",
    "summary.error.unreadable": "无法读取“{file}”：{reason}。",
    "summary.error.missingColumns":
      "“{file}”缺少汇总列 {missing}。每客户汇总应有 `crm sql` 输出的列（{expected}）。现有列：{found}。",
    "summary.error.noRows": "“{file}”中没有客户。",
    "summary.error.badValue": "“{file}”第 {row:int} 行“{column}”列：“{value}”不是{expected}。",
    "summary.error.duplicate":
      "“{file}”：客户“{id}”出现了两次（第 {first:int} 行和第 {row:int} 行）；汇总中每位客户只能有一行。",
    "summary.error.needsAsOf":
      "--summary 需要 --as-of YYYY-MM-DD：即计算汇总时所用的截止日期（传给 crm sql 的那个）。",
    "summary.error.withInput":
      "--summary 代替订单输入：请给出订单文件或数据库，或者 --summary 文件，二者选一。",
    "summary.expected.integer": "非负整数",
    "summary.expected.text": "客户编号",
    "summary.expected.number": "±10^18 以内的数值",
    "summary.expected.day":
      "1900-01-01 至 9999-12-31 之间的日期（YYYY-MM-DD，或自 1970-01-01 起的天数）",
    "summary.error.inconsistent":
      "“{file}”第 {row:int} 行（客户“{id}”）：{what}。crm sql 生成的汇总不会这样：是否用了另一个 --as-of 日期计算，或被改动过？",
    "summary.rule.afterAsOf": "{column} 为 {value}，晚于截止日期 {asOf}",
    "summary.rule.pair": "有 {given}，却没有 {empty}",
    "summary.rule.order": "{a}（{av}）晚于 {b}（{bv}）",
    "summary.rule.txDays":
      "tx_days 为 {n:int}，与 tx_first_day {first} 至 tx_last_day {last} 之间的天数不符",
    "summary.rule.same": "{a}（{av}）与 {b}（{bv}）不一致",
    "summary.rule.noTxDays":
      "tx_days 为 0，但截止日期 {asOf} 当天或之前有购买（first_purchase、tx_first_day 或 tx_last_day）",
    "summary.rule.negative": "{column} 为 {value}，小于零：它是购买金额之和，负金额属于退单",
    "summary.rule.firstSpend": "tx_first_spend（{first}）大于包含它的 tx_total（{total}）",
    "summary.progress.reading": "正在读取每客户汇总 {file}",
    "sql.error.dialect": "--dialect 可选 {allowed}，不是“{value}”。",
    "sql.error.args":
      "sql 不接受文件参数：crm sql --dialect postgres --table orders --as-of YYYY-MM-DD。",
    "sql.error.needsAsOf":
      "crm sql 需要 --as-of YYYY-MM-DD：SQL 按该日期计算汇总，--summary 时也须给出同一日期。",
    "sql.error.kind": "列“{column}”：“{kind}”不是列的类型；请用 {allowed} 之一。",
    "sql.header": `crm 的每客户订单汇总（issue 19），{dialect} SQL，截止日期 {asOf}，
生命周期窗口 {window} 天。列：{columns}。
在订单所在处运行，把结果存为 Parquet 或 CSV（一个文件，或像 Spark 那样存为分块文件夹），然后：
  crm analyze --summary customers_summary.parquet --as-of {asOf}
此处订单号以“C”加数字开头即为退单（内存读取时，若所有订单号都有此前缀，则视为编号规则）。`,
    "postgres.help": `数据库与数据仓库：
  crm analyze postgres://用户@主机:5432/数据库 --table orders   （或 --query "SELECT …"）
                               订单在 PostgreSQL 内汇总，只取回每位客户一行
                               （Unix 套接字：postgres:///数据库?host=/run/postgresql）
  crm analyze --summary 文件 --as-of YYYY-MM-DD
                               在 crm sql 生成的每客户汇总（.parquet 或 .csv 文件，
                               或其分块所在的文件夹）上分析
  crm sql --dialect postgres|duckdb --table orders --as-of YYYY-MM-DD [--columns 列表]
                               打印该 SQL（列写作 "名称[:类型],…"；或给出 postgres://… 从表中读取）`,
  },
});
