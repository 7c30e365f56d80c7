import { defineMessages } from "./define.js";

/**
 * User-facing text of the follow-up area: why a next contact falls on its date, grade
 * strategies and credit policies, the 待联系 Follow-ups sheet and report section.
 * Cadence reasons come in one key per (kind, what the date counts from):
 * kind = cadence | decline | prospect | prospectQualified; from = interaction | purchase | firstContact.
 */
export const followup = defineMessages({
  en: {
    "followup.reason.cadence.interaction":
      "Grade {grade}: call every {days:int} {days|day|days}; last contact {last:date}",
    "followup.reason.cadence.purchase":
      "Grade {grade}: call every {days:int} {days|day|days}; last purchase {last:date}",
    "followup.reason.cadence.firstContact":
      "Grade {grade}: call every {days:int} {days|day|days}; first contact {last:date}",
    "followup.reason.decline.interaction":
      "In decline: grade {grade} cadence {full:int} {full|day|days} shortened to {days:int}; last contact {last:date}",
    "followup.reason.decline.purchase":
      "In decline: grade {grade} cadence {full:int} {full|day|days} shortened to {days:int}; last purchase {last:date}",
    "followup.reason.decline.firstContact":
      "In decline: grade {grade} cadence {full:int} {full|day|days} shortened to {days:int}; first contact {last:date}",
    "followup.reason.prospect.interaction":
      "Prospect, grade {grade} cadence: every {days:int} {days|day|days}; last contact {last:date}",
    "followup.reason.prospect.purchase":
      "Prospect, grade {grade} cadence: every {days:int} {days|day|days}; last purchase {last:date}",
    "followup.reason.prospect.firstContact":
      "Prospect, grade {grade} cadence: every {days:int} {days|day|days}; first contact {last:date}",
    "followup.reason.prospectQualified.interaction":
      "Qualified prospect (money, authority and need all yes), grade {grade} cadence: every {days:int} {days|day|days}; last contact {last:date}",
    "followup.reason.prospectQualified.purchase":
      "Qualified prospect (money, authority and need all yes), grade {grade} cadence: every {days:int} {days|day|days}; last purchase {last:date}",
    "followup.reason.prospectQualified.firstContact":
      "Qualified prospect (money, authority and need all yes), grade {grade} cadence: every {days:int} {days|day|days}; first contact {last:date}",
    "followup.reason.noContact":
      "No contact, purchase or first-contact date on record: contact now",
    "followup.reason.planned": "Next contact planned in the Interactions table for {due:date}",
    "followup.reason.complaint":
      "Complaint of {day:date} to be answered within {days:int} {days|day|days}",
    "followup.reason.openDeal":
      "Open deal: follow up at least every {days:int} {days|day|days}; last contact {last:date}",
    "followup.reason.closingDeal":
      "Deal about to close: follow up every {days:int} {days|day|days}; last contact {last:date}",
    "followup.reason.delivery":
      "Long-term customer: contact at least every {n:int} {n|delivery|deliveries} (one every {gap} {gap|day|days}, so every {days:int} {days|day|days}); last contact {last:date}",
    "followup.reason.terminated": "Terminated: no routine contact planned",

    "followup.grade.strategy.A":
      "Key account: a dedicated owner, top service, regular visits by management.",
    "followup.grade.strategy.B":
      "Grow toward A: understand their potential, offer more of the range, raise the share of wallet.",
    "followup.grade.strategy.C":
      "Standard service at a lower cost to serve: phone, e-mail, self-service.",
    "followup.grade.strategy.D": "Minimal service; review whether the account is worth keeping.",
    "followup.grade.credit.A": "Generous credit terms; priority on delivery.",
    "followup.grade.credit.B": "Normal credit terms.",
    "followup.grade.credit.C": "Tight credit limits; payment on time required.",
    "followup.grade.credit.D": "Review credit: cash or prepayment.",
    "followup.text": "{text}",

    "followup.sheet.title":
      "Follow-ups: overdue and due within {days:int} {days|day|days} (as of {asOf:date})",
    "followup.col.customerId": "Customer ID",
    "followup.col.name": "Name",
    "followup.col.owner": "Owner",
    "followup.col.grade": "Grade",
    "followup.col.stage": "Stage",
    "followup.col.due": "Due",
    "followup.col.daysOverdue": "Days overdue",
    "followup.col.callDay": "Call on",
    "followup.col.callTime": "Call time",
    "followup.col.call": "Call",
    "followup.col.reason": "Why",
    "followup.col.strategy": "Stage strategy",
    "followup.report.title": "Follow-ups",
    "followup.report.intro":
      "Next contact = last contact (interaction, purchase or first contact) + the grade's call cadence, halved in decline; open deals at least every {open:int} {open|day|days}, deals about to close every {closing:int} {closing|day|days}, complaints answered within {complaint:int} {complaint|day|days}. Calls are suggested on weekdays in the best windows ({windows}).",
    "followup.report.kpiOverdue": "Overdue",
    "followup.report.kpiDueSoon": "Due within {days:int} {days|day|days}",
    "followup.report.kpiPlanned": "Customers with a next contact",
    "followup.report.kpiStale": "Stale (listed apart)",
    "followup.report.strategies": "What to do, by stage",
    "followup.stale.title":
      "Stale: overdue by more than {days:int} {days|day|days} ({n:int}), oldest first; check whether the deal, complaint or plan still stands",
    "followup.report.table": "Whom to call",
  },
  zh: {
    "followup.reason.cadence.interaction":
      "{grade} 类客户每 {days:int} 天联系一次；上次联系 {last:date}",
    "followup.reason.cadence.purchase":
      "{grade} 类客户每 {days:int} 天联系一次；上次购买 {last:date}",
    "followup.reason.cadence.firstContact":
      "{grade} 类客户每 {days:int} 天联系一次；首次接触 {last:date}",
    "followup.reason.decline.interaction":
      "衰退期加密联系：{grade} 类周期 {full:int} 天缩短为 {days:int} 天；上次联系 {last:date}",
    "followup.reason.decline.purchase":
      "衰退期加密联系：{grade} 类周期 {full:int} 天缩短为 {days:int} 天；上次购买 {last:date}",
    "followup.reason.decline.firstContact":
      "衰退期加密联系：{grade} 类周期 {full:int} 天缩短为 {days:int} 天；首次接触 {last:date}",
    "followup.reason.prospect.interaction":
      "潜在客户，按 {grade} 类周期每 {days:int} 天联系；上次联系 {last:date}",
    "followup.reason.prospect.purchase":
      "潜在客户，按 {grade} 类周期每 {days:int} 天联系；上次购买 {last:date}",
    "followup.reason.prospect.firstContact":
      "潜在客户，按 {grade} 类周期每 {days:int} 天联系；首次接触 {last:date}",
    "followup.reason.prospectQualified.interaction":
      "合格潜在客户（购买力、决策权、需求均具备），按 {grade} 类周期每 {days:int} 天联系；上次联系 {last:date}",
    "followup.reason.prospectQualified.purchase":
      "合格潜在客户（购买力、决策权、需求均具备），按 {grade} 类周期每 {days:int} 天联系；上次购买 {last:date}",
    "followup.reason.prospectQualified.firstContact":
      "合格潜在客户（购买力、决策权、需求均具备），按 {grade} 类周期每 {days:int} 天联系；首次接触 {last:date}",
    "followup.reason.noContact": "没有联系、购买或首次接触记录：请尽快联系",
    "followup.reason.planned": "联系记录中约定 {due:date} 再次联系",
    "followup.reason.complaint": "{day:date} 的投诉须在 {days:int} 天内答复",
    "followup.reason.openDeal": "商机进行中：至少每 {days:int} 天跟进一次；上次联系 {last:date}",
    "followup.reason.closingDeal": "即将签约：每 {days:int} 天跟进一次；上次联系 {last:date}",
    "followup.reason.delivery":
      "长期客户：至少每 {n:int} 次交货联系一次（平均 {gap} 天交货一次，即每 {days:int} 天）；上次联系 {last:date}",
    "followup.reason.terminated": "已进入终止期，不安排例行联系",

    "followup.grade.strategy.A": "重点客户：专人负责，提供最优服务，管理层定期拜访。",
    "followup.grade.strategy.B": "培养成 A 类：了解其潜力，扩大合作品类，提高份额。",
    "followup.grade.strategy.C": "标准化服务，降低服务成本：以电话、邮件和自助服务为主。",
    "followup.grade.strategy.D": "最低限度服务；评估是否值得保留。",
    "followup.grade.credit.A": "信用条件宽松，优先供货。",
    "followup.grade.credit.B": "正常信用条件。",
    "followup.grade.credit.C": "严格控制信用额度，按时回款。",
    "followup.grade.credit.D": "重新审核信用：现款或预付。",
    "followup.text": "{text}",

    "followup.sheet.title": "待联系：已逾期及 {days:int} 天内到期的客户（截至 {asOf:date}）",
    "followup.col.customerId": "客户编号",
    "followup.col.name": "客户名称",
    "followup.col.owner": "客户经理",
    "followup.col.grade": "等级",
    "followup.col.stage": "阶段",
    "followup.col.due": "应联系日期",
    "followup.col.daysOverdue": "逾期天数",
    "followup.col.callDay": "建议日期",
    "followup.col.callTime": "建议时段",
    "followup.col.call": "建议联系时间",
    "followup.col.reason": "原因",
    "followup.col.strategy": "阶段策略",
    "followup.report.title": "客户跟进",
    "followup.report.intro":
      "下次联系 = 上次联系（联系记录、购买或首次接触）+ 该等级的电话联系周期，衰退期减半；进行中的商机至少每 {open:int} 天跟进，即将签约的每 {closing:int} 天跟进，投诉须在 {complaint:int} 天内答复。建议在工作日的最佳时段致电（{windows}）。",
    "followup.report.kpiOverdue": "已逾期",
    "followup.report.kpiDueSoon": "{days:int} 天内到期",
    "followup.report.kpiPlanned": "已排定下次联系的客户",
    "followup.report.kpiStale": "久未处理（单独列出）",
    "followup.report.strategies": "各阶段的跟进策略",
    "followup.stale.title":
      "久未处理：逾期超过 {days:int} 天的联系（{n:int} 位），最久的在前；请核实商机、投诉或计划是否仍然有效",
    "followup.report.table": "该联系谁",
  },
});
