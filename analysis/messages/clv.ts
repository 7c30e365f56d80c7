import { defineMessages } from "./define.js";

/** User-facing text of the clv area (客户终身价值: BG/NBD, Gamma-Gamma, CLV). */
export const clv = defineMessages({
  en: {
    "clv.section": "Customer lifetime value",
    "clv.status.disabled": "Customer lifetime value is switched off in Settings.",
    "clv.status.tooFew":
      "Too few customers to fit the purchase model: {customers:int} {customers|customer|customers} bought up to the as-of date and {repeaters:int} of them came back (at least {minCustomers:int} and {minRepeaters:int} are needed). P(alive) and CLV are left empty.",
    "clv.status.tooFewSpend":
      "Too few returning customers with a positive spend to fit the spend model: {n:int} (at least {min:int} are needed). P(alive) and CLV are left empty.",
    "clv.status.bgnbd.no-settle":
      "The purchase model (BG/NBD) did not converge. P(alive) and CLV are left empty and the stage rules do without P(alive).",
    "clv.status.bgnbd.boundary":
      "The purchase model (BG/NBD) ran off to an extreme parameter value (the data carry too little information on dropping out). P(alive) and CLV are left empty and the stage rules do without P(alive).",
    "clv.status.bgnbd.no-dropout":
      "No sign of customers leaving in these data: the purchase model (BG/NBD) fits no better than one in which nobody ever stops buying, so every P(alive) would be 100%. P(alive) and CLV are left empty and the stage rules do without P(alive).",
    "clv.status.bgnbd.non-finite":
      "The purchase model (BG/NBD) could not be evaluated on these data. P(alive) and CLV are left empty and the stage rules do without P(alive).",
    "clv.status.gg.no-settle":
      "The spend model (Gamma-Gamma) did not converge. P(alive) and CLV are left empty.",
    "clv.status.gg.boundary":
      "The spend model (Gamma-Gamma) ran off to an extreme parameter value (spend per purchase hardly varies). P(alive) and CLV are left empty.",
    "clv.status.gg.non-finite":
      "The spend model (Gamma-Gamma) could not be evaluated on these data. P(alive) and CLV are left empty.",
    "clv.status.gg.infinite-mean":
      "The spend model (Gamma-Gamma) found spend so heavy-tailed that the average spend per purchase is unbounded. P(alive) and CLV are left empty.",

    "clv.kpi.status": "Model",
    "clv.kpi.customers": "Customers with a prediction",
    "clv.kpi.meanPAlive": "Average P(alive)",
    "clv.kpi.totalClv": "Total CLV, next {months:int} {months|month|months}",
    "clv.kpi.expected52w": "Expected purchases, next 52 weeks",
    "clv.kpi.bgnbd": "BG/NBD (weeks)",
    "clv.kpi.gg": "Gamma-Gamma",
    "clv.kpi.holdout": "Holdout: model vs actual",
    "clv.kpi.holdout.value": "{predicted:int} vs {actual:int}",
    "clv.kpi.holdout.note": "repeat purchases {from:date} – {to:date}",
    "clv.params.bgnbd": "r = {r}, α = {alpha}, a = {a}, b = {b}; log-likelihood {ll}",
    "clv.params.gg": "p = {p}, q = {q}, γ = {v}",
    "clv.fit.note":
      "{customers:int} {customers|customer|customers}, {iterations:int} {iterations|iteration|iterations}",

    "clv.formula":
      "CLV is the discounted expected margin of the next {months:int} {months|month|months}, summed month by month: CLV = Σ (k = 1…{months:int}) E[M] × margin × (E[Y(k months)] − E[Y(k−1 months)]) ÷ (1 + {rate:pct})^k. E[Y(t)] is the number of purchases the BG/NBD model expects from the customer in the next t weeks, given how many times they came back (x), when they last bought (t_x, weeks after the first purchase) and how long we have known them (T, weeks); the difference is the expected purchases in month k. E[M] is the Gamma-Gamma expected spend per purchase: a weighted mean of the customer's own average repeat spend and the average of all customers, leaning on the customer's own figure the more purchases they have made. A month is 30.4375 days (4.348 weeks); each month's margin is discounted at {rate:pct} a month.",
    "clv.margin.cost":
      "Margin: (revenue − cost) ÷ revenue from the Cost column up to the as-of date, per customer where the customer has costs, otherwise the overall {overall:pct}.",
    "clv.margin.setting":
      "Margin: {margin:pct} of revenue, from Settings (the orders have no Cost column).",
    "clv.pAlive.explain":
      "P(alive) is the probability that the customer is still buying, given how often and how recently they bought; a customer who has not come back since the first purchase counts as alive (the model has no evidence that they left).",
    "clv.holdout.explain":
      "Holdout check: the model was fitted on purchases up to {asOf:date}; the data continue to {to:date} ({weeks} weeks), so its predictions for that period can be compared with what customers actually did.",

    "clv.chart.pAlive.title": "P(alive) distribution",
    "clv.chart.pAlive.axis": "P(alive)",
    "clv.chart.customers": "Customers",
    "clv.chart.frExpected.title":
      "Expected purchases in the next {weeks:int} {weeks|week|weeks} by frequency and recency",
    "clv.chart.frAlive.title": "P(alive) by frequency and recency",
    "clv.chart.fr.subtitle": "for a customer first seen {T} weeks before the as-of date",
    "clv.chart.fr.recency": "Last purchase, weeks after the first (t_x)",
    "clv.chart.fr.frequency": "Repeat purchases (x)",
    "clv.chart.fr.expected": "Expected purchases",
    "clv.chart.value.title": "Customer value matrix: current vs predicted value",
    "clv.chart.value.current": "Current value (revenue to the as-of date)",
    "clv.chart.value.future": "Predicted value (CLV)",
    "clv.chart.value.low": "Low",
    "clv.chart.value.high": "High",
    "clv.chart.value.split": "split at the medians",
    "clv.chart.holdout.title": "Holdout period: purchases per customer, model vs actual",
    "clv.chart.holdout.x": "Repeat purchases up to the as-of date",
    "clv.chart.holdout.y": "Purchases per customer in the holdout period",
    "clv.chart.tracking.title": "Cumulative repeat purchases, model vs actual",
    "clv.chart.tracking.x": "Week",
    "clv.chart.tracking.y": "Cumulative repeat purchases",
    "clv.chart.tracking.asOf": "as-of date",
    "clv.series.actual": "Actual",
    "clv.series.model": "Model",

    "clv.quadrant.star": "Most valuable: keep",
    "clv.quadrant.potential": "Potential: develop",
    "clv.quadrant.maintain": "Maintain: high so far, less ahead",
    "clv.quadrant.low": "Low value: serve efficiently",

    "clv.block.parameters": "Model parameters",
    "clv.block.summary": "Summary",
    "clv.block.top": "Customers with the highest CLV",
    "clv.block.holdout": "Holdout check, {from:date} – {to:date}",
    "clv.block.tracking": "Cumulative repeat purchases by week",
    "clv.block.pAlive": "P(alive) distribution",
    "clv.block.value": "Customer value matrix",
    "clv.block.fr":
      "Expected purchases in the next 52 weeks (rows: repeat purchases x; columns: t_x, weeks)",

    "clv.col.parameter": "Parameter",
    "clv.col.value": "Value",
    "clv.col.item": "Item",
    "clv.col.customer": "Customer ID",
    "clv.col.name": "Name",
    "clv.col.x": "Repeat purchases (x)",
    "clv.col.tx": "Last purchase, week (t_x)",
    "clv.col.T": "Weeks known (T)",
    "clv.col.pAlive": "P(alive)",
    "clv.col.expected52w": "Expected purchases, 52 weeks",
    "clv.col.expectedSpend": "Expected spend per purchase",
    "clv.col.clv": "CLV",
    "clv.col.revenue": "Revenue to date",
    "clv.col.customers": "Customers",
    "clv.col.actual": "Actual per customer",
    "clv.col.predicted": "Model per customer",
    "clv.col.week": "Week",
    "clv.col.weekEnd": "Week ending",
    "clv.col.actualCum": "Actual (cumulative)",
    "clv.col.modelCum": "Model (cumulative)",
    "clv.col.bin": "P(alive) range",
    "clv.col.quadrant": "Segment",
    "clv.col.current": "Current value",
    "clv.col.future": "Predicted value",
    "clv.row.status": "Status",
    "clv.row.asOf": "As-of date",
    "clv.row.horizon": "Horizon",
    "clv.row.horizon.value": "{months:int} {months|month|months}",
    "clv.row.discount": "Monthly discount rate",
    "clv.row.margin": "Margin",
    "clv.row.margin.cost": "{overall:pct} overall, from Cost",
    "clv.row.margin.setting": "{margin:pct}, from Settings",
    "clv.row.fitted": "Customers fitted (BG/NBD / Gamma-Gamma)",
  },
  zh: {
    "clv.section": "客户终身价值",
    "clv.status.disabled": "已在设置中关闭客户终身价值计算。",
    "clv.status.tooFew":
      "客户太少，无法拟合购买模型：截至分析日有购买的客户 {customers:int} 位，其中再次购买的 {repeaters:int} 位（至少需要 {minCustomers:int} 位和 {minRepeaters:int} 位）。存活概率和终身价值留空。",
    "clv.status.tooFewSpend":
      "有复购且消费金额为正的客户太少（{n:int} 位，至少需要 {min:int} 位），无法拟合消费金额模型。存活概率和终身价值留空。",
    "clv.status.bgnbd.no-settle":
      "购买模型（BG/NBD）未收敛。存活概率和终身价值留空，阶段判断不使用存活概率。",
    "clv.status.bgnbd.boundary":
      "购买模型（BG/NBD）的参数趋于极端值（数据中关于客户流失的信息太少）。存活概率和终身价值留空，阶段判断不使用存活概率。",
    "clv.status.bgnbd.no-dropout":
      "这些数据中看不出客户流失：购买模型（BG/NBD）的拟合并不优于“没有客户流失”的模型，所有客户的存活概率都会是 100%。存活概率和终身价值留空，阶段判断不使用存活概率。",
    "clv.status.bgnbd.non-finite":
      "购买模型（BG/NBD）无法在这些数据上计算。存活概率和终身价值留空，阶段判断不使用存活概率。",
    "clv.status.gg.no-settle": "消费金额模型（Gamma-Gamma）未收敛。存活概率和终身价值留空。",
    "clv.status.gg.boundary":
      "消费金额模型（Gamma-Gamma）的参数趋于极端值（每次消费金额几乎没有差别）。存活概率和终身价值留空。",
    "clv.status.gg.non-finite":
      "消费金额模型（Gamma-Gamma）无法在这些数据上计算。存活概率和终身价值留空。",
    "clv.status.gg.infinite-mean":
      "消费金额模型（Gamma-Gamma）显示消费金额分布的尾部过重，平均单次消费没有上限。存活概率和终身价值留空。",

    "clv.kpi.status": "模型",
    "clv.kpi.customers": "有预测的客户",
    "clv.kpi.meanPAlive": "平均存活概率",
    "clv.kpi.totalClv": "未来 {months:int} 个月终身价值合计",
    "clv.kpi.expected52w": "未来 52 周预计购买次数",
    "clv.kpi.bgnbd": "BG/NBD（以周为单位）",
    "clv.kpi.gg": "Gamma-Gamma",
    "clv.kpi.holdout": "验证期：模型与实际",
    "clv.kpi.holdout.value": "{predicted:int} 对 {actual:int}",
    "clv.kpi.holdout.note": "{from:date} 至 {to:date} 的复购次数",
    "clv.params.bgnbd": "r = {r}，α = {alpha}，a = {a}，b = {b}；对数似然 {ll}",
    "clv.params.gg": "p = {p}，q = {q}，γ = {v}",
    "clv.fit.note": "{customers:int} 位客户，迭代 {iterations:int} 次",

    "clv.formula":
      "终身价值（CLV）是未来 {months:int} 个月预期毛利的折现值，按月累加：CLV = Σ（k = 1…{months:int}）E[M] × 毛利率 × (E[Y(k 个月)] − E[Y(k−1 个月)]) ÷ (1 + {rate:pct})^k。E[Y(t)] 是 BG/NBD 模型根据客户的复购次数（x）、最近一次购买时间（t_x，距首次购买的周数）和成为客户的时长（T，周）预计其在未来 t 周内的购买次数，两者之差就是第 k 个月的预计购买次数。E[M] 是 Gamma-Gamma 模型预计的单次消费金额：客户本人复购平均金额与全体客户平均金额的加权平均，购买次数越多，越接近本人的金额。每月按 30.4375 天（4.348 周）计，每月毛利按月折现率 {rate:pct} 折现。",
    "clv.margin.cost":
      "毛利率：按截至分析日的成本列计算（收入 − 成本）÷ 收入；客户有成本数据时用其本人的毛利率，否则用整体毛利率 {overall:pct}。",
    "clv.margin.setting": "毛利率：收入的 {margin:pct}，取自设置（订单没有成本列）。",
    "clv.pAlive.explain":
      "存活概率是根据客户购买的频率和最近一次购买的时间，估计其仍在购买（尚未流失）的概率；首次购买后从未复购的客户视为存活（模型没有其已流失的证据）。",
    "clv.holdout.explain":
      "验证期检验：模型只用 {asOf:date} 及以前的购买拟合；数据一直延续到 {to:date}（{weeks} 周），因此可以把模型对这段时间的预测与客户的实际购买对比。",

    "clv.chart.pAlive.title": "存活概率分布",
    "clv.chart.pAlive.axis": "存活概率",
    "clv.chart.customers": "客户数",
    "clv.chart.frExpected.title": "按复购次数与最近购买时间：未来 {weeks:int} 周预计购买次数",
    "clv.chart.frAlive.title": "按复购次数与最近购买时间：存活概率",
    "clv.chart.fr.subtitle": "以分析日前 {T} 周成为客户的客户为例",
    "clv.chart.fr.recency": "最近一次购买距首次购买的周数（t_x）",
    "clv.chart.fr.frequency": "复购次数（x）",
    "clv.chart.fr.expected": "预计购买次数",
    "clv.chart.value.title": "客户价值矩阵：当前价值 × 预测价值",
    "clv.chart.value.current": "当前价值（截至分析日的消费金额）",
    "clv.chart.value.future": "预测价值（终身价值）",
    "clv.chart.value.low": "低",
    "clv.chart.value.high": "高",
    "clv.chart.value.split": "以中位数划分高低",
    "clv.chart.holdout.title": "验证期人均购买次数：模型预测与实际",
    "clv.chart.holdout.x": "截至分析日的复购次数",
    "clv.chart.holdout.y": "验证期人均购买次数",
    "clv.chart.tracking.title": "累计复购次数：模型预测与实际",
    "clv.chart.tracking.x": "周",
    "clv.chart.tracking.y": "累计复购次数",
    "clv.chart.tracking.asOf": "分析日期",
    "clv.series.actual": "实际",
    "clv.series.model": "模型预测",

    "clv.quadrant.star": "最有价值客户：重点保持",
    "clv.quadrant.potential": "潜力客户：重点发展",
    "clv.quadrant.maintain": "维持客户：当前价值高、后劲不足",
    "clv.quadrant.low": "低价值客户：控制服务成本",

    "clv.block.parameters": "模型参数",
    "clv.block.summary": "概要",
    "clv.block.top": "终身价值最高的客户",
    "clv.block.holdout": "验证期检验（{from:date} 至 {to:date}）",
    "clv.block.tracking": "按周累计复购次数",
    "clv.block.pAlive": "存活概率分布",
    "clv.block.value": "客户价值矩阵",
    "clv.block.fr": "未来 52 周预计购买次数（行：复购次数 x；列：t_x，周）",

    "clv.col.parameter": "参数",
    "clv.col.value": "数值",
    "clv.col.item": "项目",
    "clv.col.customer": "客户编号",
    "clv.col.name": "客户名称",
    "clv.col.x": "复购次数（x）",
    "clv.col.tx": "最近购买（第几周，t_x）",
    "clv.col.T": "成为客户的周数（T）",
    "clv.col.pAlive": "存活概率",
    "clv.col.expected52w": "未来 52 周预计购买次数",
    "clv.col.expectedSpend": "预计单次消费金额",
    "clv.col.clv": "终身价值",
    "clv.col.revenue": "截至分析日消费金额",
    "clv.col.customers": "客户数",
    "clv.col.actual": "实际人均",
    "clv.col.predicted": "模型人均",
    "clv.col.week": "周",
    "clv.col.weekEnd": "周末日期",
    "clv.col.actualCum": "实际（累计）",
    "clv.col.modelCum": "模型（累计）",
    "clv.col.bin": "存活概率区间",
    "clv.col.quadrant": "类别",
    "clv.col.current": "当前价值",
    "clv.col.future": "预测价值",
    "clv.row.status": "状态",
    "clv.row.asOf": "分析日期",
    "clv.row.horizon": "预测期",
    "clv.row.horizon.value": "{months:int} 个月",
    "clv.row.discount": "月折现率",
    "clv.row.margin": "毛利率",
    "clv.row.margin.cost": "整体 {overall:pct}，来自成本列",
    "clv.row.margin.setting": "{margin:pct}，取自设置",
    "clv.row.fitted": "参与拟合的客户（BG/NBD / Gamma-Gamma）",
  },
});
