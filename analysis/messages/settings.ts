import { defineMessages } from "./define.js";

/**
 * User-facing text of the Settings sheet (设置): column headers, one explanation per
 * parameter (settings-sheet.ts SETTING_ROWS) and the reasons of settings issues.
 */
export const settings = defineMessages({
  en: {
    "settings.col.key": "Setting",
    "settings.col.value": "Value",
    "settings.col.explain": "Explanation",

    "settings.asOf":
      "As-of date (YYYY-MM-DD). Empty = the date of the latest usable row; rows after it are left out of the analysis",
    "settings.dateSystem":
      "Excel date system: 1900, or 1904 for some old Mac workbooks (Excel's API cannot read this flag)",
    "settings.dateOrder":
      "How to read slash dates with the year last (05/01/2024): auto = decide per column, mdy = month/day/year, dmy = day/month/year",
    "settings.dateOrderFallback": "Order used when auto cannot decide a column: mdy or dmy",
    "settings.decimalComma":
      'Read a comma as the decimal separator ("1 234,50"): yes only for workbooks in a European format',
    "settings.currency": "Currency symbol used in reports and reasons",
    "settings.value":
      "Value used for ABC grades, the pyramid and Pareto: auto = profit when there is a Cost column, else revenue; monetary = revenue; profit = profit (needs Cost)",
    "settings.abc.basis":
      "ABC cut-offs measure: value = cumulative share of value (Pareto), count = share of customers ranked by value (e.g. top 10% are A)",
    "settings.abc.a":
      "A: customers before the cumulative value share reaches this (the one that crosses it is A too); with basis count, the top this share of customers",
    "settings.abc.b":
      "B: the next customers until the cumulative share (of value, or of customers with basis count) reaches this; the rest are C, zero or negative value is D",
    "settings.scorecard.revenue":
      "Scorecard weight of revenue (weights should add up to 1; 0 = criterion not used)",
    "settings.scorecard.frequency": "Scorecard weight of purchase frequency (number of orders)",
    "settings.scorecard.tenure":
      "Scorecard weight of years of relationship (since the first purchase)",
    "settings.scorecard.growth":
      "Scorecard weight of growth (recent revenue against the window before)",
    "settings.scorecard.recency":
      "Scorecard weight of recency (days since the last purchase; sooner is better)",
    "settings.scorecard.profit": "Scorecard weight of profit (needs a Cost column)",
    "settings.scorecard.cutoff.A": "Scorecard total (0–100) at or above which a customer is A",
    "settings.scorecard.cutoff.B": "Scorecard total at or above which a customer is B",
    "settings.scorecard.cutoff.C": "Scorecard total at or above which a customer is C; below it, D",
    "settings.pyramid.platinum":
      "Customer pyramid: the top share of customers by value that is platinum (1% = 0.01)",
    "settings.pyramid.gold": "Cumulative share up to which customers are gold (default top 5%)",
    "settings.pyramid.iron":
      "Cumulative share up to which customers are iron (default top 20%); the rest are lead",
    "settings.segment":
      "RFM segment {n}: name|Chinese name|R range|F range|M range (scores 1–5, e.g. 4-5); the first matching row wins",
    "settings.grade.reviewDays": "Grade {grade}: review the customer card every this many days",
    "settings.grade.callDays": "Grade {grade}: call every this many days",
    "settings.grade.visitDays": "Grade {grade}: visit every this many days",
    "settings.grade.strategy": "Grade {grade}: strategy text; empty = the built-in text",
    "settings.grade.credit": "Grade {grade}: credit policy; empty = the built-in text",
    "settings.lifecycle.model":
      "Lifecycle model: six = six stages (potential … termination), four = Dwyer, Schurr & Oh (exploration, formation, stability, dissolution)",
    "settings.lifecycle.windowDays":
      "Comparison window W in days: revenue of the last W days against the W days before decides growth or decline",
    "settings.lifecycle.terminatedDays": "No purchase for more than this many days → termination",
    "settings.lifecycle.developmentDays": "First purchase within this many days → development",
    "settings.lifecycle.declineRatio":
      "Revenue of the last W days below this share of the W days before → decline (0.8 = down more than 20%)",
    "settings.lifecycle.growthRatio":
      "Revenue of the last W days above this multiple of the W days before → growth (1.2 = up more than 20%)",
    "settings.lifecycle.overdueGapFactor":
      "Days since the last purchase above this multiple of the customer's typical (median) gap → decline",
    "settings.lifecycle.pAliveTerminated": "P(alive) from the CLV model below this → termination",
    "settings.lifecycle.pAliveDecline": "P(alive) below this → decline",
    "settings.lifecycle.dormantDays":
      "Customers with no purchase for more than this many days, not terminated, are listed as dormant",
    "settings.clv.enabled":
      "Compute customer lifetime value (BG/NBD and Gamma-Gamma models): yes or no",
    "settings.clv.horizonMonths": "CLV horizon in months",
    "settings.clv.monthlyDiscount": "Monthly discount rate (0.01 = 1% a month)",
    "settings.clv.margin": "Margin on revenue used when there is no Cost column",
    "settings.followup.declineFactor":
      "Contact cadence of declining customers is multiplied by this (0.5 = halved)",
    "settings.followup.openDealDays": "Open deal: at most this many days between contacts",
    "settings.followup.closingDays": "Deal about to sign: contact every this many days",
    "settings.followup.complaintDays": "A complaint needs a response within this many days",
    "settings.followup.deliveryEvery": "Long-term customers: contact at least every n-th delivery",
    "settings.followup.dueSoonDays":
      'Contacts due within this many days are listed as "due this week"',
    "settings.followup.staleDays":
      "Contacts overdue by more than this many days are listed apart as stale",
    "settings.followup.callWindows":
      "Best call windows, local time, separated by commas, e.g. 10:30-11:30, 15:00-18:00",

    "settings.issue.empty": "empty; the default {default} is used",
    "settings.issue.notNumber": "not a number; the default {default} is used",
    "settings.issue.notInteger":
      "should be a whole number of at least 1; the default {default} is used",
    "settings.issue.range": "should be {range}; the default {default} is used",
    "settings.issue.notDate": "not a date (write YYYY-MM-DD); the default {default} is used",
    "settings.issue.notBool": "should be yes or no; the default {default} is used",
    "settings.issue.option": "should be one of {options}; the default {default} is used",
    "settings.issue.windows":
      "call windows should look like 10:30-11:30, 15:00-18:00 (start before end, within the day); the default {default} is used",
    "settings.issue.order": "{keys} must hold; the defaults of these settings are used",
    "settings.issue.weightsNormalised":
      "scorecard weights add up to {sum}, not 1; they were scaled to add up to 1",
    "settings.issue.weightsZero": "no scorecard weight above 0; the default criteria are used",
    "settings.issue.segment":
      "a segment row should read name|Chinese name|R|F|M, e.g. Champions|冠军客户|4-5|4-5|4-5; this row is left out",
    "settings.issue.segmentRange":
      "segment score ranges must lie within 1–5 with the lower bound first; this row is left out",
    "settings.issue.noSegments": "no usable segment row; the default segment table is used",
    "settings.issue.unknownKey": "unknown setting; ignored",
    "settings.issue.duplicate": "setting listed twice; the first one (row {row}) is used",
    "settings.issue.noColumns":
      "the Settings sheet has no Setting and Value columns (found: {headers}); all defaults are used",
  },
  zh: {
    "settings.col.key": "参数",
    "settings.col.value": "值",
    "settings.col.explain": "说明",

    "settings.asOf":
      "分析基准日（YYYY-MM-DD）；留空 = 取数据中最新一行的日期，此日之后的行不计入分析",
    "settings.dateSystem":
      "Excel 日期系统：1900，或 1904（部分旧版 Mac 工作簿使用；Excel 接口读不到此标志）",
    "settings.dateOrder":
      "年份在后的斜杠日期（如 05/01/2024）如何理解：auto = 按列自动判断，mdy = 月/日/年，dmy = 日/月/年",
    "settings.dateOrderFallback": "auto 无法判断某列时采用的顺序：mdy 或 dmy",
    "settings.decimalComma":
      "是否把逗号当作小数点（如 “1 234,50”）；仅当工作簿使用欧洲数字格式时填“是”",
    "settings.currency": "报表和说明中使用的货币符号",
    "settings.value":
      "分级、客户金字塔和帕累托所用的价值：auto = 有成本列时用利润，否则用金额；monetary = 金额；profit = 利润（需要成本列）",
    "settings.abc.basis":
      "ABC 分级的口径：value = 按累计金额占比（帕累托），count = 按价值排名的客户数占比（如前 10% 为 A 类）",
    "settings.abc.a":
      "A 类：累计金额占比达到此值之前的客户（越过此值的那一位也算 A 类）；口径为 count 时，为价值排名前这一比例的客户",
    "settings.abc.b":
      "B 类：其后累计占比（金额占比，口径为 count 时为客户数占比）达到此值之前的客户；其余为 C 类，金额为零或负数的为 D 类",
    "settings.scorecard.revenue": "评分卡中“消费金额”的权重（各项权重合计应为 1，填 0 = 不用此项）",
    "settings.scorecard.frequency": "评分卡中“消费频率”（订单数）的权重",
    "settings.scorecard.tenure": "评分卡中“合作年限”（自首次购买起）的权重",
    "settings.scorecard.growth": "评分卡中“增长”（近期金额与前期相比）的权重",
    "settings.scorecard.recency": "评分卡中“最近消费”（距上次购买的天数，越近越好）的权重",
    "settings.scorecard.profit": "评分卡中“利润”的权重（需要成本列）",
    "settings.scorecard.cutoff.A": "评分卡总分（0–100）达到此分为 A 类",
    "settings.scorecard.cutoff.B": "评分卡总分达到此分为 B 类",
    "settings.scorecard.cutoff.C": "评分卡总分达到此分为 C 类，低于此分为 D 类",
    "settings.pyramid.platinum": "客户金字塔：按价值排名，前这一比例的客户为铂金客户（1% 填 0.01）",
    "settings.pyramid.gold": "累计到此比例为止的客户为黄金客户（默认前 5%）",
    "settings.pyramid.iron": "累计到此比例为止的客户为铁客户（默认前 20%），其余为铅客户",
    "settings.segment":
      "RFM 分群第 {n} 条：名称|中文名|R 范围|F 范围|M 范围（分值 1–5，如 4-5）；自上而下第一条符合的生效",
    "settings.grade.reviewDays": "{grade} 类客户：每隔多少天复核一次客户资料卡",
    "settings.grade.callDays": "{grade} 类客户：每隔多少天电话联系一次",
    "settings.grade.visitDays": "{grade} 类客户：每隔多少天拜访一次",
    "settings.grade.strategy": "{grade} 类客户的经营策略；留空 = 使用内置文字",
    "settings.grade.credit": "{grade} 类客户的信用政策；留空 = 使用内置文字",
    "settings.lifecycle.model":
      "生命周期模型：six = 六阶段（潜在期至终止期），four = 四阶段（考察期、形成期、稳定期、退化期）",
    "settings.lifecycle.windowDays":
      "比较窗口 W（天）：用近 W 天的金额与再往前 W 天相比，判断成长或衰退",
    "settings.lifecycle.terminatedDays": "超过此天数没有购买 → 终止期",
    "settings.lifecycle.developmentDays": "首次购买在此天数之内 → 开发期",
    "settings.lifecycle.declineRatio":
      "近 W 天金额低于前 W 天的这一比例 → 衰退期（0.8 即下降超过 20%）",
    "settings.lifecycle.growthRatio":
      "近 W 天金额高于前 W 天的这一倍数 → 成长期（1.2 即增长超过 20%）",
    "settings.lifecycle.overdueGapFactor":
      "距上次购买的天数超过该客户通常下单间隔（中位数）的这一倍数 → 衰退期",
    "settings.lifecycle.pAliveTerminated": "终身价值模型算出的存活概率低于此值 → 终止期",
    "settings.lifecycle.pAliveDecline": "存活概率低于此值 → 衰退期",
    "settings.lifecycle.dormantDays": "超过此天数没有购买、但尚未终止的客户列为静止户",
    "settings.clv.enabled": "是否计算客户终身价值（BG/NBD 与 Gamma-Gamma 模型）：是 / 否",
    "settings.clv.horizonMonths": "终身价值的预测期（月）",
    "settings.clv.monthlyDiscount": "月折现率（0.01 即每月 1%）",
    "settings.clv.margin": "没有成本列时采用的毛利率",
    "settings.followup.declineFactor": "衰退期客户的联系周期乘以此系数（0.5 即缩短一半）",
    "settings.followup.openDealDays": "未签约的商机：两次联系最多间隔几天",
    "settings.followup.closingDays": "即将签约的商机：每隔几天联系一次",
    "settings.followup.complaintDays": "投诉须在几天之内回复",
    "settings.followup.deliveryEvery": "长期客户：至少每几次送货联系一次",
    "settings.followup.dueSoonDays": "在此天数内到期的联系列为“本周待联系”",
    "settings.followup.staleDays": "逾期超过此天数的联系单独列为“久未处理”",
    "settings.followup.callWindows":
      "建议的通话时段（当地时间），用逗号分隔，如 10:30-11:30, 15:00-18:00",

    "settings.issue.empty": "未填写，已使用默认值 {default}",
    "settings.issue.notNumber": "不是数字，已使用默认值 {default}",
    "settings.issue.notInteger": "应为不小于 1 的整数，已使用默认值 {default}",
    "settings.issue.range": "应在 {range} 范围内，已使用默认值 {default}",
    "settings.issue.notDate": "不是日期（请按 YYYY-MM-DD 填写），已使用默认值 {default}",
    "settings.issue.notBool": "应填“是”或“否”，已使用默认值 {default}",
    "settings.issue.option": "应为 {options} 之一，已使用默认值 {default}",
    "settings.issue.windows":
      "通话时段应写成 10:30-11:30, 15:00-18:00 的形式（开始早于结束，且在一天之内），已使用默认值 {default}",
    "settings.issue.order": "须满足 {keys}，这几项已改用默认值",
    "settings.issue.weightsNormalised": "评分卡权重合计为 {sum}，不等于 1，已按比例换算为合计 1",
    "settings.issue.weightsZero": "评分卡没有大于 0 的权重，已使用默认评分项",
    "settings.issue.segment":
      "分群行应写成 名称|中文名|R|F|M，如 Champions|冠军客户|4-5|4-5|4-5；此行未采用",
    "settings.issue.segmentRange": "分群的分值范围须在 1–5 之内，且下限写在前；此行未采用",
    "settings.issue.noSegments": "没有可用的分群行，已使用默认分群表",
    "settings.issue.unknownKey": "未知参数，已忽略",
    "settings.issue.duplicate": "参数重复，以第 {row} 行为准",
    "settings.issue.noColumns": "设置表缺少“参数”和“值”两列（现有列：{headers}），全部使用默认值",
  },
});
