import { defineMessages } from "./define.js";

/**
 * User-facing text of the lifecycle area: stage reasons (one key per rule, numbers as
 * parameters), stage strategies, stage history and the Lifecycle sheet / report section.
 * Reasons name the rule and its numbers; "pAlive" variants are used when the CLV model ran and
 * gave this customer a P(alive), the plain ones say the P(alive) rules were not checked.
 */
export const lifecycle = defineMessages({
  en: {
    "lifecycle.reason.manual": "Set by hand (Stage override: “{text}”)",
    "lifecycle.reason.terminated.recency":
      "No purchase for {days:int} {days|day|days} (more than {limit:int}); last purchase {last:date}",
    "lifecycle.reason.terminated.pAlive": "P(alive) {p:pct}, below {limit:pct} (CLV model)",
    "lifecycle.reason.potential.none": "No purchases yet (prospect)",
    "lifecycle.reason.potential.cancelledOnly":
      "Only cancellations or returns, no purchase that counts",
    "lifecycle.reason.development.new":
      "First purchase {days:int} {days|day|days} ago (within {limit:int} {limit|day|days}); {orders:int} {orders|order|orders} so far",
    "lifecycle.reason.development.single":
      "Only one order so far (first purchase {days:int} {days|day|days} ago, on {first:date})",
    "lifecycle.reason.decline.revenue":
      "Last {w:int} {w|day|days} {recent:money}, down {drop:pct} from {previous:money} in the {w:int} {w|day|days} before (below {ratio:pct})",
    "lifecycle.reason.decline.overdue":
      "No purchase for {days:int} {days|day|days}, more than {factor} × the usual gap of {gap} {gap|day|days}",
    "lifecycle.reason.decline.pAlive": "P(alive) {p:pct}, below {limit:pct} (CLV model)",
    "lifecycle.reason.growth":
      "Last {w:int} {w|day|days} {recent:money}, up {rise:pct} from {previous:money} in the {w:int} {w|day|days} before (above {ratio:pct}); P(alive) rules not checked (CLV model not run)",
    "lifecycle.reason.growth.pAlive":
      "Last {w:int} {w|day|days} {recent:money}, up {rise:pct} from {previous:money} in the {w:int} {w|day|days} before (above {ratio:pct}); P(alive) {p:pct}",
    "lifecycle.reason.maturity.stable":
      "Steady: last {w:int} {w|day|days} {recent:money} vs {previous:money} before ({change:pct} of it, within {low:pct}–{high:pct}); last purchase {days:int} {days|day|days} ago, not overdue; P(alive) rules not checked (CLV model not run)",
    "lifecycle.reason.maturity.stable.pAlive":
      "Steady: last {w:int} {w|day|days} {recent:money} vs {previous:money} before ({change:pct} of it, within {low:pct}–{high:pct}); last purchase {days:int} {days|day|days} ago, not overdue; P(alive) {p:pct}",
    "lifecycle.reason.maturity.noPrevious":
      "Repeat customer: last {w:int} {w|day|days} {recent:money}; nothing in the {w:int} {w|day|days} before, so no growth/decline comparison; last purchase {days:int} {days|day|days} ago, not overdue; P(alive) rules not checked (CLV model not run)",
    "lifecycle.reason.maturity.noPrevious.pAlive":
      "Repeat customer: last {w:int} {w|day|days} {recent:money}; nothing in the {w:int} {w|day|days} before, so no growth/decline comparison; last purchase {days:int} {days|day|days} ago, not overdue; P(alive) {p:pct}",
    "lifecycle.issue.badOverride":
      "Stage override “{value}” is not a stage name (e.g. 成熟期 / Maturity); the rules were applied instead",

    "lifecycle.strategy.potential":
      "Qualify with MAN (money, authority, need) and convert the qualified ones into a first order.",
    "lifecycle.strategy.development":
      "Build trust: deliver the first orders flawlessly, learn the customer's needs, make the second purchase easy.",
    "lifecycle.strategy.growth":
      "Deepen the relationship: cross-sell and up-sell, widen contacts in the customer's organisation.",
    "lifecycle.strategy.maturity":
      "Maintain and reward loyalty; keep service excellent and watch for competitors approaching the account.",
    "lifecycle.strategy.decline":
      "Find the cause (service, price, competitor, their business); invest to win back, or consciously let go after weighing the cost against the customer's value.",
    "lifecycle.strategy.termination":
      "Close out open matters, learn why the customer left, keep a light touch for a later win-back.",

    "lifecycle.sheet.stagesTitle": "Customers by lifecycle stage",
    "lifecycle.sheet.movementTitle":
      "Stage movement: {from:date} → {to:date} (rows: from, columns: to)",
    "lifecycle.sheet.noHistory": "No earlier snapshot yet: movement is shown from the next run on.",
    "lifecycle.sheet.movedDownTitle": "Customers who moved down (客户异动)",
    "lifecycle.note.dormant": "dormant: no purchase for {days:int} {days|day|days}",
    "lifecycle.note.pAlive.no-dropout":
      "P(alive) rules skipped: the purchase model found no sign of customers leaving in these data",
    "lifecycle.note.pAlive.not-converged":
      "P(alive) rules skipped: the purchase model did not converge",
    "lifecycle.sheet.dormantTitle":
      "Dormant accounts: no purchase for more than {days:int} {days|day|days}, not terminated",
    "lifecycle.sheet.byGradeTitle": "Stage by grade",
    "lifecycle.sheet.gradeMovementTitle":
      "Grade movement: {from:date} → {to:date} (rows: from, columns: to)",
    "lifecycle.col.stage": "Stage",
    "lifecycle.col.customers": "Customers",
    "lifecycle.col.share": "Share",
    "lifecycle.col.strategy": "Strategy",
    "lifecycle.col.fromTo": "From \\ to",
    "lifecycle.col.customerId": "Customer ID",
    "lifecycle.col.name": "Name",
    "lifecycle.col.owner": "Owner",
    "lifecycle.col.fromStage": "Stage before",
    "lifecycle.col.toStage": "Stage now",
    "lifecycle.col.fromGrade": "Grade before",
    "lifecycle.col.toGrade": "Grade now",
    "lifecycle.col.change": "Change",
    "lifecycle.col.lastPurchase": "Last purchase",
    "lifecycle.col.daysSince": "Days since",
    "lifecycle.col.grade": "Grade",
    "lifecycle.col.noGrade": "No grade",
    "lifecycle.change.stage": "stage down",
    "lifecycle.change.grade": "grade down",
    "lifecycle.change.both": "stage and grade down",
    "lifecycle.manualSuffix": " (manual)",

    "lifecycle.chart.funnel": "Lifecycle stages",
    "lifecycle.chart.movement": "Stage movement since the previous snapshot",
    "lifecycle.chart.byGrade": "Stage by grade",
    "lifecycle.chart.count": "Customers",
    "lifecycle.chart.from": "From",
    "lifecycle.chart.to": "To",

    "lifecycle.report.title": "Lifecycle stages",
    "lifecycle.report.intro":
      "Stages follow fixed rules in this order: manual override, termination (no purchase for more than {terminated:int} {terminated|day|days}), potential (no purchase), development (first purchase within {development:int} {development|day|days} or one order), decline (last {w:int} {w|day|days} below {decline:pct} of the {w:int} {w|day|days} before, or overdue beyond {factor} × the usual gap), growth (above {growth:pct}), else maturity. Model: {model}.",
    "lifecycle.report.kpiHealthy": "Growth + maturity",
    "lifecycle.report.kpiAtRisk": "Decline",
    "lifecycle.report.kpiDormant": "Dormant accounts",
    "lifecycle.report.kpiMovedDown": "Moved down since last snapshot",
    "lifecycle.report.model.six": "six stages",
    "lifecycle.report.model.four": "four stages (Dwyer, Schurr & Oh 1987)",

    "lifecycle.history.colDate": "As of",
    "lifecycle.history.colCustomer": "Customer ID",
    "lifecycle.history.colStage": "Stage",
    "lifecycle.history.colGrade": "Grade",
    "lifecycle.history.badDate": "Snapshot date cannot be read; row skipped",
    "lifecycle.history.noCustomer": "Snapshot row has no customer ID; row skipped",
    "lifecycle.history.badStage": "“{value}” is not a stage name; row skipped",
    "lifecycle.history.badGrade": "“{value}” is not a grade (A–D); grade left empty",
    "lifecycle.history.missingColumns":
      "Stage history needs the columns 日期/as_of, 客户编号/customer_id and 阶段/stage; found: {found}",
  },
  zh: {
    "lifecycle.reason.manual": "手动指定（手动阶段：“{text}”）",
    "lifecycle.reason.terminated.recency":
      "已 {days:int} 天未购买（超过 {limit:int} 天），最近一次购买在 {last:date}",
    "lifecycle.reason.terminated.pAlive": "存活概率 {p:pct}，低于 {limit:pct}（终身价值模型）",
    "lifecycle.reason.potential.none": "尚无购买记录（潜在客户）",
    "lifecycle.reason.potential.cancelledOnly": "只有取消或退货记录，没有有效购买",
    "lifecycle.reason.development.new":
      "首次购买在 {days:int} 天前（不超过 {limit:int} 天），至今 {orders:int} 笔订单",
    "lifecycle.reason.development.single":
      "至今只有 1 笔订单（首次购买在 {days:int} 天前，{first:date}）",
    "lifecycle.reason.decline.revenue":
      "近{w:int}天金额 {recent:money}，较前{w:int}天 {previous:money} 下降{drop:pct}（低于 {ratio:pct}）",
    "lifecycle.reason.decline.overdue":
      "已 {days:int} 天未购买，超过平常购买间隔 {gap} 天的 {factor} 倍",
    "lifecycle.reason.decline.pAlive": "存活概率 {p:pct}，低于 {limit:pct}（终身价值模型）",
    "lifecycle.reason.growth":
      "近{w:int}天金额 {recent:money}，较前{w:int}天 {previous:money} 增长{rise:pct}（高于 {ratio:pct}）；未运行终身价值模型，未检查存活概率规则",
    "lifecycle.reason.growth.pAlive":
      "近{w:int}天金额 {recent:money}，较前{w:int}天 {previous:money} 增长{rise:pct}（高于 {ratio:pct}）；存活概率 {p:pct}",
    "lifecycle.reason.maturity.stable":
      "稳定：近{w:int}天金额 {recent:money}，前{w:int}天 {previous:money}（为前期的 {change:pct}，在 {low:pct}–{high:pct} 之间）；距上次购买 {days:int} 天，未超期；未运行终身价值模型，未检查存活概率规则",
    "lifecycle.reason.maturity.stable.pAlive":
      "稳定：近{w:int}天金额 {recent:money}，前{w:int}天 {previous:money}（为前期的 {change:pct}，在 {low:pct}–{high:pct} 之间）；距上次购买 {days:int} 天，未超期；存活概率 {p:pct}",
    "lifecycle.reason.maturity.noPrevious":
      "老客户：近{w:int}天金额 {recent:money}；前{w:int}天没有消费，无法比较增长或下降；距上次购买 {days:int} 天，未超期；未运行终身价值模型，未检查存活概率规则",
    "lifecycle.reason.maturity.noPrevious.pAlive":
      "老客户：近{w:int}天金额 {recent:money}；前{w:int}天没有消费，无法比较增长或下降；距上次购买 {days:int} 天，未超期；存活概率 {p:pct}",
    "lifecycle.issue.badOverride":
      "手动阶段“{value}”不是阶段名称（如 成熟期 / Maturity），已按规则判定",

    "lifecycle.strategy.potential":
      "用 MAN 法则（购买力、决策权、需求）甄别资格，促成合格客户的首单。",
    "lifecycle.strategy.development":
      "建立信任：把头几笔订单做好，了解客户需求，让第二次购买顺理成章。",
    "lifecycle.strategy.growth": "深化合作：交叉销售、向上销售，扩大在客户内部的联系面。",
    "lifecycle.strategy.maturity": "维护关系、回馈忠诚；保持优质服务，警惕竞争对手接触客户。",
    "lifecycle.strategy.decline":
      "查明原因（服务、价格、竞争对手或客户自身经营）；权衡挽回成本与客户价值后，或投入挽回，或主动放弃。",
    "lifecycle.strategy.termination":
      "妥善了结未完事项，总结流失原因，保持低频联系，留待日后挽回。",

    "lifecycle.sheet.stagesTitle": "各生命周期阶段客户数",
    "lifecycle.sheet.movementTitle": "阶段变动：{from:date} → {to:date}（行：原阶段，列：现阶段）",
    "lifecycle.sheet.noHistory": "还没有更早的快照：下次运行起显示阶段变动。",
    "lifecycle.sheet.movedDownTitle": "客户异动：阶段或等级下降的客户",
    "lifecycle.note.dormant": "静止户：已 {days:int} 天未购买",
    "lifecycle.note.pAlive.no-dropout": "未用存活概率规则：购买模型在这些数据中看不出客户流失",
    "lifecycle.note.pAlive.not-converged": "未用存活概率规则：购买模型未收敛",
    "lifecycle.sheet.dormantTitle": "静止户：超过 {days:int} 天未购买、尚未终止的客户",
    "lifecycle.sheet.byGradeTitle": "各等级的阶段分布",
    "lifecycle.sheet.gradeMovementTitle":
      "等级变动：{from:date} → {to:date}（行：原等级，列：现等级）",
    "lifecycle.col.stage": "阶段",
    "lifecycle.col.customers": "客户数",
    "lifecycle.col.share": "占比",
    "lifecycle.col.strategy": "策略",
    "lifecycle.col.fromTo": "原 \\ 现",
    "lifecycle.col.customerId": "客户编号",
    "lifecycle.col.name": "客户名称",
    "lifecycle.col.owner": "客户经理",
    "lifecycle.col.fromStage": "原阶段",
    "lifecycle.col.toStage": "现阶段",
    "lifecycle.col.fromGrade": "原等级",
    "lifecycle.col.toGrade": "现等级",
    "lifecycle.col.change": "变动",
    "lifecycle.col.lastPurchase": "最近购买",
    "lifecycle.col.daysSince": "未购买天数",
    "lifecycle.col.grade": "等级",
    "lifecycle.col.noGrade": "无等级",
    "lifecycle.change.stage": "阶段下降",
    "lifecycle.change.grade": "等级下降",
    "lifecycle.change.both": "阶段、等级均下降",
    "lifecycle.manualSuffix": "（手动）",

    "lifecycle.chart.funnel": "客户生命周期阶段",
    "lifecycle.chart.movement": "与上次快照相比的阶段变动",
    "lifecycle.chart.byGrade": "各等级的阶段分布",
    "lifecycle.chart.count": "客户数",
    "lifecycle.chart.from": "原阶段",
    "lifecycle.chart.to": "现阶段",

    "lifecycle.report.title": "客户生命周期",
    "lifecycle.report.intro":
      "阶段按以下顺序判定：手动阶段优先；终止期（超过 {terminated:int} 天未购买）；潜在期（没有购买）；开发期（首次购买在 {development:int} 天内或只有一笔订单）；衰退期（近{w:int}天金额低于前{w:int}天的 {decline:pct}，或未购买天数超过平常间隔的 {factor} 倍）；成长期（高于 {growth:pct}）；其余为成熟期。模型：{model}。",
    "lifecycle.report.kpiHealthy": "成长期 + 成熟期",
    "lifecycle.report.kpiAtRisk": "衰退期",
    "lifecycle.report.kpiDormant": "静止户",
    "lifecycle.report.kpiMovedDown": "较上次快照下降",
    "lifecycle.report.model.six": "六阶段",
    "lifecycle.report.model.four": "四阶段（Dwyer, Schurr & Oh 1987）",

    "lifecycle.history.colDate": "日期",
    "lifecycle.history.colCustomer": "客户编号",
    "lifecycle.history.colStage": "阶段",
    "lifecycle.history.colGrade": "等级",
    "lifecycle.history.badDate": "快照日期无法识别，已跳过该行",
    "lifecycle.history.noCustomer": "快照行缺少客户编号，已跳过该行",
    "lifecycle.history.badStage": "“{value}”不是阶段名称，已跳过该行",
    "lifecycle.history.badGrade": "“{value}”不是等级（A–D），等级留空",
    "lifecycle.history.missingColumns":
      "阶段历史需要 日期/as_of、客户编号/customer_id、阶段/stage 三列；实际找到：{found}",
  },
});
